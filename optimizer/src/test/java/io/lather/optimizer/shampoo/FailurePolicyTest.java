package io.lather.optimizer.shampoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lather.optimizer.NumericalFailureException;
import io.lather.optimizer.Optimizer;
import io.lather.optimizer.OptimizerInputException;
import io.lather.optimizer.Optimizers;
import io.lather.optimizer.TestData;
import io.lather.optimizer.blocking.BlockId;
import io.lather.optimizer.config.EigendecompositionConfig;
import io.lather.optimizer.config.EigenvalueCorrectedShampooConfig;
import io.lather.optimizer.config.FactorStatisticsConfig;
import io.lather.optimizer.config.Precision;
import io.lather.optimizer.config.ShampooConfig;
import io.lather.optimizer.linalg.Eigenpairs;
import io.lather.optimizer.linalg.LapackEigensolver;
import io.lather.optimizer.linalg.MatrixFunctionFailure;
import io.lather.optimizer.linalg.SymmetricEigensolver;
import io.lather.optimizer.state.HostTensor;
import io.lather.optimizer.state.OptimizerState;
import io.lather.optimizer.state.StateKey;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The numerical failure policy (ALGORITHMS.md §5.3.5, DESIGN.md §4) with an injected failing eigensolver. */
class FailurePolicyTest {

    /** Fails while {@code failing} is true, otherwise delegates to LAPACK; counts calls. */
    static final class SwitchableSolver implements SymmetricEigensolver {
        boolean failing;
        int calls;

        @Override
        public Eigenpairs eigh(INDArray symmetric, boolean retry) {
            calls++;
            if (failing) {
                throw new MatrixFunctionFailure("injected eigensolver failure");
            }
            return LapackEigensolver.INSTANCE.eigh(symmetric, retry);
        }
    }

    private static ShampooConfig eshampoo(int tolerated) {
        EigenvalueCorrectedShampooConfig ec = new EigenvalueCorrectedShampooConfig(
                new FactorStatisticsConfig(false, Precision.FLOAT64, tolerated, false, 0.5),
                EigendecompositionConfig.Eigh.defaults(), Map.of(), Map.of(), Precision.FLOAT64, Precision.FLOAT64);
        // max_preconditioner_dim 8 keeps the 5x4 matrix a matrix (20 <= 1024 would merge it into one 20-vector)
        return ShampooConfig.builder().lr(0.01).betas(0.9, 0.99).epsilon(1e-8).maxPreconditionerDim(8).preconditionFrequency(1).startPreconditioningStep(3)
                .preconditioner(ec).build();
    }

    private static Map<String, INDArray> oneMatrix() {
        Map<String, INDArray> p = new LinkedHashMap<>();
        p.put("W", new TestData(7).array(DataType.DOUBLE, -1, 1, 5, 4));
        return p;
    }

    private static HostTensor eigenvectors(Optimizer opt) {
        return opt.exportState().tensors().get(new StateKey("W", 0, "shampoo.factor_matrices_eigenvectors.0"));
    }

    @Test
    void toleratedFailuresKeepThePreviousEigenbasisThenTheStepFailsNamingBlockStepAndRemedies() {
        SwitchableSolver solver = new SwitchableSolver();
        Map<String, INDArray> params = oneMatrix();
        Optimizer opt = Optimizers.create(eshampoo(2), params, solver);
        TestData data = new TestData(1);
        for (int t = 1; t <= 4; t++) {
            opt.step(data.gradients(params, 0.5));
        }
        HostTensor good = eigenvectors(opt);
        solver.failing = true;
        opt.step(data.gradients(params, 0.5)); // failure 1: tolerated
        opt.step(data.gradients(params, 0.5)); // failure 2: tolerated
        assertEquals(good, eigenvectors(opt), "the previous eigenbasis is kept bit for bit");
        assertEquals(4, opt.statistics().failedComputations(), "two factors failed at each of two steps");
        assertEquals(2L, opt.exportState().tensors().get(new StateKey("W", 0, "shampoo.amortized_failures")).scalarLong());
        NumericalFailureException e = assertThrows(NumericalFailureException.class, () -> opt.step(data.gradients(params, 0.5)));
        assertEquals(new BlockId("W", 0), e.block());
        assertEquals(7, e.step());
        assertTrue(e.getMessage().contains("block W/block_0 failed 3 times in a row (step 7; tolerated: 2)"), e.getMessage());
        assertTrue(e.getMessage().contains("injected eigensolver failure"), e.getMessage());
        assertTrue(e.getMessage().contains("raise epsilon"), e.getMessage());
    }

    @Test
    void aSuccessfulComputationResetsTheConsecutiveFailureCounter() {
        SwitchableSolver solver = new SwitchableSolver();
        Map<String, INDArray> params = oneMatrix();
        Optimizer opt = Optimizers.create(eshampoo(1), params, solver);
        TestData data = new TestData(2);
        for (int t = 1; t <= 10; t++) {
            solver.failing = t % 2 == 1 && t >= 3; // fail at 3, 5, 7, 9: never twice in a row
            opt.step(data.gradients(params, 0.5));
        }
        assertEquals(0L, opt.exportState().tensors().get(new StateKey("W", 0, "shampoo.amortized_failures")).scalarLong());
        assertEquals(8, opt.statistics().failedComputations());
        assertEquals(8, opt.statistics().factorComputations());
    }

    @Test
    void nonFiniteGradientIsRejectedAndNothingChanges() {
        Map<String, INDArray> params = oneMatrix();
        Optimizer opt = Optimizers.create(eshampoo(3), params);
        TestData data = new TestData(3);
        for (int t = 1; t <= 4; t++) {
            opt.step(data.gradients(params, 0.5));
        }
        OptimizerState before = opt.exportState();
        INDArray paramsBefore = params.get("W").dup();
        Map<String, INDArray> bad = data.gradients(params, 0.5);
        bad.get("W").putScalar(2, 1, Double.NaN);
        OptimizerInputException e = assertThrows(OptimizerInputException.class, () -> opt.step(bad));
        assertTrue(e.getMessage().startsWith("gradient of parameter 'W' contains NaN or Inf at step 5"), e.getMessage());
        assertTrue(e.getMessage().endsWith("Nothing was updated."), e.getMessage());
        assertEquals(before, opt.exportState());
        assertEquals(paramsBefore, params.get("W"));
    }

    @Test
    void nonFiniteFactorIsAHardErrorAtTheNextAmortizedStep() {
        Map<String, INDArray> params = oneMatrix();
        ShampooConfig unchecked = eshampoo(3).toBuilder().checkGradientsFinite(false).build();
        Optimizer opt = Optimizers.create(unchecked, params);
        TestData data = new TestData(4);
        opt.step(data.gradients(params, 0.5));
        Map<String, INDArray> bad = data.gradients(params, 0.5);
        bad.get("W").putScalar(0, 0, Double.POSITIVE_INFINITY);
        opt.step(bad); // step 2 is before the first amortized step (S = 3): accepted, as the reference does
        NumericalFailureException e = assertThrows(NumericalFailureException.class, () -> opt.step(data.gradients(params, 0.5)));
        assertEquals(3, e.step());
        assertTrue(e.getMessage().startsWith("Kronecker factor 0 of block W/block_0 contains NaN or Inf at step 3"), e.getMessage());
    }
}
