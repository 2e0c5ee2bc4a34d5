package io.lather.optimizer.config;

/**
 * Momentum and iterate averaging applied after preconditioning (ALGORITHMS.md §3.4, §3.5).
 * The β1 "filtered gradient" of {@link ShampooConfig} is separate and feeds the preconditioner.
 */
public sealed interface IterateAveragingConfig
        permits IterateAveragingConfig.ClassicMomentum, IterateAveragingConfig.GeneralizedPrimalAveraging,
                IterateAveragingConfig.ScheduleFree {

    /** Stable type name for config files. */
    String typeName();

    /**
     * Classic (heavy-ball or Nesterov) momentum on the search direction: B ← μB + (1−δ)P; P ← B, or
     * P ← (1−δ)P + μB with Nesterov. Equals PyTorch SGD momentum when δ = 0.
     *
     * @param momentum μ ∈ (0, 1) (default 0.5)
     * @param dampening δ ∈ [0, 1) (default 0)
     * @param nesterov Nesterov form (default false)
     */
    record ClassicMomentum(double momentum, double dampening, boolean nesterov) implements IterateAveragingConfig {
        public ClassicMomentum {
            Check.open("classic_momentum.momentum", momentum, 0, 1);
            Check.closedOpen("classic_momentum.dampening", dampening, 0, 1);
        }

        @Override
        public String typeName() {
            return "classic_momentum";
        }
    }

    /**
     * Generalized primal averaging (GPA): keeps z (initialised to the parameters); the parameters hold the
     * training sequence y = μy·x + (1 − μy)·z with x = μx·x + (1 − μx)·z. μy = 1 is heavy-ball momentum μx
     * (at lr/(1 − μx)), μy = μx is Nesterov.
     *
     * @param evalInterpCoeff μx ∈ [0, 1) (default 0.9)
     * @param trainInterpCoeff μy ∈ (0, 1] (default 0.8)
     */
    record GeneralizedPrimalAveraging(double evalInterpCoeff, double trainInterpCoeff) implements IterateAveragingConfig {
        public GeneralizedPrimalAveraging {
            Check.closedOpen("gpa.eval_interp_coeff", evalInterpCoeff, 0, 1);
            Check.openClosed("gpa.train_interp_coeff", trainInterpCoeff, 0, 1);
        }

        @Override
        public String typeName() {
            return "gpa";
        }
    }

    /**
     * Schedule-Free (Defazio et al. 2024) in the GPA form: μx_t = 1 − lr_t^p / Σ_{s≤t} lr_s^p.
     *
     * @param trainInterpCoeff μy ∈ (0, 1] (default 0.8)
     * @param evalCoeffLrPower p (default 2)
     */
    record ScheduleFree(double trainInterpCoeff, double evalCoeffLrPower) implements IterateAveragingConfig {
        public ScheduleFree {
            Check.openClosed("schedule_free.train_interp_coeff", trainInterpCoeff, 0, 1);
            Check.nonNegative("schedule_free.eval_coeff_lr_power", evalCoeffLrPower);
        }

        @Override
        public String typeName() {
            return "schedule_free";
        }
    }
}
