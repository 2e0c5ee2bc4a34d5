package io.lather.optimizer.golden;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.lather.optimizer.Optimizer;
import io.lather.optimizer.Optimizers;
import io.lather.optimizer.config.OptimizerConfig;
import io.lather.optimizer.state.HostTensor;
import io.lather.optimizer.state.OptimizerState;
import io.lather.optimizer.state.StateKey;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Replays every golden trajectory (ALGORITHMS.md §11, ../shared/golden/README.md) step by step, teacher-forced: step t
 * starts from the stored parameters after step t − 1, receives the stored gradient of step t, and its result is compared
 * with the stored parameters after step t as max|ours − ref| / max|ref| over all parameters. The final optimizer state is
 * compared with {@code final_state} (eigenvectors up to column signs).
 *
 * <p>Tolerances. Non-degenerate scenarios: {@value #PARAM_TOL} per step. The independent numpy/OpenBLAS replay of the same
 * files stays below 6e-10 against the torch/MKL reference on every non-degenerate file (golden README §7.2), so 1e-9
 * leaves room only for summation-order differences between two LAPACK/BLAS builds, while still being 100× tighter than
 * the 1e-7 bound. State: {@value #STATE_TOL} relative to each tensor's largest entry: the state integrates 30–40
 * steps, and in the QR-eigenbasis scenario (perturbation amplification 1.9e3) the second moment E, which depends on the
 * eigenbasis positionally, measured 8e-8 here. Degenerate scenarios (rank-deficient factors at an eigendecomposition,
 * where the eigenbasis of a repeated eigenvalue is LAPACK-dependent) are not held to these tolerances: they must stay
 * finite and within 10× the scenario's own perturbation-probe floor (the deviation two correct implementations reach,
 * golden README §7.1), and their measured deviation is printed.
 */
class GoldenConformanceTest {
    static final double PARAM_TOL = 1e-8;
    static final double STATE_TOL = 1e-6;

    @TestFactory
    Stream<DynamicTest> goldenTrajectories() {
        List<GoldenScenario> all = GoldenScenario.loadAll(GoldenScenario.folder());
        System.out.printf(Locale.ROOT, "golden folder %s: %d scenario(s)%n", GoldenScenario.folder(), all.size());
        return all.stream().map(s -> DynamicTest.dynamicTest(s.id, () -> replay(s)));
    }

    private static void replay(GoldenScenario s) {
        OptimizerConfig config = ReferenceConfigs.of(s);
        Map<String, INDArray> params = s.initialParameters();
        Optimizer opt = Optimizers.create(config, params);
        double maxDev = 0;
        int worstStep = 0;
        boolean finite = true;
        for (int t = 1; t <= s.steps(); t++) {
            JsonNode step = s.step(t);
            if (t > 1) {
                Map<String, INDArray> prev = s.tensors(s.step(t - 1).get("params_after"));
                prev.forEach((n, v) -> params.get(n).assign(v));
            }
            opt.step(s.tensors(step.get("grad")));
            Map<String, INDArray> ref = s.tensors(step.get("params_after"));
            double num = 0;
            double den = 0;
            for (String n : s.parameterNames) {
                INDArray mine = params.get(n);
                finite &= io.lather.optimizer.linalg.Tensors.allFinite(mine);
                num = Math.max(num, Transforms.abs(mine.sub(ref.get(n))).maxNumber().doubleValue());
                den = Math.max(den, Transforms.abs(ref.get(n)).maxNumber().doubleValue());
            }
            double dev = num / den;
            if (!(dev <= maxDev)) {
                maxDev = dev;
                worstStep = t;
            }
        }
        double stateDev = compareState(s, opt.exportState());
        boolean pass;
        String rule;
        if (s.degenerate) {
            double probe = probeFloor(s);
            double bound = Math.min(1.0, 10 * probe);
            pass = finite && maxDev <= bound;
            rule = String.format(Locale.ROOT, "degenerate: finite and <= 10x probe floor %.1e", probe);
        } else {
            pass = finite && maxDev <= PARAM_TOL && stateDev <= STATE_TOL;
            rule = String.format(Locale.ROOT, "params <= %.0e, state <= %.0e", PARAM_TOL, STATE_TOL);
        }
        System.out.printf(Locale.ROOT, "GOLDEN %-48s %s  max step deviation %.2e (step %d)  final-state deviation %.2e  [%s]%n",
                s.id, pass ? "PASS" : "FAIL", maxDev, worstStep, stateDev, rule);
        String summary = String.format(Locale.ROOT, "%s: max per-step deviation %.3e at step %d, state deviation %.3e (%s)",
                s.id, maxDev, worstStep, stateDev, rule);
        assertTrue(pass, summary);
    }

    private static double probeFloor(GoldenScenario s) {
        JsonNode p = s.root.path("diagnostics").path("perturbation_probe").path("max_rel_param_deviation_per_step");
        double max = 0;
        for (JsonNode v : p) {
            max = Math.max(max, v.asDouble());
        }
        return max;
    }

    /** Largest relative deviation of our exported state from the reference's final_state (degenerate: eigenvectors skipped). */
    private static double compareState(GoldenScenario s, OptimizerState mine) {
        JsonNode fs = s.root.get("final_state");
        Map<String, HostTensor> byName = new LinkedHashMap<>();
        mine.tensors().forEach((k, v) -> byName.put(k.toString(), v));
        double worst = 0;
        for (String param : s.parameterNames) {
            for (Iterator<Map.Entry<String, JsonNode>> it = fs.get(param).fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String key = e.getKey();
                if (key.equals("lr_sum")) {
                    continue; // float32 in the reference and unused by GPA (golden README §6.5)
                }
                String ours = ourKey(s, param, key);
                HostTensor t = byName.get(ours);
                if (t == null) {
                    fail(s.id + ": reference state '" + param + "." + key + "' has no Lather counterpart '" + ours + "'; ours: " + byName.keySet());
                }
                if (e.getValue().path("dtype").asText().equals("bool")) {
                    boolean refBool = e.getValue().get("data").asBoolean();
                    worst = Math.max(worst, (t.scalarDouble() != 0) == refBool ? 0 : 1);
                    continue;
                }
                INDArray ref = GoldenScenario.tensor(e.getValue());
                INDArray got = t.toINDArray().castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
                if (ref.rank() == 0 || got.rank() == 0) {
                    worst = Math.max(worst, Math.abs(ref.getDouble(0) - got.getDouble(0)) / Math.max(Math.abs(ref.getDouble(0)), 1e-300));
                    continue;
                }
                boolean eigenvectors = key.contains("eigenvectors") || key.startsWith("Q");
                if (eigenvectors && s.degenerate) {
                    continue;
                }
                if (!s.group.equals("ds") && key.equals("exp_avg")) {
                    // SOAP keeps the first moment in the eigenbasis: flipping column j of a basis flips index j of exp_avg
                    // along that mode, so align ours with the reference's basis column signs first (ALGORITHMS.md §10.4).
                    got = alignToReferenceBasisSigns(s, param, fs.get(param), byName, got.reshape(ref.shape()));
                }
                worst = Math.max(worst, eigenvectors ? columnSignDeviation(got, ref) : relative(got.reshape(ref.shape()), ref));
            }
        }
        return worst;
    }

    /**
     * exp_avg of a SOAP parameter with every mode's index re-signed by the column signs that map our eigenbasis of that
     * mode onto the reference's (HEAD: Q_L, Q_R; legacy: Q.k; modes without a basis are left alone).
     */
    private static INDArray alignToReferenceBasisSigns(GoldenScenario s, String param, JsonNode refParam, Map<String, HostTensor> ours,
            INDArray expAvg) {
        INDArray out = expAvg.dup('c');
        long[] shape = out.shape();
        for (int mode = 0; mode < shape.length; mode++) {
            String basis = s.group.equals("soap_head") ? (mode == 0 ? "Q_L" : "Q_R") : "Q." + mode;
            JsonNode refQ = refParam.get(basis);
            HostTensor ourQ = ours.get(ourKey(s, param, basis));
            if (refQ == null || ourQ == null || ourQ.elementCount() == 0) {
                continue;
            }
            INDArray a = ourQ.toINDArray().castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
            INDArray b = GoldenScenario.tensor(refQ);
            double[] sign = new double[(int) shape[mode]];
            for (int j = 0; j < sign.length; j++) {
                sign[j] = a.getColumn(j).mul(b.getColumn(j)).sumNumber().doubleValue() < 0 ? -1.0 : 1.0;
            }
            long inner = 1;
            for (int i = mode + 1; i < shape.length; i++) {
                inner *= shape[i];
            }
            double[] v = out.data().asDouble();
            for (int idx = 0; idx < v.length; idx++) {
                v[idx] *= sign[(int) ((idx / inner) % shape[mode])];
            }
            out = org.nd4j.linalg.factory.Nd4j.createFromArray(v).reshape(shape);
        }
        return out;
    }

    /** Maps a reference state key to ours: DS "block_j.rest" → "param/block_j/rest", "step" → global; SOAP keys per parameter. */
    static String ourKey(GoldenScenario s, String param, String key) {
        if (s.group.equals("ds")) {
            if (key.equals("step") || key.equals("train_mode")) {
                return key;
            }
            int dot = key.indexOf('.');
            return param + "/" + key.substring(0, dot) + "/" + key.substring(dot + 1);
        }
        return new StateKey(param, -1, key).toString();
    }

    static double relative(INDArray got, INDArray ref) {
        if (ref.length() == 0) {
            return 0;
        }
        double den = Math.max(Transforms.abs(ref).maxNumber().doubleValue(), 1e-300);
        return Transforms.abs(got.sub(ref)).maxNumber().doubleValue() / den;
    }

    /** Max entry deviation of eigenvector matrices after matching each column's sign. */
    static double columnSignDeviation(INDArray got, INDArray ref) {
        if (ref.length() == 0) {
            return 0;
        }
        double worst = 0;
        for (int j = 0; j < ref.columns(); j++) {
            INDArray a = got.getColumn(j);
            INDArray b = ref.getColumn(j);
            double plus = Transforms.abs(a.sub(b)).maxNumber().doubleValue();
            double minus = Transforms.abs(a.add(b)).maxNumber().doubleValue();
            worst = Math.max(worst, Math.min(plus, minus));
        }
        return worst;
    }
}
