package io.lather.optimizer.config;

/**
 * How eigenbases are (re)computed at amortized steps (ALGORITHMS.md §6.4–§6.6).
 *
 * <p>Both variants support the adaptive criterion of "Purifying Shampoo" (arXiv 2506.03595): with the
 * previous eigenvectors Q and B = QᵀAQ, a factor's recomputation is skipped when
 * ‖B − diag(B)‖_F ≤ τ‖B‖_F. τ = 0 disables skipping.
 */
public sealed interface EigendecompositionConfig permits EigendecompositionConfig.Eigh, EigendecompositionConfig.Qr {

    /** Stable type name for config files. */
    String typeName();

    /** Treatment of rank deficiency. */
    RankDeficiencyConfig rankDeficiency();

    /** Adaptive-criterion tolerance τ ∈ [0, 1]. */
    double tolerance();

    /**
     * Full symmetric eigendecomposition by LAPACK {@code dsyevd} in float64.
     *
     * @param rankDeficiency ε handling (default perturbation before)
     * @param tolerance adaptive criterion τ ∈ [0, 1]; 0 (default) recomputes at every amortized step
     * @param retryWithAlternativeSolver if {@code dsyevd} fails, retry with {@code dsyev} before counting a
     *     failure (default true). The reference retries a float32 eigendecomposition in float64; here the
     *     eigendecomposition is always float64, so the retry switches algorithm instead.
     */
    record Eigh(RankDeficiencyConfig rankDeficiency, double tolerance, boolean retryWithAlternativeSolver)
            implements EigendecompositionConfig {
        public Eigh {
            Check.notNull("eigh.rank_deficiency", rankDeficiency);
            Check.closed("eigh.tolerance", tolerance, 0, 1);
        }

        /** Defaults: perturbation before, τ = 0, retry on. */
        public static Eigh defaults() {
            return new Eigh(RankDeficiencyConfig.defaults(), 0.0, true);
        }

        /** Defaults with an adaptive tolerance τ. */
        public static Eigh adaptive(double tolerance) {
            return new Eigh(RankDeficiencyConfig.defaults(), tolerance, true);
        }

        @Override
        public String typeName() {
            return "eigh";
        }
    }

    /**
     * Warm-started QR algorithm (orthogonal iteration started at the previous eigenvectors): B ← QᵀAQ; while
     * fewer than {@code maxIterations} iterations ran and the criterion fails: (Q_k, R_k) = qr(B), B ← R_k Q_k,
     * Q ← Q Q_k; then sort diag(B) ascending (stable) and permute Q's columns. With max iterations 1 and
     * τ = 0 this is the reference's SOAP ({@code DefaultSOAPConfig}).
     *
     * @param rankDeficiency ε handling (default perturbation before)
     * @param tolerance criterion τ ∈ [0, 1] (default 0)
     * @param maxIterations iteration cap ≥ 1 (default 1)
     */
    record Qr(RankDeficiencyConfig rankDeficiency, double tolerance, int maxIterations) implements EigendecompositionConfig {
        public Qr {
            Check.notNull("qr.rank_deficiency", rankDeficiency);
            Check.closed("qr.tolerance", tolerance, 0, 1);
            Check.atLeast("qr.max_iterations", maxIterations, 1);
        }

        /** Defaults: one iteration, τ = 0 (SOAP). */
        public static Qr defaults() {
            return new Qr(RankDeficiencyConfig.defaults(), 0.0, 1);
        }

        @Override
        public String typeName() {
            return "qr";
        }
    }
}
