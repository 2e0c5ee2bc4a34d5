package io.lather.optimizer.config;

/**
 * Per-factor eigenvalue correction with an eigenvalue EMA (facebookresearch/optimizers PR #264). Keeps the
 * factors F_i (for the eigenbases), eigenvectors Q_i and, instead of EShampoo's m·n table, one eigenvalue
 * vector per factor (m + n numbers for a matrix block):
 * <pre>
 *   E_i ← β2·E_i + w·diag(Q_iᵀ O_i Q_i)      every step, O_i = this step's outer product, Q_i the basis held before
 *                                            this step's amortized work; E_i starts at 0
 *   Q_i ← eigenvectors(F_i/bc2 + εI)          at amortized steps; E_i is neither reset nor rotated
 *   P   = H ⋆ Q_i diag(φ(E_i/bc2)) Q_iᵀ       φ = x^(−1/r) with ε used only as a floor
 * </pre>
 * For a matrix block the per-entry scaling in the rotated frame is the outer product φ(E_0)φ(E_1)ᵀ, a rank-one
 * approximation of EShampoo's corrected eigenvalues.
 *
 * @param statistics factor accumulation options
 * @param eigendecomposition eigh (default) or QR, with the adaptive tolerance
 * @param inverseExponentOverride per-order/per-mode exponents
 * @param kl KL-Shampoo factor update using Q_i and E_i/bc2 of the previous step
 * @param eigenvectorPrecision storage precision of eigenvectors (default float32)
 * @param eigenvaluePrecision storage precision of the eigenvalue EMA (default float32)
 */
public record PerFactorEigenvalueCorrectedShampooConfig(
        FactorStatisticsConfig statistics,
        EigendecompositionConfig eigendecomposition,
        InverseExponentOverride inverseExponentOverride,
        boolean kl,
        Precision eigenvectorPrecision,
        Precision eigenvaluePrecision) implements ShampooPreconditionerConfig {

    public PerFactorEigenvalueCorrectedShampooConfig {
        Check.notNull("per_factor_eigenvalue_corrected.statistics", statistics);
        Check.notNull("per_factor_eigenvalue_corrected.eigendecomposition", eigendecomposition);
        Check.notNull("per_factor_eigenvalue_corrected.inverse_exponent_override", inverseExponentOverride);
        Check.notNull("per_factor_eigenvalue_corrected.eigenvector_precision", eigenvectorPrecision);
        Check.notNull("per_factor_eigenvalue_corrected.eigenvalue_precision", eigenvaluePrecision);
    }

    /** Defaults (eigh, default exponents) in the given precision. */
    public static PerFactorEigenvalueCorrectedShampooConfig defaults(Precision precision) {
        return new PerFactorEigenvalueCorrectedShampooConfig(FactorStatisticsConfig.defaults(precision),
                EigendecompositionConfig.Eigh.defaults(), InverseExponentOverride.none(), false, precision, precision);
    }

    @Override
    public String typeName() {
        return "per_factor_eigenvalue_corrected";
    }

    @Override
    public RankDeficiencyConfig rankDeficiency() {
        return eigendecomposition.rankDeficiency();
    }

    /** A copy with the KL flag set. */
    public PerFactorEigenvalueCorrectedShampooConfig withKl(boolean on) {
        return new PerFactorEigenvalueCorrectedShampooConfig(statistics, eigendecomposition, inverseExponentOverride, on,
                eigenvectorPrecision, eigenvaluePrecision);
    }
}
