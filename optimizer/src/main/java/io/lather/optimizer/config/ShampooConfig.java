package io.lather.optimizer.config;

/**
 * Configuration of the Distributed-Shampoo step (facebookresearch/optimizers {@code DistributedShampoo}),
 * validated at construction. Defaults in {@link #builder()} are the reference's (ALGORITHMS.md §1.1) except
 * where noted.
 *
 * <p>One step, for every block of every parameter (ALGORITHMS.md §3.2): (1) L2 decay G ← G + wd·W;
 * (2) statistics (factors, eigenvalue statistics, grafting state) and, when t = S or (t &gt; S and t mod F = 0),
 * the amortized computation; (3) filtered gradient H from β1/β3 with bias correction; (4) direction: the
 * grafting method before S, afterwards the Shampoo direction (rescaled to the grafting norm when grafting
 * is configured); (5) decoupled-type decay; (6) momentum; (7) × (−lr); (8) GPA / Schedule-Free.
 *
 * @param lr learning rate ≥ 0 (default 0.01); also the peak rate used by corrected/independent decay
 * @param beta1 gradient EMA ∈ [0, 1) (default 0.9); 0 disables it
 * @param beta2 factor / second-moment EMA ∈ [0, 1] (default 1.0 = accumulation)
 * @param beta3 weight of the current filtered gradient, −1 (= β1, default) or ∈ [0, 1)
 * @param epsilon ε &gt; 0 (default 1e-12); exactly 0 iff the rank-deficiency config is a pseudo-inverse
 * @param weightDecay ≥ 0 (default 0)
 * @param weightDecayType how decay enters (default decoupled)
 * @param maxPreconditionerDim merge threshold and block side ≥ 1 (default 1024; {@link Long#MAX_VALUE} = ∞)
 * @param targetParameterDimensionality stop merging dims once this many remain, ≥ 1 (default 1;
 *     {@link Integer#MAX_VALUE} = ∞: no squeezing and no merging)
 * @param preconditionFrequency F ≥ 1 (default 1)
 * @param startPreconditioningStep S ≥ F, or −1 meaning F (default −1); {@link Integer#MAX_VALUE} = never
 * @param useBiasCorrection bias-correct the filtered gradient and the factor/E statistics (default true)
 * @param iterateAveraging momentum/averaging, or null (default)
 * @param grafting grafting method, or null (default)
 * @param preconditioner the preconditioner (default root-inverse Shampoo)
 * @param checkGradientsFinite check every gradient for NaN/Inf before using it (default true; the reference's
 *     {@code eager_nan_check} defaults to false — a non-finite gradient would otherwise silently corrupt state)
 */
