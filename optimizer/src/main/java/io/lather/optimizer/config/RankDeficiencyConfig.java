package io.lather.optimizer.config;

/**
 * How an eigen-based matrix function treats small or zero eigenvalues (ALGORITHMS.md §6.2).
 *
 * <ul>
 *   <li>{@link Perturbation} (default, before = true): add εI before the eigendecomposition; when applying
 *       λ^(−1/r), shift all eigenvalues so the smallest is at least ε.</li>
 *   <li>{@link PseudoInverse}: no ridge (ε must be 0); eigenvalues at or below a cutoff are treated as zero
 *       and get a zero inverse root.</li>
 * </ul>
 */
public sealed interface RankDeficiencyConfig permits RankDeficiencyConfig.Perturbation, RankDeficiencyConfig.PseudoInverse {

    /** Stable type name for config files. */
    String typeName();

    /** The reference default: perturb before the computation. */
    static RankDeficiencyConfig defaults() {
        return new Perturbation(true);
    }

    /**
     * ε-perturbation.
     *
     * @param perturbBeforeComputation true: eigendecompose A + εI and shift eigenvalues below ε up to ε when
     *     inverting; false: eigendecompose A and use λ − min(min λ, 0) + ε when inverting
     */
    record Perturbation(boolean perturbBeforeComputation) implements RankDeficiencyConfig {
        @Override
        public String typeName() {
            return perturbBeforeComputation ? "perturbation" : "perturbation_after";
        }
    }

    /**
     * Pseudo-inverse: φ(λ) = 0 where λ ≤ max(atol, rtol·max λ), else λ^(−1/r).
     *
     * @param rankAtol absolute cutoff, ≥ 0 (default 0)
     * @param rankRtol relative cutoff, ≥ 0; {@code NaN} means n·(machine epsilon of the eigenvalue precision)
     */
    record PseudoInverse(double rankAtol, double rankRtol) implements RankDeficiencyConfig {
        public PseudoInverse {
            Check.nonNegative("pseudo_inverse.rank_atol", rankAtol);
            if (!Double.isNaN(rankRtol)) {
                Check.nonNegative("pseudo_inverse.rank_rtol", rankRtol);
            }
        }

        @Override
        public String typeName() {
            return "pseudo_inverse";
        }
    }
}
