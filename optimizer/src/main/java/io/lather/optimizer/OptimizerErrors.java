package io.lather.optimizer;

import io.lather.optimizer.blocking.BlockId;
import java.util.Arrays;
import java.util.Collection;

/** Builds every user-facing error of the optimizer module, so their wording stays consistent and testable. */
public final class OptimizerErrors {
    private OptimizerErrors() {}

    public static OptimizerInputException unknownParameter(String name, Collection<String> known) {
        return new OptimizerInputException("gradient given for unknown parameter '" + name + "'. The optimizer was built for "
                + known + "; pass gradients under the same names as the parameters.");
    }

    public static OptimizerInputException shapeMismatch(String name, long[] expected, long[] actual) {
        return new OptimizerInputException("gradient of parameter '" + name + "' has shape " + Arrays.toString(actual)
                + " but the parameter has shape " + Arrays.toString(expected) + "; compute the gradient for this parameter.");
    }

    public static OptimizerInputException typeMismatch(String name, Object expected, Object actual) {
        return new OptimizerInputException("gradient of parameter '" + name + "' has data type " + actual
                + " but the parameter is " + expected + "; cast the gradient to the parameter's type.");
    }

    /** A gradient contains NaN or Inf. */
    public static OptimizerInputException nonFiniteGradient(String name, long step) {
        return new OptimizerInputException("gradient of parameter '" + name + "' contains NaN or Inf at step " + step
                + ". Cause: a non-finite input or loss, or a diverging run. Fix: check the training data for NaN/Inf, "
                + "lower the learning rate, or resume from the last checkpoint. Nothing was updated.");
    }

    public static IllegalStateException stepInEvalMode() {
        return new IllegalStateException("step() called while the optimizer is in eval mode (parameters hold the averaged "
                + "x sequence); call train() before stepping.");
    }

    public static NumericalFailureException nonFiniteFactor(BlockId block, int factor, long step) {
        return new NumericalFailureException(block, step, "Kronecker factor " + factor + " of block " + block
                + " contains NaN or Inf at step " + step + ". Cause: non-finite gradients entered the statistics (gradient checks "
                + "were off) or the factor overflowed. Fix: keep check_gradients_finite on, lower the learning rate, store factors "
                + "in float64, and resume from the last checkpoint.", null);
    }

    public static NumericalFailureException nonFiniteResult(BlockId block, int factor, long step, String what) {
        return new NumericalFailureException(block, step, "the " + what + " of Kronecker factor " + factor + " of block " + block
                + " contains NaN or Inf at step " + step + ". Cause: an ill-conditioned factor. Fix: raise epsilon, enable trace "
                + "scaling, store factors in float64, and resume from the last checkpoint.", null);
    }

    public static NumericalFailureException tooManyFailures(BlockId block, long step, int failures, int tolerated, Throwable last) {
        return new NumericalFailureException(block, step, "the amortized computation of block " + block + " failed " + failures
                + " times in a row (step " + step + "; tolerated: " + tolerated + "). Last failure: "
                + (last == null ? "unknown" : last.getMessage()) + ". Fix: raise epsilon (the ridge added to the factors), "
                + "enable trace scaling, store factors in float64, use the eigh root computation, or raise "
                + "num_tolerated_failed_amortized_computations; then resume from the last checkpoint.", last);
    }
}
