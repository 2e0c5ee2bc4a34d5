package io.lather.optimizer.shampoo;

import io.lather.optimizer.Optimizer;
import io.lather.optimizer.OptimizerErrors;
import io.lather.optimizer.OptimizerStatistics;
import io.lather.optimizer.blocking.BlockSpec;
import io.lather.optimizer.blocking.ParameterBlocking;
import io.lather.optimizer.config.DiagonalConfig;
import io.lather.optimizer.config.EigendecomposedShampooConfig;
import io.lather.optimizer.config.EigenvalueCorrectedShampooConfig;
import io.lather.optimizer.config.InverseExponentOverride;
import io.lather.optimizer.config.IterateAveragingConfig;
import io.lather.optimizer.config.PerFactorEigenvalueCorrectedShampooConfig;
import io.lather.optimizer.config.RootInvShampooConfig;
import io.lather.optimizer.config.ShampooConfig;
import io.lather.optimizer.config.ShampooPreconditionerConfig;
import io.lather.optimizer.config.WeightDecayType;
import io.lather.optimizer.linalg.FusedElementwise;
import io.lather.optimizer.linalg.SymmetricEigensolver;
import io.lather.optimizer.linalg.Tensors;
import io.lather.optimizer.linalg.WorkBuffers;
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
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Distributed-Shampoo step on a single driver (facebookresearch/optimizers {@code DistributedShampoo} with
 * the PR #263/#264 per-factor variants), for any {@link ShampooConfig}: the diagonal family (SGD, AdaGrad,
 * RMSprop, Adam/AdamW), root-inverse, eigendecomposed, eigenvalue-corrected (EShampoo/SOAP) and per-factor
 * eigenvalue-corrected Shampoo, KL variants, grafting, β1/β3 filtering, four weight-decay types, classic
 * momentum, GPA and Schedule-Free.
 *
 * <p>Parameters are held by reference and updated in place; every parameter is blocked once at construction
 * (see {@link ParameterBlocking}) and every block is optimized independently. A step first validates all
 * gradients (an invalid input changes nothing), then updates all blocks' statistics — including the amortized
 * eigendecompositions — and then computes and applies all blocks' updates.
 *
 * <p>Deliberate differences from the reference: gradients are checked for NaN/Inf by default; the learning
 * rate is used in float64 (the reference multiplies by a float32 copy); amortized computations always run
 * in float64; decoupled weight decay under GPA/Schedule-Free shrinks z as DS main does (the PR base adds it to
 * the search direction); eigendecomposed per-mode matrices are cached between amortized steps.
 */
public final class ShampooOptimizer implements Optimizer {
    private final ShampooConfig config;
    private final LinkedHashMap<String, INDArray> parameters;
    private final LinkedHashMap<String, ParameterBlocking> blocking = new LinkedHashMap<>();
    private final LinkedHashMap<String, List<BlockState>> blocks = new LinkedHashMap<>();
    private final SymmetricEigensolver solver;
    /** Reused work arrays: a step allocates no per-element temporaries (see {@link WorkBuffers}). */
    private final WorkBuffers buffers = new WorkBuffers();
    /** General-purpose scratch array of a block's shape, overwritten by each element-wise helper that borrows it. */
    private static final String SCRATCH = "step.scratch";
    private final WorkCounters counters = new WorkCounters();
    private final double peakLr;
    private final double beta3;
    private final int start;
    private double lr;
    private long step;
    private double lrSum;
    private boolean trainMode = true;

    /**
     * @param config validated configuration
     * @param parameters named parameters in order; c-contiguous float32/float64 arrays, updated in place
     * @param solver eigensolver used by amortized computations
     */
    public ShampooOptimizer(ShampooConfig config, Map<String, INDArray> parameters, SymmetricEigensolver solver) {
        this.config = config;
        this.solver = solver;
        this.parameters = new LinkedHashMap<>(parameters);
        this.peakLr = config.lr();
        this.lr = config.lr();
        this.beta3 = config.effectiveBeta3();
        this.start = config.effectiveStartPreconditioningStep();
        for (Map.Entry<String, INDArray> e : parameters.entrySet()) {
            String name = e.getKey();
            INDArray p = e.getValue();
            if (p.dataType() != DataType.FLOAT && p.dataType() != DataType.DOUBLE) {
                throw new IllegalArgumentException("parameter '" + name + "' has data type " + p.dataType()
                        + "; Lather optimizes float32 and float64 parameters only");
            }
            if (!Tensors.isRowMajorContiguous(p)) {
                throw new IllegalArgumentException("parameter '" + name + "' must be a c-ordered contiguous array "
                        + "(it is updated in place through reshaped views); pass param.dup('c')");
            }
            ParameterBlocking pb = ParameterBlocking.of(name, p.shape(), config.maxPreconditionerDim(),
                    config.targetParameterDimensionality());
            blocking.put(name, pb);
            List<BlockState> states = new ArrayList<>();
            if (!pb.isEmpty()) {
                for (BlockSpec spec : pb.blocks()) {
                    states.add(newBlockState(pb, spec, p));
                }
            }
            blocks.put(name, states);
        }
    }

