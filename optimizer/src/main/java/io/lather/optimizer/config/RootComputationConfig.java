package io.lather.optimizer.config;

/**
 * How root-inverse Shampoo computes X = (A + εI)^(−1/r) at amortized steps (ALGORITHMS.md §6.3, §6.7, §6.8).
 */
public sealed interface RootComputationConfig
        permits RootComputationConfig.Eigen, RootComputationConfig.CoupledNewton, RootComputationConfig.CoupledHigherOrder {

    /** Stable type name for config files. */
    String typeName();

    /**
     * From a symmetric eigendecomposition (LAPACK {@code dsyevd}, float64): X = Q diag(φ(λ)) Qᵀ. The default.
     * The adaptive criterion is not available here (as in the reference).
     *
     * @param rankDeficiency ε handling (default perturbation before)
     * @param retryWithAlternativeSolver retry a failed {@code dsyevd} with {@code dsyev} (default true)
     */
    record Eigen(RankDeficiencyConfig rankDeficiency, boolean retryWithAlternativeSolver) implements RootComputationConfig {
        public Eigen {
            Check.notNull("eigen.rank_deficiency", rankDeficiency);
        }

        /** Defaults: perturbation before, retry on. */
        public static Eigen defaults() {
            return new Eigen(RankDeficiencyConfig.defaults(), true);
        }

        @Override
        public String typeName() {
            return "eigen";
        }
    }

    /**
     * Coupled inverse Newton iteration; the root must be an integer. Non-convergence is a warning, not a
     * failure (as in the reference).
     *
     * @param maxIterations ≥ 1 (default 100)
     * @param tolerance stopping tolerance on ‖M − I‖_max, &gt; 0 (default 1e-6)
     */
    record CoupledNewton(int maxIterations, double tolerance) implements RootComputationConfig {
        public CoupledNewton {
            Check.atLeast("coupled_newton.max_iterations", maxIterations, 1);
            Check.positive("coupled_newton.tolerance", tolerance);
        }

        @Override
        public String typeName() {
            return "coupled_newton";
        }
    }

    /**
     * Coupled higher-order iteration for rational roots. The group ε is not used; the ridge is
     * max(relEpsilon·‖A‖_∞, absEpsilon).
     *
     * @param relEpsilon relative ridge ≥ 0
     * @param absEpsilon absolute ridge ≥ 0
     * @param maxIterations ≥ 1 (default 100)
     * @param tolerance &gt; 0 (default 1e-8)
     * @param order ≥ 2 (default 3; 2 is Newton)
     */
    record CoupledHigherOrder(double relEpsilon, double absEpsilon, int maxIterations, double tolerance, int order)
            implements RootComputationConfig {
        public CoupledHigherOrder {
            Check.nonNegative("coupled_higher_order.rel_epsilon", relEpsilon);
            Check.nonNegative("coupled_higher_order.abs_epsilon", absEpsilon);
            Check.atLeast("coupled_higher_order.max_iterations", maxIterations, 1);
            Check.positive("coupled_higher_order.tolerance", tolerance);
            Check.atLeast("coupled_higher_order.order", order, 2);
        }

        @Override
        public String typeName() {
            return "coupled_higher_order";
        }
    }
}
