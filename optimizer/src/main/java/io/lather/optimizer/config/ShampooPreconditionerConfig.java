package io.lather.optimizer.config;

/**
 * The Shampoo variants. Each keeps one Kronecker factor per preconditioned mode of a block
 * (F_i ← β2·F_i + w·C_i(G), see {@link FactorStatisticsConfig}) and differs in what it derives from the
 * factors at amortized steps and how it applies them (ALGORITHMS.md §4–§5):
 * <ul>
 *   <li>{@link RootInvShampooConfig} — caches X_i = (A_i + εI)^(−1/r_i); P = H ⋆ X_0 ⋆ X_1 …</li>
 *   <li>{@link EigendecomposedShampooConfig} — caches eigenpairs (λ_i, Q_i); P = H ⋆ Q_i diag(φ(λ_i)) Q_iᵀ</li>
 *   <li>{@link EigenvalueCorrectedShampooConfig} — EShampoo (eigh) / SOAP (QR): Adam in the eigenbasis,
 *       one second moment per block entry</li>
 *   <li>{@link PerFactorEigenvalueCorrectedShampooConfig} — eigenbases plus an EMA of m + n per-factor
 *       eigenvalues (the PR #264 variant)</li>
 * </ul>
 */
public sealed interface ShampooPreconditionerConfig extends PreconditionerConfig
        permits RootInvShampooConfig, EigendecomposedShampooConfig, EigenvalueCorrectedShampooConfig,
                PerFactorEigenvalueCorrectedShampooConfig {

    /** Factor accumulation and failure-policy options. */
    FactorStatisticsConfig statistics();

    /** The ε-handling of this variant's amortized computation. */
    RankDeficiencyConfig rankDeficiency();

    /** Whether the KL-Shampoo factor update is used (outer products of gradients preconditioned along the other modes). */
    default boolean kl() {
        return false;
    }
}