    private BlockState newBlockState(ParameterBlocking pb, BlockSpec spec, INDArray param) {
        BlockState s = new BlockState(pb, spec);
        DataType type = param.dataType();
        long[] shape = spec.shape();
        if (config.beta1() != 0.0) {
            s.filteredGrad = Nd4j.zeros(type, shape);
        }
        IterateAveragingConfig avg = config.iterateAveraging();
        if (avg instanceof IterateAveragingConfig.ClassicMomentum) {
            s.momentumBuffer = Nd4j.zeros(type, shape);
        } else if (avg != null) {
            s.weightBuffer = pb.view(param, spec).dup('c');
        }
        if (config.preconditioner() instanceof DiagonalConfig d) {
            s.diagonal = Diagonal.init(d, shape, type);
        } else {
            if (config.grafting() != null) {
                s.diagonal = Diagonal.init(config.grafting(), shape, type);
            }
            // EShampoo/SOAP and per-factor blocks keep rot(M) when H = M/bc1 (see EigenvalueCorrectedBlock)
            INDArray tracked = config.beta1() != 0.0 && beta3 == config.beta1() ? s.filteredGrad : null;
            s.shampoo = newShampooBlock(spec, (ShampooPreconditionerConfig) config.preconditioner(), tracked);
        }
        return s;
    }

    private static ShampooBlock newShampooBlock(BlockSpec spec, ShampooPreconditionerConfig pc, INDArray filteredGrad) {
        long[] shape = spec.shape();
        int order = shape.length;
        boolean[] selected = new boolean[order];
        if (pc instanceof EigenvalueCorrectedShampooConfig ec) {
            for (int i = 0; i < order; i++) {
                selected[i] = ec.rotates(order, i);
            }
            return new EigenvalueCorrectedBlock(spec.id(), shape, selected, ec, filteredGrad);
        }
        InverseExponentOverride ov = pc instanceof RootInvShampooConfig r ? r.inverseExponentOverride()
                : pc instanceof EigendecomposedShampooConfig e ? e.inverseExponentOverride()
                : ((PerFactorEigenvalueCorrectedShampooConfig) pc).inverseExponentOverride();
        List<Double> roots = new ArrayList<>();
        for (int i = 0; i < order; i++) {
            double ex = ov.exponent(order, i);
            selected[i] = ex != 0.0;
            if (selected[i]) {
                roots.add(1.0 / ex);
            }
        }
        double[] r = roots.stream().mapToDouble(Double::doubleValue).toArray();
        if (pc instanceof RootInvShampooConfig ri) {
            return new RootInvBlock(spec.id(), shape, selected, r, ri);
        }
        if (pc instanceof EigendecomposedShampooConfig ed) {
            return new EigendecomposedBlock(spec.id(), shape, selected, r, ed);
        }
        return new PerFactorBlock(spec.id(), shape, selected, r, (PerFactorEigenvalueCorrectedShampooConfig) pc, filteredGrad);
    }

    @Override
    public String typeName() {
        return config.typeName();
    }

    /**
     * What data partitions must compute for {@link #step(Map, Map)}; empty tasks when the preconditioner is diagonal.
     */
    public StatisticsPlan statisticsPlan() {
        LinkedHashMap<String, long[]> merged = new LinkedHashMap<>();
        List<StatisticsPlan.BlockTask> tasks = new ArrayList<>();
        blocks.forEach((name, states) -> {
            merged.put(name, blocking.get(name).mergedShape());
            for (BlockState s : states) {
                if (s.shampoo != null) {
                    tasks.add(new StatisticsPlan.BlockTask(name, s.spec.id().index(), s.spec.offset(), s.spec.shape(),
                            s.shampoo.selected.clone(), s.shampoo.needsRotatedSquares()));
                }
            }
        });
        return new StatisticsPlan(merged, tasks);
    }

