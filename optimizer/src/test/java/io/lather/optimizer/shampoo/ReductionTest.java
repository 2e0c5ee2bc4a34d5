package io.lather.optimizer.shampoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lather.optimizer.Optimizer;
import io.lather.optimizer.Optimizers;
import io.lather.optimizer.TestData;
import io.lather.optimizer.config.DiagonalConfig;
import io.lather.optimizer.config.EigenvalueCorrectedShampooConfig;
import io.lather.optimizer.config.FactorStatisticsConfig;
import io.lather.optimizer.config.InverseExponentOverride;
import io.lather.optimizer.config.PerFactorEigenvalueCorrectedShampooConfig;
import io.lather.optimizer.config.Precision;
import io.lather.optimizer.config.RootInvShampooConfig;
import io.lather.optimizer.config.ShampooConfig;
import io.lather.optimizer.config.WeightDecayType;
import io.lather.optimizer.linalg.Tensors;
import io.lather.optimizer.state.HostTensor;
import io.lather.optimizer.state.OptimizerState;
import io.lather.optimizer.state.StateKey;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Reductions that tie the variants together (STYLE.md §8): switching preconditioning off, or freezing the basis, must
 * give exactly the simpler method. Each comparison runs both optimizers side by side on identical gradients.
 */
class ReductionTest {
    private static final int STEPS = 12;

    /** Runs two optimizers on identical gradient streams and returns the largest relative parameter difference seen. */
    private static double sideBySide(ShampooConfig a, ShampooConfig b, DataType type) {
        Map<String, INDArray> pa = TestData.parameters(type, 11);
        Map<String, INDArray> pb = TestData.copy(pa);
        Optimizer oa = Optimizers.create(a, pa);
        Optimizer ob = Optimizers.create(b, pb);
        TestData data = new TestData(99);
        double worst = 0;
        for (int t = 1; t <= STEPS; t++) {
            Map<String, INDArray> g = data.gradients(pa, 0.5);
            oa.step(TestData.copy(g));
            ob.step(TestData.copy(g));
            for (String n : pa.keySet()) {
                double scale = Math.max(Transforms.abs(pb.get(n)).maxNumber().doubleValue(), 1e-300);
                worst = Math.max(worst, Transforms.abs(pa.get(n).sub(pb.get(n))).maxNumber().doubleValue() / scale);
            }
        }
        return worst;
    }

    private static ShampooConfig.Builder base() {
        return ShampooConfig.builder().lr(0.01).betas(0.9, 0.99).epsilon(1e-8).weightDecay(0.01)
                .weightDecayType(WeightDecayType.DECOUPLED).maxPreconditionerDim(8).preconditionFrequency(2);
    }

    @Test
    void shampooBeforeItsStartStepIsExactlyItsGraftingMethod() {
        for (DiagonalConfig graft : new DiagonalConfig[] {new DiagonalConfig.Adam(0.999, 1e-8, false),
                new DiagonalConfig.AdaGrad(1e-10), new DiagonalConfig.RmsProp(0.99, 1e-8, false), new DiagonalConfig.Sgd()}) {
            ShampooConfig shampoo = base().grafting(graft).startPreconditioningStep(ShampooConfig.NEVER)
                    .preconditioner(RootInvShampooConfig.defaults(Precision.FLOAT64)).build();
            ShampooConfig plain = base().startPreconditioningStep(ShampooConfig.NEVER).preconditioner(graft).build();
            assertEquals(0.0, sideBySide(shampoo, plain, DataType.DOUBLE), graft.typeName() + ": bit-identical");
        }
    }

    @Test
    void eigenvalueCorrectionWithAFrozenIdentityBasisIsAdam() {
        // EShampoo never refreshing its basis (S = ∞) keeps Q = I: E is Adam's second moment, the direction Adam's.
        // Rotating by an identity GEMM is exact in IEEE arithmetic, so the trajectories agree to the last bit except
        // for sqrt(E/bc) in the two code paths, which are the same operations: the tolerance is 0.
        ShampooConfig ec = base().startPreconditioningStep(ShampooConfig.NEVER)
                .preconditioner(EigenvalueCorrectedShampooConfig.eshampoo(Precision.FLOAT64)).build();
        ShampooConfig adam = base().startPreconditioningStep(ShampooConfig.NEVER)
                .preconditioner(new DiagonalConfig.Adam(0.99, 1e-8, false)).build();
        assertEquals(0.0, sideBySide(ec, adam, DataType.DOUBLE));
        // …and AdamW with L2 instead of decoupled decay likewise (Adam(wd))
        ShampooConfig ecL2 = ec.toBuilder().weightDecayType(WeightDecayType.L2).build();
        ShampooConfig adamL2 = adam.toBuilder().weightDecayType(WeightDecayType.L2).build();
        assertEquals(0.0, sideBySide(ecL2, adamL2, DataType.DOUBLE));
    }

