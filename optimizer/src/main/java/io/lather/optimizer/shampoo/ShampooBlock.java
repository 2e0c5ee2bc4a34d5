package io.lather.optimizer.shampoo;

import io.lather.optimizer.OptimizerErrors;
import io.lather.optimizer.blocking.BlockId;
import io.lather.optimizer.config.FactorStatisticsConfig;
import io.lather.optimizer.linalg.FusedElementwise;
import io.lather.optimizer.linalg.MatrixFunctionFailure;
import io.lather.optimizer.linalg.Tensors;
import io.lather.optimizer.linalg.WorkBuffers;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * State and behaviour shared by the Shampoo variants for one block (ALGORITHMS.md §5.3): one Kronecker factor
 * per preconditioned mode, the factor EMA, the amortized computation with the numerical failure policy, and the
 * KL-Shampoo factor transform. Subclasses say what the amortized computation produces and how it is applied.
 */
abstract class ShampooBlock {
    final BlockId id;
    final long[] shape;
    final boolean[] selected;
    /** Preconditioned modes in increasing order; factor j belongs to mode modes[j]. */
    final int[] modes;
    final INDArray[] factors;
    final FactorStatisticsConfig statistics;
    long consecutiveFailures;

    ShampooBlock(BlockId id, long[] shape, boolean[] selected, FactorStatisticsConfig statistics) {
        this.id = id;
        this.shape = shape.clone();
        this.selected = selected.clone();
        this.statistics = statistics;
        List<Integer> m = new ArrayList<>();
        for (int i = 0; i < selected.length; i++) {
            if (selected[i]) {
                m.add(i);
            }
        }
        this.modes = m.stream().mapToInt(Integer::intValue).toArray();
        this.factors = new INDArray[modes.length];
        DataType ft = statistics.factorPrecision().dataType();
        for (int j = 0; j < modes.length; j++) {
            long d = shape[modes[j]];
            factors[j] = Nd4j.zeros(ft, d, d);
        }
    }

    /** Factor dimension of factor j. */
    final long dim(int j) {
        return shape[modes[j]];
    }

    /**
     * Every step, first part: outer products (all computed before any factor changes), factor EMA and the variant's
     * per-step statistics that precede the amortized computation.
     */
    final void updateStatistics(INDArray g, StepContext ctx, BlockStatistics supplied) {
        if (modes.length == 0) {
            return;
        }
        INDArray[] outer = new INDArray[modes.length];
        if (supplied != null) {
            for (int j = 0; j < modes.length; j++) {
                outer[j] = supplied.outerProducts()[j];
            }
        } else {
            boolean kl = klActive();
            for (int j = 0; j < modes.length; j++) {
                INDArray x = kl ? klTransform(g, j, ctx) : g;
                outer[j] = Tensors.outerProduct(x, modes[j], ctx.buffers().get("shampoo.outer." + j, x.dataType(), dim(j), dim(j)));
            }
        }
        for (int j = 0; j < modes.length; j++) {
            if (FusedElementwise.ema(factors[j], outer[j], false, ctx.beta2(), ctx.weight())) {
                continue;
            }
            if (ctx.beta2() != 1.0) {
                factors[j].muli(ctx.beta2());
            }
            // w·O in a scratch array, not in place: the outer products are read again by the per-factor eigenvalue EMA
            INDArray scaled = ctx.buffers().get("shampoo.scaled_outer", factors[j].dataType(), dim(j), dim(j));
            factors[j].addi(scaled.assign(outer[j]).muli(ctx.weight()));
        }
        afterFactorUpdate(g, outer, supplied == null && !klActive(), ctx);
    }

    /** Every step, last part (after the amortized computation): the variant's remaining statistics. */
    final void updateAfterAmortized(INDArray g, StepContext ctx, BlockStatistics supplied) {
        afterAmortized(g, supplied == null ? null : supplied.rotatedSquares(), ctx);
    }

    /** One factor's amortized computation; the thread that runs it also prepares the factor's matrix. */
    record FactorJob(ShampooBlock block, int factor) {}

    /** What a {@link FactorJob} produced: whether it recomputed, a tolerated failure, or a hard error. */
    record FactorOutcome(boolean recomputed, MatrixFunctionFailure failure, RuntimeException error) {}

