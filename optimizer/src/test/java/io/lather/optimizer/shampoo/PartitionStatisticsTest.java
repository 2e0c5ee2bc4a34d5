package io.lather.optimizer.shampoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lather.optimizer.TestData;
import io.lather.optimizer.blocking.BlockId;
import io.lather.optimizer.config.OptimizerConfigParser;
import io.lather.optimizer.config.ShampooConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Externally supplied (partition) statistics: one partition reproduces the global step exactly (per-factor: to rounding);
 * more partitions do not.
 */
class PartitionStatisticsTest {
    private static ShampooConfig config(String preset, String start) {
        return (ShampooConfig) OptimizerConfigParser.parse(Map.of("optimizer", preset, "optimizer.max_preconditioner_dim", "8",
                "optimizer.precondition_frequency", "2", "optimizer.start_preconditioning_step", start, "optimizer.precision", "float64",
                "optimizer.lr", "0.01"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"shampoo", "per-factor-ema", "eshampoo", "soap"})
    void onePartitionIsTheGlobalStep(String preset) {
        // includes amortized steps (F = 2): at a step that refreshes EShampoo's basis, the supplied rotated squares
        // (measured in the old basis) are replaced by the global gradient's squares in the new one, as the reference
        ShampooConfig cfg = config(preset, "-1");
        Map<String, INDArray> pa = TestData.parameters(DataType.DOUBLE, 3);
        Map<String, INDArray> pb = TestData.copy(pa);
        ShampooOptimizer a = new ShampooOptimizer(cfg, pa, io.lather.optimizer.linalg.LapackEigensolver.INSTANCE);
        ShampooOptimizer b = new ShampooOptimizer(cfg, pb, io.lather.optimizer.linalg.LapackEigensolver.INSTANCE);
        StatisticsPlan plan = b.statisticsPlan();
        TestData data = new TestData(8);
        for (int t = 0; t < 9; t++) {
            Map<String, INDArray> g = data.gradients(pa, 0.4);
            a.step(TestData.copy(g));
            b.step(TestData.copy(g), plan.compute(g, b.eigenbases()));
        }
        if (preset.equals("per-factor-ema")) {
            // equal up to rounding only: with the global gradient the eigenvalue EMAs are row and column sums of
            // rot(G)⊙rot(G); with supplied outer products they are diag(Qᵀ O Q) (PerFactorBlock). Float64, 9 steps.
            a.exportState().tensors().forEach((k, v) -> {
                INDArray x = v.toINDArray().castTo(DataType.DOUBLE);
                INDArray y = b.exportState().tensors().get(k).toINDArray().castTo(DataType.DOUBLE);
                double scale = Math.max(x.norm2Number().doubleValue(), 1e-300);
                assertEquals(0.0, x.sub(y).norm2Number().doubleValue() / scale, 1e-12, k.toString());
            });
            pa.forEach((n, v) -> assertEquals(0.0, v.sub(pb.get(n)).norm2Number().doubleValue() / v.norm2Number().doubleValue(), 1e-12, n));
            return;
        }
        assertEquals(a.exportState(), b.exportState());
        pa.forEach((n, v) -> assertEquals(v, pb.get(n)));
    }

    @Test
    void twoPartitionsAverageTheirOuterProducts() {
        ShampooConfig cfg = config("shampoo", "-1");
        Map<String, INDArray> p = new LinkedHashMap<>();
        p.put("W", Nd4j.zeros(DataType.DOUBLE, 4, 3));
        ShampooOptimizer opt = new ShampooOptimizer(cfg, p, io.lather.optimizer.linalg.LapackEigensolver.INSTANCE);
        StatisticsPlan plan = opt.statisticsPlan();
        TestData data = new TestData(1);
        INDArray g1 = data.array(DataType.DOUBLE, -1, 1, 4, 3);
        INDArray g2 = data.array(DataType.DOUBLE, -1, 1, 4, 3);
        BlockId id = new BlockId("W", 0);
        BlockStatistics s1 = plan.compute(Map.of("W", g1), Map.of()).get(id);
        BlockStatistics s2 = plan.compute(Map.of("W", g2), Map.of()).get(id);
        INDArray[] avg = {s1.outerProducts()[0].add(s2.outerProducts()[0]).divi(2), s1.outerProducts()[1].add(s2.outerProducts()[1]).divi(2)};
        INDArray mean = g1.add(g2).divi(2);
        opt.step(Map.of("W", mean), Map.of(id, new BlockStatistics(avg, null)));
        INDArray left = opt.exportState().require(new io.lather.optimizer.state.StateKey("W", 0, "shampoo.factor_matrices.0")).toINDArray();
        // (1 − β2)·(G1G1ᵀ + G2G2ᵀ)/2, which is not (1 − β2)·ḠḠᵀ
        INDArray expected = g1.mmul(g1.transpose()).addi(g2.mmul(g2.transpose())).divi(2).muli(1 - cfg.beta2());
        assertEquals(0.0, left.sub(expected).amaxNumber().doubleValue(), 1e-15);
        assertNotEquals(0.0, left.sub(mean.mmul(mean.transpose()).muli(1 - cfg.beta2())).amaxNumber().doubleValue());
    }

    @Test
    void klVariantsRejectPartitionStatistics() {
        ShampooConfig cfg = (ShampooConfig) OptimizerConfigParser.parse(Map.of("optimizer", "kl-shampoo"));
        Map<String, INDArray> p = TestData.parameters(DataType.DOUBLE, 3);
        ShampooOptimizer opt = new ShampooOptimizer(cfg, p, io.lather.optimizer.linalg.LapackEigensolver.INSTANCE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> opt.step(new TestData(1).gradients(p, 0.1), Map.of()));
        assertEquals(true, e.getMessage().startsWith("partition statistics are not available for KL-Shampoo variants"));
    }
}
