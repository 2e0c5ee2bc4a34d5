package io.lather.optimizer.soap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lather.optimizer.Optimizer;
import io.lather.optimizer.OptimizerErrors;
import io.lather.optimizer.OptimizerInputException;
import io.lather.optimizer.OptimizerStatistics;
import io.lather.optimizer.Optimizers;
import io.lather.optimizer.config.NvidiaSoapConfig;
import io.lather.optimizer.config.NvidiaSoapConfig.Version;
import io.lather.optimizer.config.NvidiaSoapConfig.WeightDecayMethod;
import io.lather.optimizer.linalg.LapackEigensolver;
import io.lather.optimizer.linalg.Tensors;
import io.lather.optimizer.state.HostTensor;
import io.lather.optimizer.state.OptimizerState;
import io.lather.optimizer.state.StateCodec;
import io.lather.optimizer.state.StateException;
import io.lather.optimizer.state.StateKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Unit tests of {@link NvidiaSoapOptimizer} for what the golden trajectories do not cover (golden README §10: KL,
 * max_update_rms, l2/independent/palm, Nesterov at HEAD, tensors of order ≥ 3, frequency > 1, float32), plus the
 * contract shared by all optimizers (atomic rejection of bad input, strict import, bit-exact continuation).
 */
class NvidiaSoapOptimizerTest {

    // ------------------------------------------------------------------------------------------ helpers

    /** A config with every field spelled out (record order), starting from the reference defaults. */
    private static NvidiaSoapConfig config(Version v, double lr, double wd, WeightDecayMethod wdm, boolean nesterov, int freq,
            int warmup, boolean precondition1d, long maxPrecondDim, boolean useEigh, boolean adaptive, double tol, int powerIter,
            double maxUpdateRms, boolean kl) {
        return new NvidiaSoapConfig(v, lr, 0.9, 0.95, 0.95, 1e-8, wd, wdm, nesterov, freq, warmup, precondition1d, maxPrecondDim,
                true, true, useEigh, adaptive, tol, powerIter, maxUpdateRms, kl);
    }

    private static NvidiaSoapConfig legacy(int freq, int warmup) {
        return config(Version.LEGACY, 0.03, 0.01, WeightDecayMethod.DECOUPLED, false, freq, warmup, false, Long.MAX_VALUE, false,
                false, 1e-7, 1, 0.0, false);
    }

    private static INDArray random(Random rnd, DataType type, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        double[] v = new double[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextDouble() * 2 - 1;
        }
        INDArray a = Nd4j.createFromArray(v).reshape(shape);
        return type == DataType.DOUBLE ? a : a.castTo(type);
    }

    private static Map<String, INDArray> params(long seed, DataType type, Map<String, long[]> shapes) {
        Random rnd = new Random(seed);
        Map<String, INDArray> out = new LinkedHashMap<>();
        shapes.forEach((n, s) -> out.put(n, random(rnd, type, s)));
        return out;
    }