    /** The amortized computation's jobs when it is due, one per factor. */
    final List<FactorJob> amortizedJobs(StepContext ctx) {
        List<FactorJob> jobs = new ArrayList<>();
        if (ctx.amortize()) {
            for (int j = 0; j < modes.length; j++) {
                jobs.add(new FactorJob(this, j));
            }
        }
        return jobs;
    }

    /**
     * Factor j's bias-corrected (possibly trace-scaled) float64 copy, after the hard check of ALGORITHMS.md §5.3.5 (a
     * non-finite factor is an error). Written into {@code scratch}'s "amortized.factor" buffer, which the job owns while it
     * runs.
     */
    private INDArray preparedFactor(int j, StepContext ctx, WorkBuffers scratch) {
        long d = dim(j);
        INDArray a = scratch.get("amortized.factor", DataType.DOUBLE, d, d).assign(factors[j]).divi(ctx.biasCorrection());
        if (statistics.useTraceScaling()) {
            double trace = Nd4j.diag(a).sumNumber().doubleValue();
            a.muli(Math.pow(Math.max(trace, ctx.epsilon()), -statistics.traceScalingExponent()));
        }
        if (!Tensors.allFinite(a)) {
            throw OptimizerErrors.nonFiniteFactor(id, j, ctx.step());
        }
        return a;
    }

    /**
     * Runs one job: prepares the factor's matrix and computes from it. Jobs of different factors (and blocks) touch
     * disjoint state, so {@link AmortizedComputations} may run them concurrently (the copy and the check then run side by
     * side too); counting, the failure policy and the hard errors (a non-finite factor among them) take effect afterwards
     * in {@link #finishAmortized}, in block and factor order.
     */
    static FactorOutcome run(FactorJob job, StepContext ctx) {
        try {
            ShampooBlock b = job.block();
            WorkBuffers scratch = AmortizedComputations.scratch();
            INDArray a = b.preparedFactor(job.factor(), ctx, scratch);
            return new FactorOutcome(b.computeFactor(job.factor(), a, ctx, scratch), null, null);
        } catch (MatrixFunctionFailure e) {
            return new FactorOutcome(false, e, null);
        } catch (RuntimeException e) {
            return new FactorOutcome(false, null, e);
        }
    }

    /**
     * The failure policy of ALGORITHMS.md §5.3.5 over this block's outcomes, in factor order: a hard error is rethrown;
     * a failing matrix function keeps the previous result of that factor and counts against the block's tolerance of
     * consecutive failed steps.
     */
    final void finishAmortized(List<FactorOutcome> outcomes, StepContext ctx) {
        MatrixFunctionFailure last = null;
        for (FactorOutcome o : outcomes) {
            if (o.error() != null) {
                throw o.error();
            }
            if (o.failure() != null) {
                last = o.failure();
                ctx.counters().failed++;
            } else if (o.recomputed()) {
                ctx.counters().computed++;
            } else {
                ctx.counters().skipped++;
            }
        }
        if (last != null) {
            consecutiveFailures++;
            if (consecutiveFailures > statistics.numToleratedFailedAmortizedComputations()) {
                throw OptimizerErrors.tooManyFailures(id, ctx.step(), (int) consecutiveFailures,
                        statistics.numToleratedFailedAmortizedComputations(), last);
            }
        } else if (!outcomes.isEmpty()) {
            consecutiveFailures = 0;
        }
    }

    /** Checks a matrix-function result; non-finite values are a hard error. */
    final INDArray requireFinite(INDArray result, int j, StepContext ctx, String what) {
        if (!Tensors.allFinite(result)) {
            throw OptimizerErrors.nonFiniteResult(id, j, ctx.step(), what);
        }
        return result;
    }

    /** G ⋆ M_{j'} over every preconditioned mode except factor j's (ALGORITHMS.md §5.9). */
    private INDArray klTransform(INDArray g, int j, StepContext ctx) {
        boolean[] sel = selected.clone();
        sel[modes[j]] = false;
        List<INDArray> mats = new ArrayList<>();
        for (int o = 0; o < modes.length; o++) {
            if (o != j) {
                mats.add(klMatrix(o, ctx));
            }
        }
        if (mats.isEmpty()) {
            return g;
        }
        return Tensors.contractModes(g, sel, mats, false).castTo(g.dataType());
    }

    /** Whether the KL transform applies this step (false for non-KL variants). */
    boolean klActive() {
        return false;
    }

    /** The per-mode matrix the KL transform applies for factor j (only called when {@link #klActive()}). */
    INDArray klMatrix(int j, StepContext ctx) {
        throw new UnsupportedOperationException();
    }

