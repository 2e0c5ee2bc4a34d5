package io.lather.optimizer.config;

/**
 * Options shared by every Shampoo variant: how Kronecker factors are accumulated and stored, and the
 * numerical failure policy of their amortized computation (ALGORITHMS.md §5.3).
 *
 * <p>Factor recurrence for mode i: F_i ← β2·F_i + w·C_i(G) with w = 1 − β2 (w = 1 when β2 = 1 or when
 * {@code dropWeightingFactorOnGsquare}). Before an amortized computation the factor is bias-corrected
 * A = F/(1 − β2^t) and optionally trace-scaled A ← A·max(trace A, ε)^(−p).
 *
 * @param dropWeightingFactorOnGsquare use F ← β2·F + C (no 1 − β2 weight) and no bias correction (default false)
 * @param factorPrecision storage precision of factor matrices (default float32, as the reference)
 * @param numToleratedFailedAmortizedComputations consecutive failed amortized computations of one block
 *     that are tolerated (the previous eigenbasis/root is kept) before the step fails; ≥ 0 (default 3)
 * @param useTraceScaling scale A by trace^(−p) before the amortized computation (default false)
 * @param traceScalingExponent p ∈ (0, 1] (default 0.5)
 */
public record FactorStatisticsConfig(
        boolean dropWeightingFactorOnGsquare,
        Precision factorPrecision,
        int numToleratedFailedAmortizedComputations,
        boolean useTraceScaling,
        double traceScalingExponent) {

    public FactorStatisticsConfig {
        Check.notNull("shampoo.factor_precision", factorPrecision);
        Check.atLeast("shampoo.num_tolerated_failed_amortized_computations", numToleratedFailedAmortizedComputations, 0);
        Check.openClosed("shampoo.trace_scaling_exponent", traceScalingExponent, 0, 1);
    }

    /** Reference defaults with the given factor precision. */
    public static FactorStatisticsConfig defaults(Precision factorPrecision) {
        return new FactorStatisticsConfig(false, factorPrecision, 3, false, 0.5);
    }

    /** A copy with another factor precision. */
    public FactorStatisticsConfig withFactorPrecision(Precision p) {
        return new FactorStatisticsConfig(dropWeightingFactorOnGsquare, p, numToleratedFailedAmortizedComputations,
                useTraceScaling, traceScalingExponent);
    }
}