    private static Map<String, INDArray> copy(Map<String, INDArray> params) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        params.forEach((n, p) -> out.put(n, p.dup('c')));
        return out;
    }

    /** Deterministic gradients for step t: a pull towards fixed targets plus step-dependent noise (generic, full rank). */
    private static Map<String, INDArray> gradients(Map<String, INDArray> params, long t) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        Random rnd = new Random(1000 + t);
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            INDArray p = e.getValue();
            INDArray target = random(new Random(e.getKey().hashCode()), p.dataType(), p.shape());
            out.put(e.getKey(), p.sub(target).addi(random(rnd, p.dataType(), p.shape()).muli(0.5)));
        }
        return out;
    }

    private static void run(Optimizer opt, Map<String, INDArray> params, long from, long to) {
        for (long t = from; t <= to; t++) {
            opt.step(gradients(params, t));
        }
    }

    private static void assertBitIdentical(Map<String, INDArray> expected, Map<String, INDArray> actual) {
        for (String n : expected.keySet()) {
            assertEquals(HostTensor.of(expected.get(n)), HostTensor.of(actual.get(n)), "parameter " + n + " differs");
        }
    }

    private static Set<String> keyNames(OptimizerState s) {
        return s.tensors().keySet().stream().map(StateKey::toString).collect(Collectors.toCollection(TreeSet::new));
    }

    private static INDArray tensor(OptimizerState s, String param, String key) {
        return s.require(new StateKey(param, -1, key)).toINDArray();
    }

    private static boolean finite(Optimizer opt) {
        for (INDArray p : opt.parameters().values()) {
            if (!Tensors.allFinite(p)) {
                return false;
            }
        }
        for (HostTensor t : opt.exportState().tensors().values()) {
            if (t.type() != io.lather.optimizer.state.TensorType.INT64 && !Tensors.allFinite(t.toINDArray())) {
                return false;
            }
        }
        return true;
    }

    /** A 3×3 rotation: Givens rotations by the given angles in the (0,1), (1,2) and (0,2) planes. */
    private static INDArray rotation(double a, double b, double c) {
        INDArray g1 = Nd4j.createFromArray(new double[][] {{Math.cos(a), -Math.sin(a), 0}, {Math.sin(a), Math.cos(a), 0}, {0, 0, 1}});
        INDArray g2 = Nd4j.createFromArray(new double[][] {{1, 0, 0}, {0, Math.cos(b), -Math.sin(b)}, {0, Math.sin(b), Math.cos(b)}});
        INDArray g3 = Nd4j.createFromArray(new double[][] {{Math.cos(c), 0, -Math.sin(c)}, {0, 1, 0}, {Math.sin(c), 0, Math.cos(c)}});
        return g1.mmul(g2).mmul(g3);
    }

    private static double maxAbs(INDArray a) {
        return a.isEmpty() ? 0 : org.nd4j.linalg.ops.transforms.Transforms.abs(a).maxNumber().doubleValue();
    }

    // ------------------------------------------------------------------------------------------ construction

    @Test
    void headRejectsParametersThatAreNotMatrices() {
        NvidiaSoapConfig head = NvidiaSoapConfig.defaults(Version.HEAD, 0.01);
        for (long[] shape : List.of(new long[] {6}, new long[] {2, 3, 4}, new long[0])) {
            Map<String, INDArray> p = new LinkedHashMap<>();
            p.put("W", Nd4j.zeros(DataType.DOUBLE, 3, 2));
            p.put("b", Nd4j.zeros(DataType.DOUBLE, shape));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Optimizers.create(head, p));
            assertTrue(e.getMessage().startsWith("parameter 'b' has shape " + java.util.Arrays.toString(shape)), e.getMessage());
            assertTrue(e.getMessage().contains("version head supports 2-D parameters only"), e.getMessage());
            assertTrue(e.getMessage().contains("Fix: use version legacy"), e.getMessage());
        }
    }

    @Test
    void klRejectsParametersThatAreNotFullyPreconditionedMatrices() {
        NvidiaSoapConfig kl = config(Version.LEGACY, 0.01, 0, WeightDecayMethod.DECOUPLED, false, 1, 0, false, 4, false, false, 1e-7, 1,
                0, true);
        IllegalArgumentException vector = assertThrows(IllegalArgumentException.class,
                () -> new NvidiaSoapOptimizer(kl, Map.of("b", Nd4j.zeros(DataType.DOUBLE, 3)), LapackEigensolver.INSTANCE));
        assertTrue(vector.getMessage().contains("use_kl_shampoo needs 2-D parameters"), vector.getMessage());
        IllegalArgumentException wide = assertThrows(IllegalArgumentException.class,
                () -> new NvidiaSoapOptimizer(kl, Map.of("W", Nd4j.zeros(DataType.DOUBLE, 3, 5)), LapackEigensolver.INSTANCE));
        assertTrue(wide.getMessage().contains("max_precond_dim (4)"), wide.getMessage());
    }

    @Test
    void rejectsIntegerParameters() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Optimizers.create(
                NvidiaSoapConfig.defaults(Version.LEGACY, 0.01), Map.of("W", Nd4j.zeros(DataType.INT, 2, 2))));
        assertTrue(e.getMessage().contains("float32 and float64 parameters only"), e.getMessage());
    }

    // ------------------------------------------------------------------------------------------ schedule

    /**
     * ALGORITHMS.md §12 T24 (NV-v0's 1-based rule with precondition warm-up) adapted to LEGACY's rule: refresh at the
     * 0-based step s iff s ≥ adam_warmup_steps and s mod F = 0.
     */
    @Test
    void legacyRefreshScheduleTable() {
        long[][] rows = { // s, adam_warmup_steps, F, expected (1 = refresh)
            {0, 0, 1, 1}, {7, 0, 1, 1}, {0, 1, 1, 0}, {1, 1, 1, 1},
            {5, 10, 10, 0}, {9, 10, 10, 0}, {10, 10, 10, 1}, {15, 10, 10, 0}, {20, 10, 10, 1}, {21, 10, 10, 0}, {30, 10, 10, 1},
            {5, 5, 2, 0}, {6, 5, 2, 1}, {7, 5, 2, 0}, {3, 0, 2, 0}, {4, 0, 2, 1}};
        for (long[] r : rows) {
            assertEquals(r[3] == 1, NvidiaSoapOptimizer.isLegacyRefreshStep(r[0], (int) r[1], (int) r[2]),
                    "s=" + r[0] + " warmup=" + r[1] + " F=" + r[2]);
        }
    }

    /** The schedule as seen from outside: statistics grow exactly at the refresh steps (1-based t = s + 1). */
    @Test
    void legacyStatisticsFollowTheSchedule() {
        for (int[] wf : new int[][] {{2, 3}, {3, 3}, {0, 4}}) {
            int warmup = wf[0];
            int freq = wf[1];
            Map<String, INDArray> p = params(1, DataType.DOUBLE, Map.of("W", new long[] {4, 3}));
            Optimizer opt = Optimizers.create(legacy(freq, warmup), p);
            for (long t = 1; t <= 12; t++) {
                OptimizerStatistics before = opt.statistics();
                opt.step(gradients(p, t));
                OptimizerStatistics d = opt.statistics().minus(before);
                boolean refresh = NvidiaSoapOptimizer.isLegacyRefreshStep(t - 1, warmup, freq);
                assertEquals(refresh ? 1 : 0, d.amortizedSteps(), "warmup " + warmup + " F " + freq + " t " + t);
                assertEquals(refresh ? 2 : 0, d.factorComputations(), "warmup " + warmup + " F " + freq + " t " + t);
            }
            assertTrue(finite(opt));
        }
    }

    @Test
    void headRefreshesBothFactorsEveryStep() {
        Map<String, INDArray> p = params(2, DataType.DOUBLE, Map.of("W", new long[] {4, 3}, "V", new long[] {3, 3}));
        Optimizer opt = Optimizers.create(NvidiaSoapConfig.defaults(Version.HEAD, 0.01), p);
        run(opt, p, 1, 5);
        assertEquals(new OptimizerStatistics(5, 5, 20, 0, 0), opt.statistics());
    }

    /** With repeated identical gradients the factor stays GGᵀ, the first eigh diagonalises it, and every later refresh is skipped. */
    @Test
    void legacyAdaptiveCriterionSkipsWhenTheBasisStillDiagonalisesTheFactors() {
        NvidiaSoapConfig c = config(Version.LEGACY, 0.01, 0, WeightDecayMethod.DECOUPLED, false, 1, 0, false, Long.MAX_VALUE, false,
                true, 1e-7, 1, 0, false);
        Map<String, INDArray> p = params(3, DataType.DOUBLE, Map.of("W", new long[] {3, 3}));
        INDArray g = random(new Random(4), DataType.DOUBLE, 3, 3);
        Optimizer opt = Optimizers.create(c, p);
        for (int t = 0; t < 6; t++) {
            opt.step(Map.of("W", g.dup()));
        }
        assertEquals(new OptimizerStatistics(6, 6, 2, 10, 0), opt.statistics());
    }

    /** Before the Adam warm-up ends LEGACY is exactly AdamW in parameter coordinates. */
    @Test
    void legacyWarmupStepsArePlainAdamW() {
        double lr = 0.03;
        double wd = 0.01;
        Map<String, INDArray> p = params(5, DataType.DOUBLE, Map.of("W", new long[] {4, 3}, "b", new long[] {3}));
        Map<String, INDArray> ref = copy(p);
        Optimizer opt = Optimizers.create(legacy(1, 4), p);
        Map<String, INDArray> m = new LinkedHashMap<>();
        Map<String, INDArray> v = new LinkedHashMap<>();
        ref.forEach((n, x) -> {
            m.put(n, x.mul(0));
            v.put(n, x.mul(0));
        });
        for (long t = 1; t <= 4; t++) {
            Map<String, INDArray> g = gradients(p, t);
            opt.step(g);
            for (String n : ref.keySet()) {
                INDArray w = ref.get(n);
                INDArray gr = g.get(n);
                m.get(n).addi(gr.sub(m.get(n)).muli(1 - 0.9));
                v.get(n).addi(gr.mul(gr).subi(v.get(n)).muli(1 - 0.95));
                INDArray u = m.get(n).div(1 - Math.pow(0.9, t))
                        .divi(org.nd4j.linalg.ops.transforms.Transforms.sqrt(v.get(n).div(1 - Math.pow(0.95, t))).addi(1e-8));
                w.addi(w.mul(-wd * lr)).addi(u.muli(-lr));
                assertEquals(0.0, maxAbs(w.sub(p.get(n))), 1e-15, n + " at step " + t);
            }
        }
    }

    // ------------------------------------------------------------------------------------------ first step

    /**
     * Step 1 is Adam in the eigenbasis (golden README §6.3): L = GGᵀ and R = GᵀG, so with G = U·diag(σ)·Vᵀ the bases are
     * ±U and ±V (descending σ), Ĝ = Q_Lᵀ G Q_R = ±diag(σ), m = 0.1·Ĝ, v = 0.05·Ĝ², and the update is
     * −lr·Q_L·diag(Ĝ/(|Ĝ| + ε))·Q_Rᵀ = −lr·U·diag(σ/(σ + ε))·Vᵀ, the polar factor of G.
     */
    @Test
    void firstStepIsAdamInTheEigenbasis() {
        INDArray u = rotation(0.3, -0.7, 1.1);
        INDArray vt = rotation(-0.4, 0.9, 0.2).transpose();
        double[] sigma = {3, 2, 1};
        INDArray g = u.mmul(Nd4j.diag(Nd4j.createFromArray(sigma))).mmul(vt);
        double eps = 1e-8;
        INDArray expected = u.mmul(Nd4j.diag(Nd4j.createFromArray(
                new double[] {3 / (3 + eps), 2 / (2 + eps), 1 / (1 + eps)}))).mmul(vt).muli(-1.0);
        for (Version version : Version.values()) {
            NvidiaSoapConfig c = config(version, 1.0, 0, WeightDecayMethod.DECOUPLED, false, 1, 0, false, Long.MAX_VALUE, false,
                    false, 1e-7, 1, 0, false);
            INDArray w0 = Nd4j.zeros(DataType.DOUBLE, 3, 3);
            Optimizer opt = Optimizers.create(c, Map.of("W", w0));
            opt.step(Map.of("W", g.dup()));
            // Off-diagonal entries of Ĝ are rounding noise (~1e-16) that Adam maps to noise/(|noise| + ε) ≤ ~1e-8.
            assertEquals(0.0, maxAbs(w0.sub(expected)), 1e-7, version + ": update is not the polar factor of G");
            OptimizerState s = opt.exportState();
            String ql = version == Version.HEAD ? "Q_L" : "Q.0";
            String qr = version == Version.HEAD ? "Q_R" : "Q.1";
            INDArray alignL = org.nd4j.linalg.ops.transforms.Transforms.abs(tensor(s, "W", ql).transpose().mmul(u));
            INDArray alignR = org.nd4j.linalg.ops.transforms.Transforms.abs(tensor(s, "W", qr).transpose().mmul(vt.transpose()));
            assertEquals(0.0, maxAbs(alignL.sub(Nd4j.eye(3).castTo(DataType.DOUBLE))), 1e-12, version + ": Q_L is not ±U");
            assertEquals(0.0, maxAbs(alignR.sub(Nd4j.eye(3).castTo(DataType.DOUBLE))), 1e-12, version + ": Q_R is not ±V");
            INDArray m = tensor(s, "W", "exp_avg");
            INDArray v = tensor(s, "W", "exp_avg_sq");
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    double mExp = i == j ? (1 - 0.9) * sigma[i] : 0;
                    double vExp = i == j ? (1 - 0.95) * sigma[i] * sigma[i] : 0;
                    assertEquals(mExp, Math.abs(m.getDouble(i, j)), 1e-12, version + ": exp_avg[" + i + "," + j + "]");
                    assertEquals(vExp, v.getDouble(i, j), 1e-12, version + ": exp_avg_sq[" + i + "," + j + "]");
                }
            }
        }
    }

    /** LEGACY's eigh_with_fallback: an exactly diagonal factor gets identity columns by descending diagonal, no eigh. */
    @Test
    void legacyExactlyDiagonalFactorGetsThePermutedIdentity() {
        NvidiaSoapConfig c = legacy(1, 0);
        Optimizer opt = Optimizers.create(c, Map.of("W", Nd4j.zeros(DataType.DOUBLE, 2, 3)));
        opt.step(Map.of("W", Nd4j.createFromArray(new double[][] {{1, 0, 0}, {0, 3, 0}})));
        OptimizerState s = opt.exportState();
        assertEquals(Nd4j.createFromArray(new double[][] {{0, 1}, {1, 0}}), tensor(s, "W", "Q.0"));
        assertEquals(Nd4j.createFromArray(new double[][] {{0, 1, 0}, {1, 0, 0}, {0, 0, 1}}), tensor(s, "W", "Q.1"));
    }

    // ------------------------------------------------------------------------------------------ state

    @Test
    void stateUsesTheReferenceKeyNames() {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put("W", new long[] {4, 3});
        shapes.put("b", new long[] {3});
        shapes.put("s", new long[0]);
        Optimizer legacy = Optimizers.create(legacy(1, 0), params(6, DataType.DOUBLE, shapes));
        Set<String> keys = keyNames(legacy.exportState());
        assertEquals(new TreeSet<>(List.of("step", "lr", "statistics.amortized_steps", "statistics.factor_computations",
                "statistics.factor_skips", "statistics.failed_computations", "W/step", "W/exp_avg", "W/exp_avg_sq", "W/GG.0", "W/GG.1",
                "W/Q.0", "W/Q.1", "b/step", "b/exp_avg", "b/exp_avg_sq", "b/GG.0", "b/Q.0", "s/step", "s/exp_avg", "s/exp_avg_sq")),
                keys);
        OptimizerState ls = legacy.exportState();
        assertArrayEquals(new long[] {0}, ls.require(new StateKey("b", -1, "GG.0")).shape());
        assertArrayEquals(new long[] {0, 0}, ls.require(new StateKey("b", -1, "Q.0")).shape());
        assertEquals(0L, ls.require(new StateKey("W", -1, "step")).scalarLong());

        Optimizer head = Optimizers.create(NvidiaSoapConfig.defaults(Version.HEAD, 0.01),
                params(6, DataType.DOUBLE, Map.of("W", new long[] {4, 3})));
        Set<String> headKeys = keyNames(head.exportState());
        assertTrue(headKeys.containsAll(List.of("W/step", "W/exp_avg", "W/exp_avg_sq", "W/L", "W/R", "W/Q_L", "W/Q_R", "W/eigvals_L",
                "W/eigvals_R")), headKeys.toString());
        assertEquals(15, headKeys.size());
    }

    /** Export → codec → import into a fresh optimizer → continue is bit-identical to an uninterrupted run. */
    @Test
    void exportImportContinuesBitIdentically() {
        Map<String, long[]> legacyShapes = new LinkedHashMap<>();
        legacyShapes.put("W", new long[] {4, 3});
        legacyShapes.put("b", new long[] {3});
        legacyShapes.put("T", new long[] {2, 3, 2});
        legacyShapes.put("s", new long[0]);
        legacyShapes.put("wide", new long[] {2, 7}); // mode 1 exceeds max_precond_dim = 5: one-sided
        NvidiaSoapConfig legacyQr = config(Version.LEGACY, 0.02, 0.01, WeightDecayMethod.DECOUPLED, true, 2, 3, true, 5, false, true,
                1e-3, 2, 0.5, false);
        NvidiaSoapConfig legacyEigh = config(Version.LEGACY, 0.02, 0.01, WeightDecayMethod.L2, false, 1, 0, false, Long.MAX_VALUE, true,
                false, 1e-7, 1, 0, false);
        Map<String, long[]> headShapes = new LinkedHashMap<>();
        headShapes.put("W", new long[] {4, 3});
        headShapes.put("V", new long[] {3, 5});
        NvidiaSoapConfig head = config(Version.HEAD, 0.02, 0.01, WeightDecayMethod.PALM, true, 1, 0, false, Long.MAX_VALUE, false, false,
                1e-7, 1, 0.2, true);
        record Case(NvidiaSoapConfig config, Map<String, long[]> shapes, DataType type, int split) {}
        List<Case> cases = List.of(
                new Case(legacyQr, legacyShapes, DataType.DOUBLE, 1), // before the first refresh (Q absent in the reference)
                new Case(legacyQr, legacyShapes, DataType.DOUBLE, 6),
                new Case(legacyQr, legacyShapes, DataType.FLOAT, 6),
                new Case(legacyEigh, legacyShapes, DataType.DOUBLE, 3),
                new Case(head, headShapes, DataType.DOUBLE, 3),
                new Case(head, headShapes, DataType.FLOAT, 3));
        for (Case c : cases) {
            Map<String, INDArray> a = params(7, c.type(), c.shapes());
            Map<String, INDArray> b = copy(a);
            Optimizer uninterrupted = Optimizers.create(c.config(), a);
            run(uninterrupted, a, 1, 12);

            Optimizer first = Optimizers.create(c.config(), b);
            run(first, b, 1, c.split());
            byte[] checkpoint = StateCodec.encode(first.exportState());
            Map<String, INDArray> resumed = copy(b);
            Optimizer second = Optimizers.create(c.config(), resumed);
            second.importState(StateCodec.decode(checkpoint));
            assertEquals(first.exportState(), second.exportState(), "import did not restore the state exactly");
            run(second, resumed, c.split() + 1, 12);

            assertBitIdentical(a, resumed);
            assertEquals(uninterrupted.exportState(), second.exportState(), c.config().version() + " " + c.type() + " split " + c.split());
            assertEquals(uninterrupted.statistics(), second.statistics());
            assertTrue(finite(second));
        }
    }

    @Test
    void importIsStrictAndAtomic() {
        Map<String, INDArray> p = params(8, DataType.DOUBLE, Map.of("W", new long[] {4, 3}));
        Optimizer opt = Optimizers.create(legacy(1, 0), p);
        run(opt, p, 1, 3);
        OptimizerState good = opt.exportState();

        Map<StateKey, HostTensor> missing = new LinkedHashMap<>(good.tensors());
        missing.remove(new StateKey("W", -1, "exp_avg"));
        StateException e1 = assertThrows(StateException.class, () -> opt.importState(OptimizerState.of("nvidia_soap", missing)));
        assertTrue(e1.getMessage().contains("missing [W/exp_avg], unexpected none"), e1.getMessage());

        Map<StateKey, HostTensor> extra = new LinkedHashMap<>(good.tensors());
        extra.put(new StateKey("W", -1, "L"), HostTensor.ofDouble(1));
        StateException e2 = assertThrows(StateException.class, () -> opt.importState(OptimizerState.of("nvidia_soap", extra)));
        assertTrue(e2.getMessage().contains("missing none, unexpected [W/L]"), e2.getMessage());

        Map<StateKey, HostTensor> badShape = new LinkedHashMap<>(good.tensors());
        badShape.put(new StateKey("W", -1, "GG.0"), HostTensor.of(Nd4j.zeros(DataType.DOUBLE, 3, 3)));
        StateException e3 = assertThrows(StateException.class, () -> opt.importState(OptimizerState.of("nvidia_soap", badShape)));
        assertTrue(e3.getMessage().contains("'W/GG.0' is float64[3, 3] but this optimizer holds float64[4, 4]"), e3.getMessage());

        Map<StateKey, HostTensor> badType = new LinkedHashMap<>(good.tensors());
        badType.put(new StateKey("W", -1, "Q.1"), HostTensor.of(Nd4j.zeros(DataType.FLOAT, 3, 3)));
        assertThrows(StateException.class, () -> opt.importState(OptimizerState.of("nvidia_soap", badType)));

        Map<StateKey, HostTensor> negative = new LinkedHashMap<>(good.tensors());
        negative.put(new StateKey("W", -1, "step"), HostTensor.ofLong(-1));
        assertThrows(StateException.class, () -> opt.importState(OptimizerState.of("nvidia_soap", negative)));

        StateException e4 = assertThrows(StateException.class, () -> opt.importState(OptimizerState.of("shampoo", good.tensors())));
        assertTrue(e4.getMessage().contains("written by a 'shampoo' optimizer"), e4.getMessage());

        // A HEAD state does not fit a LEGACY optimizer (different reference keys).
        Optimizer head = Optimizers.create(NvidiaSoapConfig.defaults(Version.HEAD, 0.03), copy(p));
        assertThrows(StateException.class, () -> opt.importState(head.exportState()));

        assertEquals(good, opt.exportState(), "a rejected import changed the state");
    }

    // ------------------------------------------------------------------------------------------ step input

    @Test
    void invalidGradientsChangeNothing() {
        Map<String, INDArray> p = params(9, DataType.DOUBLE, Map.of("W", new long[] {4, 3}, "b", new long[] {3}));
        Optimizer opt = Optimizers.create(legacy(1, 0), p);
        run(opt, p, 1, 2);
        OptimizerState before = opt.exportState();
        Map<String, INDArray> snapshot = copy(p);

        Map<String, INDArray> nan = gradients(p, 3);
        nan.get("b").putScalar(1, Double.NaN);
        OptimizerInputException e = assertThrows(OptimizerInputException.class, () -> opt.step(nan));
        assertEquals(OptimizerErrors.nonFiniteGradient("b", 3).getMessage(), e.getMessage());

        Map<String, INDArray> inf = gradients(p, 3);
        inf.get("W").putScalar(0, 0, Double.POSITIVE_INFINITY);
        assertThrows(OptimizerInputException.class, () -> opt.step(inf));

        Map<String, INDArray> unknown = gradients(p, 3);
        unknown.put("nope", Nd4j.zeros(DataType.DOUBLE, 2));
        assertThrows(OptimizerInputException.class, () -> opt.step(unknown));

        Map<String, INDArray> shape = gradients(p, 3);
        shape.put("b", Nd4j.zeros(DataType.DOUBLE, 4));
        assertThrows(OptimizerInputException.class, () -> opt.step(shape));

        Map<String, INDArray> type = gradients(p, 3);
        type.put("b", type.get("b").castTo(DataType.FLOAT));
        assertThrows(OptimizerInputException.class, () -> opt.step(type));

        assertEquals(before, opt.exportState());
        assertBitIdentical(snapshot, p);
        assertEquals(2, opt.stepCount());
    }

    /** A parameter without a gradient keeps its parameter values and its state (including its own step counter). */
    @Test
    void absentGradientLeavesTheParameterAndItsStateUnchanged() {
        Map<String, INDArray> p = params(10, DataType.DOUBLE, Map.of("W", new long[] {4, 3}, "V", new long[] {2, 2}));
        Optimizer opt = Optimizers.create(NvidiaSoapConfig.defaults(Version.HEAD, 0.01), p);
        run(opt, p, 1, 2);
        INDArray v = p.get("V").dup();
        OptimizerState before = opt.exportState();
        opt.step(Map.of("W", gradients(p, 3).get("W")));
        OptimizerState after = opt.exportState();
        assertEquals(v, p.get("V"));
        for (String key : List.of("step", "exp_avg", "exp_avg_sq", "L", "R", "Q_L", "Q_R", "eigvals_L", "eigvals_R")) {
            assertEquals(before.require(new StateKey("V", -1, key)), after.require(new StateKey("V", -1, key)), key);
        }
        assertEquals(3L, after.require(new StateKey("W", -1, "step")).scalarLong());
    }

    /** The caller's gradient is never modified (the reference adds the l2 term to it in place). */
    @Test
    void callerGradientIsNotModified() {
        NvidiaSoapConfig l2 = config(Version.LEGACY, 0.01, 0.1, WeightDecayMethod.L2, false, 1, 0, false, Long.MAX_VALUE, false, false,
                1e-7, 1, 0, false);
        Map<String, INDArray> p = params(11, DataType.DOUBLE, Map.of("W", new long[] {3, 3}));
        Optimizer opt = Optimizers.create(l2, p);
        Map<String, INDArray> g = gradients(p, 1);
        INDArray copy = g.get("W").dup();
        opt.step(g);
        assertEquals(copy, g.get("W"));
    }

    // ------------------------------------------------------------------------------------------ options without goldens

    /** KL-Shampoo (both versions) runs, keeps everything finite, and differs from the plain factor update. No golden covers it. */
    @Test
    void klShampooRunsAndStaysFinite() {
        for (Version version : Version.values()) {
            NvidiaSoapConfig kl = config(version, 0.01, 0.01, WeightDecayMethod.DECOUPLED, false, 1, 0, false, Long.MAX_VALUE, false,
                    false, 1e-7, 1, 0, true);
            NvidiaSoapConfig plain = config(version, 0.01, 0.01, WeightDecayMethod.DECOUPLED, false, 1, 0, false, Long.MAX_VALUE, false,
                    false, 1e-7, 1, 0, false);
            Map<String, INDArray> a = params(12, DataType.DOUBLE, Map.of("W", new long[] {5, 3}, "V", new long[] {4, 4}));
            Map<String, INDArray> b = copy(a);
            Optimizer withKl = Optimizers.create(kl, a);
            Optimizer without = Optimizers.create(plain, b);
            double start = lossProxy(a);
            run(withKl, a, 1, 25);
            run(without, b, 1, 25);
            assertTrue(finite(withKl), version + ": KL run is not finite");
            assertTrue(maxAbs(a.get("W").sub(b.get("W"))) > 1e-6, version + ": KL made no difference");
            assertTrue(lossProxy(a) < start, version + ": KL run did not make progress");
        }
    }

    /** Distance to the gradient's targets (see {@link #gradients}), a rough progress measure. */
    private static double lossProxy(Map<String, INDArray> params) {
        double s = 0;
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            INDArray target = random(new Random(e.getKey().hashCode()), e.getValue().dataType(), e.getValue().shape());
            s += e.getValue().sub(target).norm2Number().doubleValue();
        }
        return s;
    }

    /** max_update_rms clips every applied update to that RMS (wd = 0, so ΔW = −lr·U). No golden covers it. */
    @Test
    void maxUpdateRmsClipsTheUpdate() {
        double lr = 0.1;
        double maxRms = 0.05;
        for (Version version : Version.values()) {
            NvidiaSoapConfig c = config(version, lr, 0, WeightDecayMethod.DECOUPLED, version == Version.HEAD, 1, 0, false,
                    Long.MAX_VALUE, false, false, 1e-7, 1, maxRms, false);
            Map<String, INDArray> p = params(13, DataType.DOUBLE, Map.of("W", new long[] {4, 3}));
            Optimizer opt = Optimizers.create(c, p);
            for (long t = 1; t <= 20; t++) {
                INDArray before = p.get("W").dup();
                opt.step(gradients(p, t));
                INDArray delta = p.get("W").sub(before).divi(-lr);
                double rms = Math.sqrt(delta.mul(delta).meanNumber().doubleValue());
                // Adam's unclipped update has RMS ≈ 1, so every step is clipped to maxRms·rms/(rms + 1e-7).
                assertTrue(rms <= maxRms * (1 + 1e-9), version + " step " + t + ": rms " + rms);
                assertTrue(rms > 0.9 * maxRms, version + " step " + t + ": rms " + rms);
            }
            assertTrue(finite(opt));
        }
    }

    /** The weight-decay methods shrink W by exactly their factor when the gradient is zero (Adam's update is then 0). */
    @Test
    void weightDecayMethods() {
        double lr = 0.1;
        double wd = 0.2;
        Map<WeightDecayMethod, Double> shrink = Map.of(WeightDecayMethod.DECOUPLED, 1 - lr * wd, WeightDecayMethod.INDEPENDENT, 1 - wd,
                WeightDecayMethod.PALM, 1 - lr * lr * wd);
        for (Map.Entry<WeightDecayMethod, Double> e : shrink.entrySet()) {
            Version v = e.getKey() == WeightDecayMethod.PALM ? Version.HEAD : Version.LEGACY;
            NvidiaSoapConfig c = config(v, lr, wd, e.getKey(), false, 1, 0, false, Long.MAX_VALUE, false, false, 1e-7, 1, 0, false);
            Map<String, INDArray> p = params(14, DataType.DOUBLE, Map.of("W", new long[] {3, 2}));
            INDArray w0 = p.get("W").dup();
            Optimizer opt = Optimizers.create(c, p);
            opt.step(Map.of("W", Nd4j.zeros(DataType.DOUBLE, 3, 2)));
            assertEquals(0.0, maxAbs(p.get("W").sub(w0.mul(e.getValue()))), 1e-15, e.getKey().toString());
        }
        // l2 enters the gradient only: with G = 0 the first (plain Adam, 1-D) step sees g = wd·W, so W ← W − lr·g/(|g| + ε).
        NvidiaSoapConfig l2 = config(Version.LEGACY, lr, wd, WeightDecayMethod.L2, false, 1, 0, false, Long.MAX_VALUE, false, false, 1e-7,
                1, 0, false);
        Map<String, INDArray> p = params(15, DataType.DOUBLE, Map.of("b", new long[] {4}));
        INDArray w0 = p.get("b").dup();
        Optimizers.create(l2, p).step(Map.of("b", Nd4j.zeros(DataType.DOUBLE, 4)));
        INDArray g = w0.mul(wd);
        INDArray expected = w0.sub(g.div(org.nd4j.linalg.ops.transforms.Transforms.abs(g).addi(1e-8)).muli(lr));
        assertEquals(0.0, maxAbs(p.get("b").sub(expected)), 1e-15);
    }

    /** Tensors of order 3, 0-D parameters, one-sided modes and Nesterov in LEGACY (no golden covers them) run and stay finite. */
    @Test
    void legacyHandlesEveryOrder() {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put("T", new long[] {3, 4, 2});
        shapes.put("s", new long[0]);
        shapes.put("wide", new long[] {3, 9});
        NvidiaSoapConfig c = config(Version.LEGACY, 0.01, 0.001, WeightDecayMethod.INDEPENDENT, true, 3, 2, true, 8, false, false, 1e-7, 3,
                0, false);
        Map<String, INDArray> p = params(16, DataType.DOUBLE, shapes);
        Optimizer opt = Optimizers.create(c, p);
        double start = lossProxy(p);
        run(opt, p, 1, 30);
        assertTrue(finite(opt));
        assertTrue(lossProxy(p) < start);
        OptimizerState s = opt.exportState();
        assertArrayEquals(new long[] {0}, s.require(new StateKey("wide", -1, "GG.1")).shape());
        assertArrayEquals(new long[] {3, 3}, s.require(new StateKey("wide", -1, "GG.0")).shape());
        assertNotNull(s.require(new StateKey("T", -1, "Q.2")));
        assertFalse(keyNames(s).stream().anyMatch(k -> k.startsWith("s/GG") || k.startsWith("s/Q")));
        // Every orthogonal basis stays orthonormal.
        for (String q : List.of("T/Q.0", "T/Q.1", "T/Q.2", "wide/Q.0")) {
            String[] pk = q.split("/");
            INDArray b = tensor(s, pk[0], pk[1]);
            assertEquals(0.0, maxAbs(b.transpose().mmul(b).subi(Nd4j.eye(b.rows()).castTo(DataType.DOUBLE))), 1e-12, q);
        }
    }
}
