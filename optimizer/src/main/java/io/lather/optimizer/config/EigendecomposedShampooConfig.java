package io.lather.optimizer.config;

/**
 * Eigendecomposed Shampoo: at amortized steps each factor's eigenpairs (λ_i, Q_i) of F_i/bc2 + εI are
 * computed (optionally skipped by the adaptive criterion, which then adopts diag(QᵀAQ) as eigenvalues);
 * the direction is P = H ⋆ Q_i diag(φ(λ_i)) Q_iᵀ with φ the ε rule of the rank-deficiency config.
 * Mathematically equal to root-inverse Shampoo; it caches eigenpairs instead of roots.
 *
 * @param statistics factor accumulation options
 * @param eigendecomposition eigh (default) or warm-started QR, with the adaptive tolerance
 * @param inverseExponentOverride per-order/per-mode exponents
 * @param kl KL-Shampoo factor update
 * @param eigenvectorPrecision storage precision of eigenvectors (default float32)
 * @param eigenvaluePrecision storage precision of eigenvalues (default float32)
 */
public record EigendecomposedShampooConfig(
        FactorStatisticsConfig statistics,
        EigendecompositionConfig eigendecomposition,
        InverseExponentOverride inverseExponentOverride,
        boolean kl,
        Precision eigenvectorPrecision,
        Precision eigenvaluePrecision) implements ShampooPreconditionerConfig {

    public EigendecomposedShampooConfig {
        Check.notNull("eigendecomposed.statistics", statistics);
        Check.notNull("eigendecomposed.eigendecomposition", eigendecomposition);
        Check.notNull("eigendecomposed.inverse_exponent_override", inverseExponentOverride);
        Check.notNull("eigendecomposed.eigenvector_precision", eigenvectorPrecision);
        Check.notNull("eigendecomposed.eigenvalue_precision", eigenvaluePrecision);
    }

    /** Reference defaults in the given precision. */
    public static EigendecomposedShampooConfig defaults(Precision precision) {
        return new EigendecomposedShampooConfig(FactorStatisticsConfig.defaults(precision),
                EigendecompositionConfig.Eigh.defaults(), InverseExponentOverride.none(), false, precision, precision);
    }

    @Override
    public String typeName() {
        return "eigendecomposed";
    }

    @Override
    public RankDeficiencyConfig rankDeficiency() {
        return eigendecomposition.rankDeficiency();
    }

    /** A copy with the KL flag set. */
    public EigendecomposedShampooConfig withKl(boolean on) {
        return new EigendecomposedShampooConfig(statistics, eigendecomposition, inverseExponentOverride, on,
                eigenvectorPrecision, eigenvaluePrecision);
    }
}