public record ShampooConfig(
        double lr,
        double beta1,
        double beta2,
        double beta3,
        double epsilon,
        double weightDecay,
        WeightDecayType weightDecayType,
        long maxPreconditionerDim,
        int targetParameterDimensionality,
        int preconditionFrequency,
        int startPreconditioningStep,
        boolean useBiasCorrection,
        IterateAveragingConfig iterateAveraging,
        DiagonalConfig grafting,
        PreconditionerConfig preconditioner,
        boolean checkGradientsFinite) implements OptimizerConfig {

    /** Marker for "infinite" max preconditioner dim. */
    public static final long UNLIMITED_DIM = Long.MAX_VALUE;
    /** Marker for "never start preconditioning". */
    public static final int NEVER = Integer.MAX_VALUE;

    public ShampooConfig {
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new ConfigException("shampoo.lr", lr, "must be a finite number >= 0");
        }
        Check.closedOpen("shampoo.beta1", beta1, 0, 1);
        Check.closed("shampoo.beta2", beta2, 0, 1);
        if (beta3 != -1.0) {
            Check.closedOpen("shampoo.beta3", beta3, 0, 1);
        }
        Check.nonNegative("shampoo.weight_decay", weightDecay);
        Check.notNull("shampoo.weight_decay_type", weightDecayType);
        Check.atLeast("shampoo.max_preconditioner_dim", maxPreconditionerDim, 1);
        Check.atLeast("shampoo.target_parameter_dimensionality", targetParameterDimensionality, 1);
        Check.atLeast("shampoo.precondition_frequency", preconditionFrequency, 1);
        Check.atLeast("shampoo.start_preconditioning_step", startPreconditioningStep, -1);
        Check.notNull("shampoo.preconditioner", preconditioner);
        int effectiveStart = startPreconditioningStep == -1 ? preconditionFrequency : startPreconditioningStep;
        if (effectiveStart < preconditionFrequency) {
            throw new ConfigException("shampoo.start_preconditioning_step", startPreconditioningStep,
                    "must be -1 or >= precondition_frequency (" + preconditionFrequency + ")");
        }
        if ((weightDecayType == WeightDecayType.CORRECTED || weightDecayType == WeightDecayType.INDEPENDENT)
                && weightDecay != 0 && !(lr > 0)) {
            throw new ConfigException("shampoo.lr", lr,
                    "must be > 0 with weight_decay_type " + weightDecayType.typeName() + " (it divides by the peak lr)");
        }
        boolean pseudoInverse = preconditioner instanceof ShampooPreconditionerConfig s
                && s.rankDeficiency() instanceof RankDeficiencyConfig.PseudoInverse;
        if (pseudoInverse) {
            if (epsilon != 0) {
                throw new ConfigException("shampoo.epsilon", epsilon, "must be 0 with a pseudo_inverse rank-deficiency config");
            }
        } else {
            Check.positive("shampoo.epsilon", epsilon);
        }
    }

    /** The effective start step S (−1 resolved to F). */
    public int effectiveStartPreconditioningStep() {
        return startPreconditioningStep == -1 ? preconditionFrequency : startPreconditioningStep;
    }

    /** The effective β3 (−1 resolved to β1). */
    public double effectiveBeta3() {
        return beta3 == -1.0 ? beta1 : beta3;
    }

    @Override
    public String typeName() {
        return "shampoo";
    }

    /** A builder holding the reference defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder initialised from this config. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.lr = lr;
        b.beta1 = beta1;
        b.beta2 = beta2;
        b.beta3 = beta3;
        b.epsilon = epsilon;
        b.weightDecay = weightDecay;
        b.weightDecayType = weightDecayType;
        b.maxPreconditionerDim = maxPreconditionerDim;
        b.targetParameterDimensionality = targetParameterDimensionality;
        b.preconditionFrequency = preconditionFrequency;
        b.startPreconditioningStep = startPreconditioningStep;
        b.useBiasCorrection = useBiasCorrection;
        b.iterateAveraging = iterateAveraging;
        b.grafting = grafting;
        b.preconditioner = preconditioner;
        b.checkGradientsFinite = checkGradientsFinite;
        return b;
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private double lr = 0.01;
        private double beta1 = 0.9;
        private double beta2 = 1.0;
        private double beta3 = -1.0;
        private double epsilon = 1e-12;
        private double weightDecay = 0.0;
        private WeightDecayType weightDecayType = WeightDecayType.DECOUPLED;
        private long maxPreconditionerDim = 1024;
        private int targetParameterDimensionality = 1;
        private int preconditionFrequency = 1;
        private int startPreconditioningStep = -1;
        private boolean useBiasCorrection = true;
        private IterateAveragingConfig iterateAveraging;
        private DiagonalConfig grafting;
        private PreconditionerConfig preconditioner = RootInvShampooConfig.defaults(Precision.FLOAT32);
        private boolean checkGradientsFinite = true;

        private Builder() {}

        public Builder lr(double v) { lr = v; return this; }
        public Builder betas(double b1, double b2) { beta1 = b1; beta2 = b2; return this; }
        public Builder beta1(double v) { beta1 = v; return this; }
        public Builder beta2(double v) { beta2 = v; return this; }
        public Builder beta3(double v) { beta3 = v; return this; }
        public Builder epsilon(double v) { epsilon = v; return this; }
        public Builder weightDecay(double v) { weightDecay = v; return this; }
        public Builder weightDecayType(WeightDecayType v) { weightDecayType = v; return this; }
        public Builder maxPreconditionerDim(long v) { maxPreconditionerDim = v; return this; }
        public Builder targetParameterDimensionality(int v) { targetParameterDimensionality = v; return this; }
        public Builder preconditionFrequency(int v) { preconditionFrequency = v; return this; }
        public Builder startPreconditioningStep(int v) { startPreconditioningStep = v; return this; }
        public Builder useBiasCorrection(boolean v) { useBiasCorrection = v; return this; }
        public Builder iterateAveraging(IterateAveragingConfig v) { iterateAveraging = v; return this; }
        public Builder grafting(DiagonalConfig v) { grafting = v; return this; }
        public Builder preconditioner(PreconditionerConfig v) { preconditioner = v; return this; }
        public Builder checkGradientsFinite(boolean v) { checkGradientsFinite = v; return this; }

        /** Validates and returns the config. */
        public ShampooConfig build() {
            return new ShampooConfig(lr, beta1, beta2, beta3, epsilon, weightDecay, weightDecayType, maxPreconditionerDim,
                    targetParameterDimensionality, preconditionFrequency, startPreconditioningStep, useBiasCorrection,
                    iterateAveraging, grafting, preconditioner, checkGradientsFinite);
        }
    }
}