    /**
     * Per-step statistics after the factor update and before the amortized computation (per-factor EMA).
     *
     * @param outerOfG whether the outer products are those of g itself (not supplied by partitions, no KL transform)
     */
    void afterFactorUpdate(INDArray g, INDArray[] outerProducts, boolean outerOfG, StepContext ctx) {}

    /**
     * Per-step statistics after the amortized computation (EShampoo's second moment).
     *
     * @param rotatedSquares externally supplied rot(G)⊙rot(G) (partition statistics mode), or null to use g
     */
    void afterAmortized(INDArray g, INDArray rotatedSquares, StepContext ctx) {}

    /** Whether this variant's per-step statistics need rotated squares of the gradient (eigenvalue-corrected Shampoo). */
    boolean needsRotatedSquares() {
        return false;
    }

    /** The current eigenvectors per factor (empty for variants without eigenbases). */
    java.util.List<INDArray> eigenbases() {
        return java.util.List.of();
    }

    /**
     * The variant's amortized computation for factor j. May run on a worker thread concurrently with other factors'
     * computations: it must only touch factor j's own state (and not the step's work buffers or counters).
     *
     * @param a bias-corrected (and possibly trace-scaled) factor in float64, in {@code scratch}
     * @param scratch the running thread's buffers for the amortized work ({@link AmortizedComputations#scratch()}): what the
     *     linear algebra returns from them must be copied into the block's state, not kept
     * @return true if the matrix function was recomputed, false if the adaptive criterion kept the previous one
     * @throws MatrixFunctionFailure to report a tolerated failure
     */
    abstract boolean computeFactor(int j, INDArray a, StepContext ctx, WorkBuffers scratch);

    /**
     * The Shampoo direction for the filtered gradient H, as an array of H's type that is either new or the work array
     * {@link #DIRECTION}; callers may modify it but must be done with it before the next block's direction.
     */
    abstract INDArray precondition(INDArray h, StepContext ctx);

    /** Visits the variant's tensors (the factors and failure counter are visited here). */
    void visitState(StateVisitor v) {
        for (int j = 0; j < modes.length; j++) {
            v.tensor("shampoo.factor_matrices." + j, factors[j]);
        }
        v.counter("shampoo.amortized_failures", () -> consecutiveFailures, x -> consecutiveFailures = x);
    }

    /** Called after imported values were assigned, so derived caches can be dropped. */
    void afterImport() {}

    /**
     * Applies per-mode matrices to the selected modes and casts back to H's type. The result lives in the work array
     * {@link #DIRECTION} (valid until the next block's direction is computed).
     */
    final INDArray applyPerMode(INDArray h, List<INDArray> matrices, io.lather.optimizer.linalg.WorkBuffers buffers) {
        if (matrices.isEmpty()) {
            return buffers.like(DIRECTION, h).assign(h);
        }
        DataType t = matrices.get(0).dataType();
        return Tensors.contractModes(h, selected, matrices, false, buffers.get(DIRECTION, t, shape),
                buffers.get(CONTRACTION_WORK, t, shape)).castTo(h.dataType());
    }

    /** m ← lerp(m, g, w) (torch.lerp): one fused pass when possible, else ND4J ops with a reused scratch array. */
    static void lerpInPlace(INDArray m, INDArray g, double w, io.lather.optimizer.linalg.WorkBuffers buffers) {
        if (!FusedElementwise.lerp(m, g, w)) {
            Tensors.lerpInPlace(m, g, w, buffers.like("shampoo.lerp_scratch", m));
        }
    }

    /** Work array holding a block's Shampoo direction (what {@link #precondition} returns). */
    static final String DIRECTION = "shampoo.direction";
    /** Work array for the intermediate steps of a mode contraction. */
    static final String CONTRACTION_WORK = "shampoo.contraction_work";

    /** The previous eigenvectors in float64 when the eigendecomposition reads them, else null (saves a copy). */
    static INDArray warmStart(io.lather.optimizer.config.EigendecompositionConfig config, INDArray eigenvectors) {
        return io.lather.optimizer.linalg.Eigendecompositions.usesWarmStart(config) ? eigenvectors.castTo(DataType.DOUBLE) : null;
    }

    static INDArray identity(long d, DataType type) {
        return Nd4j.eye(d).castTo(type);
    }
}
