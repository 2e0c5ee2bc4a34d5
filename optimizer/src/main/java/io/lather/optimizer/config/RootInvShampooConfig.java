package io.lather.optimizer.config;

/**
 * Root-inverse Shampoo (the reference default, {@code DefaultShampooConfig}): at amortized steps each factor's
 * inverse root X_i = (F_i/bc2 + εI)^(−1/r_i) is computed and cached; every step P = H ⋆ X_0 ⋆ X_1 ….
 * For a matrix block with default exponents P = L̂^(−1/4) H R̂^(−1/4) (Gupta, Koren &amp; Singer 2018).
 *
 * @param statistics factor accumulation options
 * @param rootComputation how the inverse root is computed (default: from an eigendecomposition)
 * @param inverseExponentOverride per-order/per-mode exponents (exponent 0 ⇒ mode not preconditioned)
 * @param kl KL-Shampoo factor update (arXiv 2509.03378) with the cached inverse roots of the other modes
 * @param inverseRootPrecision storage precision of the cached inverse roots (default float32)
 */
public record RootInvShampooConfig(
        FactorStatisticsConfig statistics,
        RootComputationConfig rootComputation,
        InverseExponentOverride inverseExponentOverride,
        boolean kl,
        Precision inverseRootPrecision) implements ShampooPreconditionerConfig {

    public RootInvShampooConfig {
        Check.notNull("root_inverse.statistics", statistics);
        Check.notNull("root_inverse.root_computation", rootComputation);
        Check.notNull("root_inverse.inverse_exponent_override", inverseExponentOverride);
        Check.notNull("root_inverse.inverse_root_precision", inverseRootPrecision);
    }

    /** Reference defaults in the given precision. */
    public static RootInvShampooConfig defaults(Precision precision) {
        return new RootInvShampooConfig(FactorStatisticsConfig.defaults(precision), RootComputationConfig.Eigen.defaults(),
                InverseExponentOverride.none(), false, precision);
    }

    @Override
    public String typeName() {
        return "root_inverse";
    }

    @Override
    public RankDeficiencyConfig rankDeficiency() {
        return rootComputation instanceof RootComputationConfig.Eigen e ? e.rankDeficiency() : RankDeficiencyConfig.defaults();
    }

    /** A copy with the KL flag set. */
    public RootInvShampooConfig withKl(boolean on) {
        return new RootInvShampooConfig(statistics, rootComputation, inverseExponentOverride, on, inverseRootPrecision);
    }
}