    /** The current eigenvectors of every block of a variant that has eigenbases (copies; empty lists otherwise). */
    public Map<io.lather.optimizer.blocking.BlockId, List<INDArray>> eigenbases() {
        Map<io.lather.optimizer.blocking.BlockId, List<INDArray>> out = new LinkedHashMap<>();
        blocks.values().forEach(states -> states.forEach(s -> {
            if (s.shampoo != null) {
                out.put(s.spec.id(), s.shampoo.eigenbases().stream().map(INDArray::dup).toList());
            }
        }));
        return out;
    }

    /** The configuration. */
    public ShampooConfig config() {
        return config;
    }

    @Override
    public Map<String, INDArray> parameters() {
        return Collections.unmodifiableMap(parameters);
    }

    /** The blocking of every parameter, in parameter order. */
    public Map<String, ParameterBlocking> blocking() {
        return Collections.unmodifiableMap(blocking);
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

    @Override
    public OptimizerStatistics statistics() {
        return new OptimizerStatistics(step, counters.amortizedSteps, counters.computed, counters.skipped, counters.failed);
    }

    private double factorBiasCorrection(long t) {
        ShampooPreconditionerConfig pc = config.preconditioner() instanceof ShampooPreconditionerConfig s ? s : null;
        boolean drop = pc != null && pc.statistics().dropWeightingFactorOnGsquare();
        if (config.useBiasCorrection() && config.beta2() < 1.0 && !drop) {
            return 1.0 - Math.pow(config.beta2(), t);
        }
        return 1.0;
    }

    private double factorWeight() {
        ShampooPreconditionerConfig pc = config.preconditioner() instanceof ShampooPreconditionerConfig s ? s : null;
        boolean drop = pc != null && pc.statistics().dropWeightingFactorOnGsquare();
        return drop || config.beta2() == 1.0 ? 1.0 : 1.0 - config.beta2();
    }

    @Override
    public void step(Map<String, INDArray> gradients) {
        step(gradients, null);
    }

    /**
     * A step whose Shampoo statistics come from outside (Lather's {@code partition} statistics mode): for every block of
     * every parameter with a gradient, {@code statistics} holds the averaged partition outer products (and rotated squares
     * for eigenvalue-corrected Shampoo) computed by {@link #statisticsPlan()}; everything else — filtered gradient,
     * grafting, the direction — still uses {@code gradients}.
     *
     * @param statistics per-block statistics, or null for the reference behaviour (statistics of {@code gradients})
     * @throws IllegalArgumentException for KL variants (their outer products depend on the driver's current roots) or a
     *     missing block
     */
    public void step(Map<String, INDArray> gradients, Map<io.lather.optimizer.blocking.BlockId, BlockStatistics> statistics) {
        if (statistics != null && config.preconditioner() instanceof ShampooPreconditionerConfig sp && sp.kl()) {
            throw new IllegalArgumentException("partition statistics are not available for KL-Shampoo variants (their outer "
                    + "products use the driver's current inverse roots); use statistics mode 'global'");
        }
        IterateAveragingConfig avg = config.iterateAveraging();
        boolean averaging = avg instanceof IterateAveragingConfig.GeneralizedPrimalAveraging
                || avg instanceof IterateAveragingConfig.ScheduleFree;
        if (averaging && !trainMode) {
            throw OptimizerErrors.stepInEvalMode();
        }
        Map<String, INDArray> present = validateGradients(gradients, step + 1);
        long t = ++step;
        boolean amortize = (t % config.preconditionFrequency() == 0 && t > start) || t == start;
        boolean graftPhase = t < start && config.grafting() != null;
        if (amortize) {
            counters.amortizedSteps++;
        }
        StepContext ctx = new StepContext(t, amortize, config.beta2(), factorWeight(), factorBiasCorrection(t),
                factorBiasCorrection(t - 1), config.epsilon(), 1.0 - config.beta1(), filterBiasCorrection(t), solver, counters, buffers);
        double muX = 0;
        double muY = 0;
        if (avg instanceof IterateAveragingConfig.GeneralizedPrimalAveraging g) {
            muX = g.evalInterpCoeff();
            muY = g.trainInterpCoeff();
        } else if (avg instanceof IterateAveragingConfig.ScheduleFree sf) {
            double lrp = Math.pow(lr, sf.evalCoeffLrPower());
            lrSum += lrp;
            muX = lrSum == 0 ? 0 : 1.0 - lrp / lrSum;
            muY = sf.trainInterpCoeff();
        }

        // Phase 1: statistics and amortized computations of every block, from the raw (L2-augmented) gradient.
        List<BlockState> active = new ArrayList<>();
        List<INDArray> grads = new ArrayList<>();
        List<BlockState> shampooBlocks = new ArrayList<>();
        List<INDArray> shampooGradients = new ArrayList<>();
        List<BlockStatistics> suppliedStatistics = new ArrayList<>();
        for (Map.Entry<String, INDArray> e : present.entrySet()) {
            INDArray param = parameters.get(e.getKey());
            boolean l2 = config.weightDecay() != 0.0 && config.weightDecayType() == WeightDecayType.L2;
            for (BlockState s : blocks.get(e.getKey())) {
                INDArray view = s.parameter.view(e.getValue(), s.spec);
                // The step only reads a block's gradient, so a contiguous block of the caller's array is used as it is (a
                // 4 MiB copy saved per 1024² block); the L2 term is added to a copy, never to the caller's array.
                INDArray g = !l2 && Tensors.isRowMajorContiguous(view) ? view : s.gradient(e.getValue().dataType()).assign(view);
                INDArray tmp = buffers.like(SCRATCH, g);
                if (l2) {
                    g.addi(s.parameter.view(param, s.spec).mul(config.weightDecay(), tmp));
                }
                if (s.shampoo != null) {
                    BlockStatistics supplied = null;
                    if (statistics != null) {
                        supplied = statistics.get(s.spec.id());
                        if (supplied == null) {
                            throw new IllegalArgumentException("no partition statistics for block " + s.spec.id());
                        }
                    }
                    s.shampoo.updateStatistics(g, ctx, supplied);
                    shampooBlocks.add(s);
                    shampooGradients.add(g);
                    suppliedStatistics.add(supplied);
                }
                if (s.diagonal != null) {
                    Diagonal.update(s.shampoo == null ? (DiagonalConfig) config.preconditioner() : config.grafting(), s.diagonal, g, tmp);
                }
                active.add(s);
                grads.add(g);
            }
        }

        // The amortized computations of all blocks as one batch (side by side when it pays), then the statistics that
        // read their results (EShampoo's second moment in the new eigenbasis).
        if (amortize) {
            AmortizedComputations.run(shampooBlocks.stream().map(b -> b.shampoo).toList(), ctx);
        }
        for (int i = 0; i < shampooBlocks.size(); i++) {
            shampooBlocks.get(i).shampoo.updateAfterAmortized(shampooGradients.get(i), ctx, suppliedStatistics.get(i));
        }

        // Phase 2: directions and parameter updates.
        for (int i = 0; i < active.size(); i++) {
            BlockState s = active.get(i);
            INDArray g = grads.get(i);
            INDArray w = s.parameter.view(parameters.get(s.spec.id().parameter()), s.spec);
            INDArray tmp = buffers.like(SCRATCH, g);
            INDArray h = filteredGradient(s, g, t);
            INDArray p = direction(s, h, t, graftPhase, ctx);
            if (s.momentumBuffer == null && s.weightBuffer == null && decayFactor() != 0.0
                    && FusedElementwise.decayAndApply(w, p, decayFactor(), lr)) {
                continue; // the common case (decoupled decay, no momentum or averaging) in one pass
            }
            applyWeightDecay(s, p, w, tmp);
            if (s.momentumBuffer != null) {
                IterateAveragingConfig.ClassicMomentum cm = (IterateAveragingConfig.ClassicMomentum) avg;
                s.momentumBuffer.muli(cm.momentum()).addi(p.mul(1.0 - cm.dampening(), tmp));
                p = cm.nesterov() ? p.muli(1.0 - cm.dampening()).addi(s.momentumBuffer.mul(cm.momentum(), tmp))
                        : p.assign(s.momentumBuffer);
            }
            p.muli(-lr);
            if (s.weightBuffer != null) {
                INDArray zMinusW = s.weightBuffer.sub(w, tmp);
                s.weightBuffer.addi(p);
                p.muli(1.0 - muX * muY).addi(zMinusW.muli(1.0 - muX));
            }
            w.addi(p);
        }
    }

    /** bc1: H = M / bc1 (the reference's 1 − β3·β1^(t−1)), or 1 without bias correction. */
    private double filterBiasCorrection(long t) {
        return config.useBiasCorrection() ? 1.0 - beta3 * Math.pow(config.beta1(), t - 1) : 1.0;
    }

    private INDArray filteredGradient(BlockState s, INDArray g, long t) {
        double beta1 = config.beta1();
        if (beta1 == 0.0) {
            return g;
        }
        INDArray h = buffers.like("step.filtered_gradient", g);
        double bc1 = filterBiasCorrection(t);
        if (beta3 == beta1 && FusedElementwise.lerpAndScaledCopy(s.filteredGrad, g, 1.0 - beta1, h, bc1)) {
            return h;
        }
        INDArray lerpScratch = buffers.like("step.lerp_scratch", g);
        if (beta3 != beta1) {
            Tensors.lerpInPlace(h.assign(s.filteredGrad), g, 1.0 - beta3, lerpScratch);
        }
        Tensors.lerpInPlace(s.filteredGrad, g, 1.0 - beta1, lerpScratch);
        if (beta3 == beta1) {
            h.assign(s.filteredGrad);
        }
        if (config.useBiasCorrection()) {
            h.divi(bc1);
        }
        return h;
    }

    private INDArray direction(BlockState s, INDArray h, long t, boolean graftPhase, StepContext ctx) {
        if (s.shampoo == null) {
            DiagonalConfig main = (DiagonalConfig) config.preconditioner();
            return Diagonal.precondition(main, s.diagonal, h, Diagonal.biasCorrection(main, t), buffers.like(ShampooBlock.DIRECTION, h),
                    buffers.like(SCRATCH, h));
        }
        DiagonalConfig graft = config.grafting();
        if (graftPhase) {
            return Diagonal.precondition(graft, s.diagonal, h, Diagonal.biasCorrection(graft, t), buffers.like(ShampooBlock.DIRECTION, h),
                    buffers.like(SCRATCH, h));
        }
        INDArray p = s.shampoo.precondition(h, ctx);
        if (graft != null) {
            INDArray d = Diagonal.precondition(graft, s.diagonal, h, Diagonal.biasCorrection(graft, t),
                    buffers.like("step.grafting_direction", h), buffers.like(SCRATCH, h));
            double ratio = Tensors.norm2(d) / (Tensors.norm2(p) + 1e-16);
            p.muli(ratio);
        }
        return p;
    }

    /** The factor α of the decoupled/corrected/independent weight decay term α·W, or 0 when there is none. */
    private double decayFactor() {
        double wd = config.weightDecay();
        if (wd == 0.0 || config.weightDecayType() == WeightDecayType.L2) {
            return 0.0;
        }
        return switch (config.weightDecayType()) {
            case CORRECTED -> wd * lr / peakLr;
            case INDEPENDENT -> wd / peakLr;
            default -> wd;
        };
    }

    private void applyWeightDecay(BlockState s, INDArray p, INDArray w, INDArray tmp) {
        double alpha = decayFactor();
        if (alpha == 0.0) {
            return;
        }
        if (s.weightBuffer != null) {
            s.weightBuffer.muli(1.0 - lr * alpha);
        } else {
            p.addi(w.mul(alpha, tmp));
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
            if (g == null || blocking.get(e.getKey()).isEmpty()) {
                continue;
            }
            INDArray p = e.getValue();
            if (!Arrays.equals(g.shape(), p.shape())) {
                throw OptimizerErrors.shapeMismatch(e.getKey(), p.shape(), g.shape());
            }
            if (g.dataType() != p.dataType()) {
                throw OptimizerErrors.typeMismatch(e.getKey(), p.dataType(), g.dataType());
            }
            if (config.checkGradientsFinite() && !Tensors.allFinite(g)) {
                throw OptimizerErrors.nonFiniteGradient(e.getKey(), nextStep);
            }
            present.put(e.getKey(), Tensors.contiguous(g));
        }
        return present;
    }

    private boolean averaging() {
        IterateAveragingConfig avg = config.iterateAveraging();
        return avg instanceof IterateAveragingConfig.GeneralizedPrimalAveraging || avg instanceof IterateAveragingConfig.ScheduleFree;
    }

    private double trainInterp() {
        IterateAveragingConfig avg = config.iterateAveraging();
        return avg instanceof IterateAveragingConfig.GeneralizedPrimalAveraging g ? g.trainInterpCoeff()
                : ((IterateAveragingConfig.ScheduleFree) avg).trainInterpCoeff();
    }

    /** GPA / Schedule-Free: y → x, W ← W + (1 − 1/μy)(Z − W). */
    @Override
    public void eval() {
        if (!averaging() || !trainMode) {
            return;
        }
        double c = 1.0 - 1.0 / trainInterp();
        forEachAveragedBlock((w, z) -> w.addi(z.sub(w).muli(c)));
        trainMode = false;
    }

    /** GPA / Schedule-Free: x → y, W ← W + (1 − μy)(Z − W). */
    @Override
    public void train() {
        if (!averaging() || trainMode) {
            return;
        }
        double c = 1.0 - trainInterp();
        forEachAveragedBlock((w, z) -> w.addi(z.sub(w).muli(c)));
        trainMode = true;
    }

    private void forEachAveragedBlock(java.util.function.BiConsumer<INDArray, INDArray> f) {
        for (List<BlockState> states : blocks.values()) {
            for (BlockState s : states) {
                f.accept(s.parameter.view(parameters.get(s.spec.id().parameter()), s.spec), s.weightBuffer);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ state

    /** A scalar of the optimizer's state, read and written as raw long bits of its type. */
    private record Scalar(StateKey key, TensorType type, LongSupplier get, LongConsumer set) {
        HostTensor export() {
            long v = get.getAsLong();
            return switch (type) {
                case FLOAT64 -> HostTensor.ofDouble(Double.longBitsToDouble(v));
                case BOOL -> HostTensor.ofBoolean(v != 0);
                default -> HostTensor.ofLong(v);
            };
        }

        void load(HostTensor t) {
            set.accept(switch (type) {
                case FLOAT64 -> Double.doubleToRawLongBits(t.scalarDouble());
                case BOOL -> t.scalarDouble() != 0 ? 1 : 0;
                default -> t.scalarLong();
            });
        }
    }

    /** Every scalar of the state: optimizer-wide values and the per-block failure counters. */
    private List<Scalar> scalars() {
        List<Scalar> out = new ArrayList<>();
        out.add(new Scalar(StateKey.global("step"), TensorType.INT64, () -> step, x -> step = x));
        out.add(new Scalar(StateKey.global("lr"), TensorType.FLOAT64, () -> Double.doubleToRawLongBits(lr),
                x -> lr = Double.longBitsToDouble(x)));
        if (averaging()) {
            out.add(new Scalar(StateKey.global("lr_sum"), TensorType.FLOAT64, () -> Double.doubleToRawLongBits(lrSum),
                    x -> lrSum = Double.longBitsToDouble(x)));
            out.add(new Scalar(StateKey.global("train_mode"), TensorType.BOOL, () -> trainMode ? 1 : 0, x -> trainMode = x != 0));
        }
        out.add(new Scalar(StateKey.global("statistics.amortized_steps"), TensorType.INT64, () -> counters.amortizedSteps,
                x -> counters.amortizedSteps = x));
        out.add(new Scalar(StateKey.global("statistics.factor_computations"), TensorType.INT64, () -> counters.computed,
                x -> counters.computed = x));
        out.add(new Scalar(StateKey.global("statistics.factor_skips"), TensorType.INT64, () -> counters.skipped,
                x -> counters.skipped = x));
        out.add(new Scalar(StateKey.global("statistics.failed_computations"), TensorType.INT64, () -> counters.failed,
                x -> counters.failed = x));
        visitBlocks((k, live) -> { }, out);
        return out;
    }

    /** Visits every block tensor (live arrays) and collects the blocks' counters as scalars. */
    private void visitBlocks(java.util.function.BiConsumer<StateKey, INDArray> tensors, List<Scalar> counterSink) {
        visitBlocks(tensors, counterSink, null);
    }

    /** ... and, when {@code derivedSink} is given, how to rebuild each derived tensor (see {@link StateVisitor#derived}). */
    private void visitBlocks(java.util.function.BiConsumer<StateKey, INDArray> tensors, List<Scalar> counterSink,
            Map<StateKey, Runnable> derivedSink) {
        for (Map.Entry<String, List<BlockState>> e : blocks.entrySet()) {
            for (BlockState s : e.getValue()) {
                int index = s.spec.id().index();
                s.visitState(new StateVisitor() {
                    @Override
                    public void tensor(String name, INDArray live) {
                        tensors.accept(new StateKey(e.getKey(), index, name), live);
                    }

                    @Override
                    public void derived(String name, INDArray live, Runnable rebuild) {
                        tensor(name, live);
                        if (derivedSink != null) {
                            derivedSink.put(new StateKey(e.getKey(), index, name), rebuild);
                        }
                    }

                    @Override
                    public void counter(String name, LongSupplier get, LongConsumer set) {
                        if (counterSink != null) {
                            counterSink.add(new Scalar(new StateKey(e.getKey(), index, name), TensorType.INT64, get, set));
                        }
                    }
                });
            }
        }
    }

    @Override
    public OptimizerState exportState() {
        Map<StateKey, HostTensor> out = OptimizerState.newTensorMap();
        for (Scalar s : scalars()) {
            out.put(s.key(), s.export());
        }
        visitBlocks((k, live) -> out.put(k, HostTensor.of(live)), null);
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
        Map<StateKey, INDArray> live = new LinkedHashMap<>();
        Map<StateKey, Runnable> derived = new LinkedHashMap<>();
        visitBlocks(live::put, null, derived);
        List<Scalar> scalars = scalars();
        TreeSet<StateKey> expected = new TreeSet<>(live.keySet());
        scalars.forEach(s -> expected.add(s.key()));
        TreeSet<StateKey> missing = new TreeSet<>(expected);
        missing.removeAll(state.tensors().keySet());
        List<Runnable> rebuilds = new ArrayList<>();
        for (Map.Entry<StateKey, Runnable> d : derived.entrySet()) {
            if (missing.remove(d.getKey())) {
                live.remove(d.getKey()); // nothing to assign: rebuilt from the assigned state below
                rebuilds.add(d.getValue());
            }
        }
        TreeSet<StateKey> extra = new TreeSet<>(state.tensors().keySet());
        extra.removeAll(expected);
        if (!missing.isEmpty() || !extra.isEmpty()) {
            throw new StateException("optimizer state does not match this optimizer: missing " + abbreviate(missing) + ", unexpected "
                    + abbreviate(extra) + ". The checkpoint was written with a different optimizer configuration or model; "
                    + "resume with the configuration it was written with, or start a new run");
        }
        for (Map.Entry<StateKey, INDArray> e : live.entrySet()) {
            HostTensor t = state.tensors().get(e.getKey());
            INDArray target = e.getValue();
            if (t.dataType() != target.dataType() || !Arrays.equals(t.shape(), target.shape())) {
                throw new StateException("optimizer state tensor '" + e.getKey() + "' is " + t + " but this optimizer holds "
                        + TensorType.of(target.dataType()).typeName() + Arrays.toString(target.shape())
                        + "; the checkpoint was written with a different precision or model shape");
            }
        }
        for (Scalar s : scalars) {
            HostTensor t = state.tensors().get(s.key());
            if (t.type() != s.type() || t.shape().length != 0) {
                throw new StateException("optimizer state value '" + s.key() + "' must be a " + s.type().typeName() + " scalar, got " + t);
            }
        }
        // Every check passed: only now is anything assigned, so a rejected state leaves the optimizer untouched.
        for (Map.Entry<StateKey, INDArray> e : live.entrySet()) {
            e.getValue().assign(state.tensors().get(e.getKey()).toINDArray());
        }
        for (Scalar s : scalars) {
            s.load(state.tensors().get(s.key()));
        }
        for (List<BlockState> states : blocks.values()) {
            for (BlockState s : states) {
                if (s.shampoo != null) {
                    s.shampoo.afterImport();
                }
            }
        }
        rebuilds.forEach(Runnable::run);
    }

    private static String abbreviate(TreeSet<StateKey> keys) {
        if (keys.isEmpty()) {
            return "none";
        }
        List<String> names = keys.stream().limit(8).map(StateKey::toString).toList();
        return names + (keys.size() > 8 ? " and " + (keys.size() - 8) + " more" : "");
    }
}
