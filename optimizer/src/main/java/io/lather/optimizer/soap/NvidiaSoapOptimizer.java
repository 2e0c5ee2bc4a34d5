package io.lather.optimizer.soap;

import io.lather.optimizer.Optimizer;
import io.lather.optimizer.OptimizerErrors;
import io.lather.optimizer.OptimizerStatistics;
import io.lather.optimizer.config.NvidiaSoapConfig;
import io.lather.optimizer.config.NvidiaSoapConfig.Version;
import io.lather.optimizer.linalg.MatrixFunctionFailure;
import io.lather.optimizer.linalg.SymmetricEigensolver;
import io.lather.optimizer.linalg.Tensors;
import io.lather.optimizer.soap.SoapKernels.DescendingEigenbasis;
import io.lather.optimizer.state.HostTensor;
import io.lather.optimizer.state.OptimizerState;
import io.lather.optimizer.state.StateException;
import io.lather.optimizer.state.StateKey;
import io.lather.optimizer.state.TensorType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * NVIDIA Emerging-Optimizers SOAP — "ShampoO with Adam in the Preconditioner's eigenbasis" (Vyas et al., SOAP,
 * arXiv 2409.11321) as implemented by NVIDIA-NeMo/Emerging-Optimizers — with the semantics of one of two reference
 * versions ({@link NvidiaSoapConfig.Version}; ALGORITHMS.md §7). Per parameter (no blocking), with Kronecker factors
 * K_k, descending-order eigenbases Q_k, and rot(X) = X ⋆_k Q_k over the preconditioned modes (Q_Lᵀ X Q_R for a matrix),
 * unrot the inverse:
 * <pre>
 *   t = s + 1 (s = this parameter's steps so far);  β_t = 1 − (1 − β_s)/(1 − β_s^t) if correct_shampoo_beta_bias else β_s
 *   K_k ← lerp(K_k, C_k(G), 1 − β_t)                    C_k(G) = G contracted with itself over all modes but k (L: GGᵀ, R: GᵀG)
 *   if refresh(s):  m ← unrot(m) with the old Q;  Q ← new eigenbasis of K;  m ← rot(m) with the new Q
 *   weight decay:   W ← W − lr·wd·W (decoupled) | W − wd·W (independent) | W − lr²·wd·W (palm) | G ← G + wd·W (l2)
 *   Ĝ = rot(G);  m ← lerp(m, Ĝ, 1 − β1);  v ← lerp(v, Ĝ², 1 − β2)
 *   U = unrot( (m/bc1  or Nesterov β1·m/(1 − β1^(t+1)) + (1 − β1)·Ĝ/bc1) / (sqrt(v/bc2) + ε) )
 *   U ← U · min(1, max_update_rms / (rms(U) + 1e-7))     (if max_update_rms > 0)
 *   W ← W − lr·U
 * </pre>
 *
 * <p><b>LEGACY</b> (bc634ff, {@code emerging_optimizers.soap.soap.SOAP}): any tensor order, one factor per mode; 1-D
 * parameters get plain Adam unless {@code precondition1d}, 0-D parameters always; modes longer than
 * {@code maxPrecondDim} are left unrotated (an NV-v0 option kept here; unlimited by default). Refresh at 0-based s with
 * s ≥ adam_warmup_steps and s mod F = 0; before the warm-up ends Adam runs unrotated. The first refresh uses
 * {@code eigh_with_fallback} (exactly diagonal factor ⇒ identity basis, otherwise eigh(K + 1e-15·I)); later ones eigh
 * if {@code useEigh}, otherwise: sort Q's columns by descending diag(QᵀKQ), permute v along that mode the same way, and
 * apply {@code powerIterSteps} times Q ← qr(K·Q).Q with no re-sort. With {@code useAdaptiveCriteria} a refresh is
 * skipped when every non-empty factor satisfies τ‖K‖_F ≥ ‖K‖_F − ‖diag(QᵀKQ)‖₂. KL-Shampoo (2-D) weighs each side's
 * outer product with the other side's (1/d)·max(diag(QᵀKQ), ε)^(−1) in the current basis.
 *
 * <p><b>HEAD</b> (fd77292, {@code emerging_optimizers.legacy_soap.soap.SOAP}): 2-D parameters only; the basis is
 * refreshed every step, by eigh (no ridge, no diagonal shortcut) at the first step or with {@code useEigh}, otherwise by
 * {@code powerIterSteps} power iterations + QR followed by sorting diag(QᵀKQ) descending and permuting Q's columns (v is
 * not permuted); the eigenvalues are stored and KL uses them (from the previous refresh). {@code maxPrecondDim} works
 * as in LEGACY (a longer side gets empty placeholders and stays unrotated); the reference has no such option.
 *
 * <p>Precision: everything is computed in float64 (the golden trajectories run the reference with float32 promoted to
 * float64, golden README §6.4); state tensors are stored in the parameter's data type, so a float32 parameter keeps
 * float32 moments, factors and bases (rounded after each step) and round-trips bit-exactly through its state.
 *
 * <p>Deliberate differences from the references: gradients are checked for NaN/Inf (and rejected before anything
 * changes); the caller's gradient is never modified (the reference adds the l2 term in place); the learning rate is
 * optimizer-wide; LEGACY's first refresh uses eigh also when it is not at s = adam_warmup_steps (warm-up not a multiple
 * of F: the reference then starts the QR path without a basis and fails); a non-finite factor or a LAPACK failure at a
 * refresh is a {@link io.lather.optimizer.NumericalFailureException} (the reference has no tolerance either).
 *
 * <p>State ({@link #exportState()}): per parameter the reference's own keys (see {@link SoapParameterState}) as
 * {@code StateKey(parameter, -1, key)}, plus optimizer-wide {@code step}, {@code lr} and {@code statistics.*}.
 */
public final class NvidiaSoapOptimizer implements Optimizer {
    private final NvidiaSoapConfig config;
    private final LinkedHashMap<String, INDArray> parameters;
    private final LinkedHashMap<String, SoapParameterState> states = new LinkedHashMap<>();
    private final SymmetricEigensolver solver;
    private double lr;
    private long step;
    private long amortizedSteps;
    private long computed;
    private long skipped;
    private long failed;

    /**
     * @param config validated configuration
     * @param parameters named float32/float64 parameters in order, updated in place; with version HEAD all must be 2-D,
     *     with use_kl_shampoo all must be 2-D with both sides ≤ max_precond_dim
     * @param solver symmetric eigensolver for the eigh refreshes
     * @throws IllegalArgumentException naming the first parameter that does not fit the configuration
     */
    public NvidiaSoapOptimizer(NvidiaSoapConfig config, Map<String, INDArray> parameters, SymmetricEigensolver solver) {
        this.config = config;
        this.solver = solver;
        this.lr = config.lr();
        this.parameters = new LinkedHashMap<>(parameters);
        for (Map.Entry<String, INDArray> e : parameters.entrySet()) {
            String name = e.getKey();
            INDArray p = e.getValue();
            long[] shape = p.shape();
            if (p.dataType() != DataType.FLOAT && p.dataType() != DataType.DOUBLE) {
                throw SoapErrors.unsupportedType(name, p.dataType());
            }
            if (config.version() == Version.HEAD && shape.length != 2) {
                throw SoapErrors.headRequiresMatrix(name, shape);
            }
            if (config.useKlShampoo() && (shape.length != 2 || shape[0] > config.maxPrecondDim() || shape[1] > config.maxPrecondDim())) {
                throw SoapErrors.klRequiresMatrix(name, shape, config.maxPrecondDim());
            }
            if (p.length() > 0) {
                states.put(name, new SoapParameterState(name, shape, p.dataType(), config));
            }
            // A parameter without elements has nothing to optimize and no state; its gradients are validated and ignored.
        }
    }

    @Override
    public String typeName() {
        return config.typeName();
    }

    /** The configuration. */
    public NvidiaSoapConfig config() {
        return config;
    }

    @Override
    public Map<String, INDArray> parameters() {
        return Collections.unmodifiableMap(parameters);
    }

    @Override
    public long stepCount() {
        return step;
    }

    @Override
    public double learningRate() {
        return lr;
    }

    @Override
    public void setLearningRate(double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("learning rate = " + lr + "; must be a finite number >= 0");
        }
        this.lr = lr;
    }

    /**
     * Counters per Kronecker factor: {@code factorComputations} counts factor eigenbases recomputed (eigh or power
     * iteration + QR), {@code factorSkips} those kept by the adaptive criterion (LEGACY); {@code amortizedSteps} counts
     * steps at which at least one parameter's refresh was due. Failures are never tolerated, so that counter stays 0.
     */
    @Override
    public OptimizerStatistics statistics() {
        return new OptimizerStatistics(step, amortizedSteps, computed, skipped, failed);
    }

    // ------------------------------------------------------------------------------------------------ step

    @Override
    public void step(Map<String, INDArray> gradients) {
        Map<String, INDArray> present = validateGradients(gradients, step + 1);
        step++;
        boolean due = false;
        for (Map.Entry<String, INDArray> e : present.entrySet()) {
            SoapParameterState st = states.get(e.getKey());
            INDArray g = e.getValue().castTo(DataType.DOUBLE).dup('c'); // own copy: the l2 term is added to it
            INDArray param = parameters.get(e.getKey());
            due |= config.version() == Version.HEAD ? headStep(st, param, g) : legacyStep(st, param, g);
        }
        if (due) {
            amortizedSteps++;
        }
    }

    /** β_t of the factor EMA: the bias correction 1/(1 − β^t) folded into the EMA weight. */
    private double shampooBeta(long t) {
        double b = config.shampooBeta();
        return config.correctShampooBetaBias() ? 1 - (1 - b) / (1 - Math.pow(b, t)) : b;
    }

    /** Whether LEGACY refreshes the basis at the 0-based step s. */
    static boolean isLegacyRefreshStep(long s, int adamWarmupSteps, int preconditionFrequency) {
        return s >= adamWarmupSteps && s % preconditionFrequency == 0;
    }

    /**
     * Whether LEGACY's reference would hold a basis Q at the start of 0-based step s: with KL from the start (identity),
     * otherwise after its first refresh, i.e. the first multiple of F that is ≥ adam_warmup_steps is &lt; s (that refresh
     * cannot be skipped: the criterion needs an existing basis).
     */
    private boolean legacyHasBasis(long s) {
        if (config.useKlShampoo()) {
            return true;
        }
        long f = config.preconditionFrequency();
        long first = (config.adamWarmupSteps() + f - 1) / f * f;
        return first < s;
    }

    private boolean legacyStep(SoapParameterState st, INDArray param, INDArray g) {
        long s = st.step;
        long t = s + 1;
        int order = st.shape.length;
        INDArray[] k = new INDArray[order];
        INDArray[] q = new INDArray[order];
        for (int i = 0; i < order; i++) {
            if (st.kept[i]) {
                k[i] = SoapKernels.f64(st.factors[i]);
                q[i] = SoapKernels.f64(st.bases[i]);
            }
        }
        INDArray m = SoapKernels.f64(st.expAvg);
        INDArray v = SoapKernels.f64(st.expAvgSq);

        double w = 1 - shampooBeta(t);
        if (config.useKlShampoo()) {
            // λ̃ = diag(QᵀKQ) of the current, not yet updated factors in the current basis (identity before the first refresh).
            INDArray left = SoapKernels.klCorrection(q[0], SoapKernels.rayleighQuotients(q[0], k[0]), st.shape[0], config.eps());
            INDArray right = SoapKernels.klCorrection(q[1], SoapKernels.rayleighQuotients(q[1], k[1]), st.shape[1], config.eps());
            INDArray[] upd = SoapKernels.klOuterProducts(g, left, right);
            Tensors.lerpInPlace(k[0], upd[0], w);
            Tensors.lerpInPlace(k[1], upd[1], w);
        } else {
            for (int i = 0; i < order; i++) {
                if (st.kept[i]) {
                    Tensors.lerpInPlace(k[i], Tensors.outerProduct(g, i), w);
                }
            }
        }

        boolean due = isLegacyRefreshStep(s, config.adamWarmupSteps(), config.preconditionFrequency());
        int n = st.keptCount();
        if (due && n > 0) {
            boolean hasBasis = legacyHasBasis(s);
            boolean skip = config.useAdaptiveCriteria() && hasBasis;
            for (int i = 0; i < order && skip; i++) {
                skip = !st.kept[i] || SoapKernels.basisStillGood(k[i], q[i], config.adaptiveUpdateTolerance());
            }
            if (skip) {
                skipped += n;
            } else {
                requireFiniteFactors(st, k, t);
                if (hasBasis) {
                    m = rotate(m, st, q, true);
                }
                boolean eigh = config.useEigh() || s == config.adamWarmupSteps() || !hasBasis;
                for (int i = 0; i < order; i++) {
                    if (!st.kept[i]) {
                        continue;
                    }
                    try {
                        if (eigh) {
                            q[i] = SoapKernels.eighWithFallback(k[i], solver).eigenvectors();
                        } else {
                            // Pre-sort by the Rayleigh quotients of the old basis; v's labels follow the columns.
                            int[] sort = SoapKernels.argsortDescending(SoapKernels.rayleighQuotients(q[i], k[i]));
                            v = SoapKernels.permuteAlong(v, i, sort);
                            q[i] = SoapKernels.orthogonalIteration(k[i], SoapKernels.permuteAlong(q[i], 1, sort), config.powerIterSteps());
                        }
                    } catch (MatrixFunctionFailure f) {
                        throw SoapErrors.eigenbasisFailed(st.name, st.factorName(i), t, f);
                    }
                }
                m = rotate(m, st, q, false);
                computed += n;
            }
        }

        INDArray p = SoapKernels.f64(param);
        applyWeightDecay(p, g);
        boolean rotated = s >= config.adamWarmupSteps();
        INDArray gp = rotated ? rotate(g, st, q, false) : g;
        INDArray u = SoapKernels.adamInPlace(m, v, gp, config.beta1(), config.beta2(), config.eps(), config.correctBias(),
                config.nesterov(), t);
        if (rotated) {
            u = rotate(u, st, q, true);
        }
        finishStep(st, param, p, u, m, v, k, q, null);
        return due;
    }

    private boolean headStep(SoapParameterState st, INDArray param, INDArray g) {
        long s = st.step;
        long t = s + 1;
        INDArray[] k = new INDArray[2];
        INDArray[] q = new INDArray[2];
        double[][] lambda = new double[2][];
        for (int i = 0; i < 2; i++) {
            if (st.kept[i]) {
                k[i] = SoapKernels.f64(st.factors[i]);
                q[i] = SoapKernels.f64(st.bases[i]);
                lambda[i] = st.eigenvalues[i].toDoubleVector();
            }
        }
        INDArray m = SoapKernels.f64(st.expAvg);
        INDArray v = SoapKernels.f64(st.expAvgSq);

        double w = 1 - shampooBeta(t);
        if (config.useKlShampoo()) {
            // HEAD weighs with the eigenvalues stored at the previous refresh (0 before the first ⇒ 1/(d·eps)).
            INDArray left = SoapKernels.klCorrection(q[0], lambda[0], st.shape[0], config.eps());
            INDArray right = SoapKernels.klCorrection(q[1], lambda[1], st.shape[1], config.eps());
            INDArray[] upd = SoapKernels.klOuterProducts(g, left, right);
            Tensors.lerpInPlace(k[0], upd[0], w);
            Tensors.lerpInPlace(k[1], upd[1], w);
        } else {
            for (int i = 0; i < 2; i++) {
                if (st.kept[i]) {
                    Tensors.lerpInPlace(k[i], Tensors.outerProduct(g, i), w);
                }
            }
        }

        int n = st.keptCount();
        if (n > 0) {
            requireFiniteFactors(st, k, t);
            m = rotate(m, st, q, true);
            boolean eigh = s == 0 || config.useEigh();
            for (int i = 0; i < 2; i++) {
                if (!st.kept[i]) {
                    continue;
                }
                try {
                    if (eigh) {
                        DescendingEigenbasis e = SoapKernels.eighDescending(k[i], solver);
                        q[i] = e.eigenvectors();
                        lambda[i] = e.eigenvalues();
                    } else {
                        // Sort after the power iteration; v keeps its labels (HEAD no longer permutes it).
                        INDArray qi = SoapKernels.orthogonalIteration(k[i], q[i], config.powerIterSteps());
                        double[] rq = SoapKernels.rayleighQuotients(qi, k[i]);
                        int[] sort = SoapKernels.argsortDescending(rq);
                        lambda[i] = new double[rq.length];
                        for (int j = 0; j < rq.length; j++) {
                            lambda[i][j] = rq[sort[j]];
                        }
                        q[i] = SoapKernels.permuteAlong(qi, 1, sort);
                    }
                } catch (MatrixFunctionFailure f) {
                    throw SoapErrors.eigenbasisFailed(st.name, st.factorName(i), t, f);
                }
            }
            m = rotate(m, st, q, false);
            computed += n;
        }

        INDArray p = SoapKernels.f64(param);
        applyWeightDecay(p, g);
        INDArray gp = rotate(g, st, q, false);
        INDArray u = SoapKernels.adamInPlace(m, v, gp, config.beta1(), config.beta2(), config.eps(), config.correctBias(),
                config.nesterov(), t);
        u = rotate(u, st, q, true);
        finishStep(st, param, p, u, m, v, k, q, lambda);
        return true;
    }

    /** rot (Q_kᵀ along every preconditioned mode) or, with {@code back}, unrot; placeholder modes are left as they are. */
    private static INDArray rotate(INDArray x, SoapParameterState st, INDArray[] q, boolean back) {
        List<INDArray> mats = new ArrayList<>();
        for (int i = 0; i < q.length; i++) {
            if (st.kept[i]) {
                mats.add(q[i]);
            }
        }
        return Tensors.contractModes(x, st.kept, mats, back);
    }

    private void requireFiniteFactors(SoapParameterState st, INDArray[] k, long t) {
        for (int i = 0; i < k.length; i++) {
            if (st.kept[i] && !Tensors.allFinite(k[i])) {
                throw SoapErrors.nonFiniteFactor(st.name, st.factorName(i), t);
            }
        }
    }

    /** Weight decay on the float64 working copy of W, or (l2) on the float64 gradient copy. */
    private void applyWeightDecay(INDArray p, INDArray g) {
        double wd = config.weightDecay();
        if (wd == 0.0) {
            return;
        }
        switch (config.weightDecayMethod()) {
            case DECOUPLED -> p.addi(p.mul(-wd * lr));
            case INDEPENDENT -> p.addi(p.mul(-wd));
            case PALM -> p.addi(p.mul(-wd * lr * lr));
            case L2 -> g.addi(p.mul(wd));
        }
    }

    /** Clips and applies the update W ← W − lr·U, then writes the float64 working values back into the stored state. */
    private void finishStep(SoapParameterState st, INDArray param, INDArray p, INDArray u, INDArray m, INDArray v, INDArray[] k,
            INDArray[] q, double[][] lambda) {
        SoapKernels.clipRmsInPlace(u, config.maxUpdateRms());
        p.addi(u.muli(-lr));
        store(param, p);
        store(st.expAvg, m);
        store(st.expAvgSq, v);
        for (int i = 0; i < k.length; i++) {
            if (st.kept[i]) {
                store(st.factors[i], k[i]);
                store(st.bases[i], q[i]);
                if (lambda != null) {
                    st.eigenvalues[i].assign(Nd4j.createFromArray(lambda[i]));
                }
            }
        }
        st.step++;
    }

    private static void store(INDArray target, INDArray value) {
        if (target != value) {
            target.assign(value);
        }
    }

    private Map<String, INDArray> validateGradients(Map<String, INDArray> gradients, long nextStep) {
        for (String name : gradients.keySet()) {
            if (!parameters.containsKey(name)) {
                throw OptimizerErrors.unknownParameter(name, parameters.keySet());
            }
        }
        LinkedHashMap<String, INDArray> present = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : parameters.entrySet()) {
            INDArray g = gradients.get(e.getKey());
            if (g == null) {
                continue;
            }
            INDArray p = e.getValue();
            if (!Arrays.equals(g.shape(), p.shape())) {
                throw OptimizerErrors.shapeMismatch(e.getKey(), p.shape(), g.shape());
            }
            if (g.dataType() != p.dataType()) {
                throw OptimizerErrors.typeMismatch(e.getKey(), p.dataType(), g.dataType());
            }
            if (!Tensors.allFinite(g)) {
                throw OptimizerErrors.nonFiniteGradient(e.getKey(), nextStep);
            }
            if (states.containsKey(e.getKey())) {
                present.put(e.getKey(), g);
            }
        }
        return present;
    }

    // ------------------------------------------------------------------------------------------------ state

    /**
     * One named state tensor: its expected type and shape, how to export it and how to load a validated tensor into it.
     * {@code check} validates the value (not just type and shape) before anything is loaded.
     */
    private record Slot(StateKey key, TensorType type, long[] shape, Supplier<HostTensor> export, Consumer<HostTensor> load,
            Consumer<HostTensor> check) {}

    private static Slot array(StateKey key, INDArray live) {
        return new Slot(key, TensorType.of(live.dataType()), live.shape(), () -> HostTensor.of(live),
                t -> live.assign(t.toINDArray()), t -> { });
    }

    /** The reference's empty placeholder of a mode without a factor ([0] or [0, 0]); nothing to load. */
    private static Slot placeholder(StateKey key, DataType type, long... shape) {
        TensorType tt = TensorType.of(type);
        return new Slot(key, tt, shape, () -> new HostTensor(tt, shape, new byte[0]), t -> { }, t -> { });
    }

    private static Slot counter(StateKey key, Supplier<Long> get, Consumer<Long> set) {
        return new Slot(key, TensorType.INT64, new long[0], () -> HostTensor.ofLong(get.get()), t -> set.accept(t.scalarLong()), t -> {
            if (t.scalarLong() < 0) {
                throw new StateException("optimizer state value '" + key + "' = " + t.scalarLong() + " is negative; the checkpoint is "
                        + "corrupt, resume from an earlier one");
            }
        });
    }

    /** Every tensor of the state, in a fixed order. */
    private List<Slot> slots() {
        List<Slot> out = new ArrayList<>();
        out.add(counter(StateKey.global("step"), () -> step, x -> step = x));
        out.add(new Slot(StateKey.global("lr"), TensorType.FLOAT64, new long[0], () -> HostTensor.ofDouble(lr),
                t -> lr = t.scalarDouble(), t -> {
                    double x = t.scalarDouble();
                    if (!(x >= 0) || Double.isInfinite(x)) {
                        throw new StateException("optimizer state value 'lr' = " + x + " is not a finite number >= 0; the checkpoint "
                                + "is corrupt, resume from an earlier one");
                    }
                }));
        out.add(counter(StateKey.global("statistics.amortized_steps"), () -> amortizedSteps, x -> amortizedSteps = x));
        out.add(counter(StateKey.global("statistics.factor_computations"), () -> computed, x -> computed = x));
        out.add(counter(StateKey.global("statistics.factor_skips"), () -> skipped, x -> skipped = x));
        out.add(counter(StateKey.global("statistics.failed_computations"), () -> failed, x -> failed = x));
        for (SoapParameterState st : states.values()) {
            String p = st.name;
            out.add(counter(new StateKey(p, -1, "step"), () -> st.step, x -> st.step = x));
            out.add(array(new StateKey(p, -1, "exp_avg"), st.expAvg));
            out.add(array(new StateKey(p, -1, "exp_avg_sq"), st.expAvgSq));
            for (int i = 0; i < st.kept.length; i++) {
                StateKey factor = new StateKey(p, -1, st.factorName(i));
                StateKey basis = new StateKey(p, -1, st.basisName(i));
                StateKey eig = new StateKey(p, -1, st.eigenvaluesName(i));
                if (st.kept[i]) {
                    out.add(array(factor, st.factors[i]));
                    out.add(array(basis, st.bases[i]));
                    if (st.eigenvalues != null) {
                        out.add(array(eig, st.eigenvalues[i]));
                    }
                } else {
                    out.add(placeholder(factor, st.type, 0));
                    out.add(placeholder(basis, st.type, 0, 0));
                    if (st.eigenvalues != null) {
                        out.add(placeholder(eig, st.type, 0));
                    }
                }
            }
        }
        return out;
    }

    @Override
    public OptimizerState exportState() {
        Map<StateKey, HostTensor> out = OptimizerState.newTensorMap();
        for (Slot s : slots()) {
            out.put(s.key(), s.export().get());
        }
        return OptimizerState.of(typeName(), out);
    }

    @Override
    public void importState(OptimizerState state) {
        if (!state.optimizerType().equals(typeName())) {
            throw new StateException("optimizer state was written by a '" + state.optimizerType() + "' optimizer, this one is '"
                    + typeName() + "'; resume with the same optimizer configuration");
        }
        if (state.formatVersion() != OptimizerState.FORMAT_VERSION) {
            throw new StateException("optimizer state format version " + state.formatVersion() + " is not supported (expected "
                    + OptimizerState.FORMAT_VERSION + "); resume with the Lather version that wrote it");
        }
        List<Slot> slots = slots();
        TreeSet<StateKey> expected = new TreeSet<>();
        slots.forEach(s -> expected.add(s.key()));
        TreeSet<StateKey> missing = new TreeSet<>(expected);
        missing.removeAll(state.tensors().keySet());
        TreeSet<StateKey> extra = new TreeSet<>(state.tensors().keySet());
        extra.removeAll(expected);
        if (!missing.isEmpty() || !extra.isEmpty()) {
            throw new StateException("optimizer state does not match this nvidia_soap optimizer (version " + config.version().typeName()
                    + "): missing " + abbreviate(missing) + ", unexpected " + abbreviate(extra) + ". The checkpoint was written with a "
                    + "different optimizer configuration (version, precondition_1d, max_precond_dim) or model; resume with the "
                    + "configuration it was written with, or start a new run");
        }
        for (Slot s : slots) {
            HostTensor t = state.tensors().get(s.key());
            if (t.type() != s.type() || !Arrays.equals(t.shape(), s.shape())) {
                throw new StateException("optimizer state tensor '" + s.key() + "' is " + t + " but this optimizer holds "
                        + s.type().typeName() + Arrays.toString(s.shape())
                        + "; the checkpoint was written with a different precision, configuration or model shape");
            }
            s.check().accept(t);
        }
        // Every check passed: only now is anything assigned, so a rejected state leaves the optimizer untouched.
        for (Slot s : slots) {
            s.load().accept(state.tensors().get(s.key()));
        }
    }

    private static String abbreviate(TreeSet<StateKey> keys) {
        if (keys.isEmpty()) {
            return "none";
        }
        List<String> names = keys.stream().limit(8).map(StateKey::toString).toList();
        return names + (keys.size() > 8 ? " and " + (keys.size() - 8) + " more" : "");
    }
}