    @Test
    void perFactorEigenvalueEmaWithAFixedBasisEqualsDiagOfTheRotatedFactor() {
        // With Q fixed, E_t = β2·E + w·diag(QᵀO_tQ) and F_t = β2·F + w·O_t give E_t = diag(QᵀF_tQ) by linearity.
        // Fix a random orthogonal Q by importing it into the state and never refreshing (S = ∞).
        PerFactorEigenvalueCorrectedShampooConfig pf = PerFactorEigenvalueCorrectedShampooConfig.defaults(Precision.FLOAT64);
        ShampooConfig cfg = base().startPreconditioningStep(ShampooConfig.NEVER).preconditioner(pf).build();
        Map<String, INDArray> params = new LinkedHashMap<>();
        params.put("W", new TestData(5).array(DataType.DOUBLE, -1, 1, 6, 5));
        Optimizer opt = Optimizers.create(cfg, params);
        OptimizerState s = opt.exportState();
        Map<StateKey, HostTensor> t = new LinkedHashMap<>(s.tensors());
        INDArray[] q = {orthogonal(6, 1), orthogonal(5, 2)};
        for (int j = 0; j < 2; j++) {
            t.put(new StateKey("W", 0, "shampoo.factor_matrices_eigenvectors." + j), HostTensor.of(q[j]));
        }
        opt.importState(OptimizerState.of(s.optimizerType(), t));
        TestData data = new TestData(6);
        for (int step = 1; step <= STEPS; step++) {
            opt.step(data.gradients(params, 1.0));
        }
        OptimizerState end = opt.exportState();
        for (int j = 0; j < 2; j++) {
            INDArray f = end.require(new StateKey("W", 0, "shampoo.factor_matrices." + j)).toINDArray();
            INDArray lambda = end.require(new StateKey("W", 0, "shampoo.factor_matrices_eigenvalues." + j)).toINDArray();
            INDArray expected = Nd4j.diag(Tensors.congruence(q[j], f));
            double rel = Transforms.abs(lambda.sub(expected)).maxNumber().doubleValue() / expected.maxNumber().doubleValue();
            // the two sides sum the same products in different orders: a few ulps per step over 12 steps
            assertTrue(rel < 1e-13, "factor " + j + ": relative deviation " + rel);
        }
    }

    /** A deterministic orthogonal matrix: eigenvectors of a random symmetric matrix. */
    private static INDArray orthogonal(int n, long seed) {
        INDArray a = new TestData(seed).array(DataType.DOUBLE, -1, 1, n, n);
        return io.lather.optimizer.linalg.LapackEigensolver.INSTANCE.eigh(a.add(a.transpose()), false).eigenvectors();
    }

    @Test
    void defaultExponentsOnAVectorAreFullMatrixAdaGradAtBetaOne() {
        // T1-style hand check: RootInv with β2 = 1 on a vector block and two orthogonal unit gradients; with the
        // inverse root computed at step 2 from L = g1g1ᵀ + g2g2ᵀ = I the step-2 direction is g2 itself.
        ShampooConfig cfg = ShampooConfig.builder().lr(1.0).betas(0.0, 1.0).epsilon(1e-12).preconditionFrequency(2)
                .preconditioner(new RootInvShampooConfig(FactorStatisticsConfig.defaults(Precision.FLOAT64),
                        io.lather.optimizer.config.RootComputationConfig.Eigen.defaults(), InverseExponentOverride.none(), false,
                        Precision.FLOAT64)).build();
        Map<String, INDArray> params = new LinkedHashMap<>();
        params.put("v", Nd4j.zeros(DataType.DOUBLE, 2));
        Optimizer opt = Optimizers.create(cfg, params);
        opt.step(Map.of("v", Nd4j.createFromArray(1.0, 0.0)));
        INDArray before = params.get("v").dup();
        opt.step(Map.of("v", Nd4j.createFromArray(0.0, 1.0)));
        INDArray delta = params.get("v").sub(before);
        assertEquals(0.0, delta.getDouble(0), 1e-12);
        assertEquals(-1.0, delta.getDouble(1), 1e-9);
    }
}
