package io.lather.optimizer.soap;

import io.lather.optimizer.NumericalFailureException;
import io.lather.optimizer.blocking.BlockId;
import java.util.Arrays;

/**
 * Builds every NVIDIA-SOAP-specific user-facing error (problem, cause, fix), in the style of
 * {@link io.lather.optimizer.OptimizerErrors}, so the wording stays consistent and tests can assert it. Errors shared
 * with the other optimizers (unknown parameter, shape/type mismatch, non-finite gradient) come from
 * {@code OptimizerErrors} itself.
 */
final class SoapErrors {
    private SoapErrors() {}

    /** HEAD (fd77292) takes matrices only. */
    static IllegalArgumentException headRequiresMatrix(String name, long[] shape) {
        return new IllegalArgumentException("parameter '" + name + "' has shape " + Arrays.toString(shape)
                + " (order " + shape.length + "), but nvidia_soap version head supports 2-D parameters only. Cause: the "
                + "reference (fd77292, legacy_soap) keeps exactly one left and one right Kronecker factor per parameter and raises "
                + "TypeError for any other order. Fix: use version legacy (any order; 1-D parameters get plain Adam unless "
                + "precondition_1d), or optimize this parameter with a separate optimizer.");
    }

    /** The KL-Shampoo factor update is defined for matrices with both modes preconditioned. */
    static IllegalArgumentException klRequiresMatrix(String name, long[] shape, long maxPrecondDim) {
        return new IllegalArgumentException("parameter '" + name + "' has shape " + Arrays.toString(shape)
                + ", but use_kl_shampoo needs 2-D parameters whose both sides are at most max_precond_dim (" + maxPrecondDim
                + "). Cause: the KL factor update preconditions each side's outer product with the other side's factor, which "
                + "only exists for a fully preconditioned matrix (the reference raises TypeError otherwise). Fix: disable "
                + "use_kl_shampoo, raise max_precond_dim, or optimize this parameter with a separate optimizer.");
    }

    /** Only float32 and float64 parameters are supported. */
    static IllegalArgumentException unsupportedType(String name, Object type) {
        return new IllegalArgumentException("parameter '" + name + "' has data type " + type
                + "; nvidia_soap optimizes float32 and float64 parameters only (its statistics are computed in float64). "
                + "Fix: keep a float32 or float64 master copy of the parameter.");
    }

    /** A Kronecker factor went non-finite before its eigenbasis refresh. */
    static NumericalFailureException nonFiniteFactor(String parameter, String factor, long step) {
        return new NumericalFailureException(new BlockId(parameter, 0), step, "Kronecker factor " + factor + " of parameter '"
                + parameter + "' contains NaN or Inf at step " + step + " (its eigenbasis cannot be refreshed). Cause: the factor "
                + "EMA overflowed, or with use_kl_shampoo an eigenvalue clamp eps so small that 1/eps overflows. Fix: lower the "
                + "learning rate, raise eps, and resume from the last checkpoint.", null);
    }

    /** LAPACK could not compute an eigenbasis or QR factorisation (after the float64 retry). */
    static NumericalFailureException eigenbasisFailed(String parameter, String factor, long step, Throwable cause) {
        return new NumericalFailureException(new BlockId(parameter, 0), step, "the eigenbasis refresh of Kronecker factor "
                + factor + " of parameter '" + parameter + "' failed at step " + step + ": " + cause.getMessage()
                + ". Cause: LAPACK did not converge on an ill-conditioned factor (the reference has no failure tolerance and "
                + "raises as well). Fix: lower the learning rate or enable use_eigh, and resume from the last checkpoint.", cause);
    }
}
