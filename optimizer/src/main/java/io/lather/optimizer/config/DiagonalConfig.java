package io.lather.optimizer.config;

/**
 * The diagonal family, usable as the main preconditioner or as the grafting method (ALGORITHMS.md §5.2).
 * State V (block shape): V ← β·V + w·G⊙G; direction H/(√(V/bc) + ε).
 *
 * <table>
 *   <caption>β, w and bias correction per method</caption>
 *   <tr><th>method</th><th>β</th><th>w</th><th>bias correction</th></tr>
 *   <tr><td>SGD</td><td colspan="3">no state, direction = H</td></tr>
 *   <tr><td>AdaGrad</td><td>1</td><td>1</td><td>off</td></tr>
 *   <tr><td>RMSprop</td><td>beta2</td><td>1 − beta2 (1 if drop flag)</td><td>off</td></tr>
 *   <tr><td>Adam</td><td>beta2</td><td>1 − beta2 (1 if drop flag)</td><td>1 − beta2^t, always (off with drop flag)</td></tr>
 * </table>
 */
public sealed interface DiagonalConfig extends PreconditionerConfig
        permits DiagonalConfig.Sgd, DiagonalConfig.AdaGrad, DiagonalConfig.RmsProp, DiagonalConfig.Adam {

    /** Plain (momentum-free) direction: the preconditioner is the identity. */
    record Sgd() implements DiagonalConfig {
        @Override
        public String typeName() {
            return "sgd";
        }
    }

    /**
     * AdaGrad: V ← V + G².
     *
     * @param epsilon denominator term &gt; 0 (default 1e-10)
     */
    record AdaGrad(double epsilon) implements DiagonalConfig {
        public AdaGrad {
            Check.positive("adagrad.epsilon", epsilon);
        }

        @Override
        public String typeName() {
            return "adagrad";
        }
    }

    /**
     * RMSprop: V ← β2·V + (1 − β2)·G², no bias correction.
     *
     * @param beta2 ∈ (0, 1] (default 0.99)
     * @param epsilon &gt; 0 (default 1e-10)
     * @param dropWeightingFactorOnGsquare use weight 1 instead of 1 − β2 (default false)
     */
    record RmsProp(double beta2, double epsilon, boolean dropWeightingFactorOnGsquare) implements DiagonalConfig {
        public RmsProp {
            Check.openClosed("rmsprop.beta2", beta2, 0, 1);
            Check.positive("rmsprop.epsilon", epsilon);
        }

        @Override
        public String typeName() {
            return "rmsprop";
        }
    }

    /**
     * Adam's second moment: V ← β2·V + (1 − β2)·G², bias-corrected by 1 − β2^t. With the optimizer's β1 this
     * is exactly Adam (L2 decay) or AdamW (decoupled decay).
     *
     * @param beta2 ∈ (0, 1] (default 0.999)
     * @param epsilon &gt; 0 (default 1e-10)
     * @param dropWeightingFactorOnGsquare weight 1 instead of 1 − β2 and no bias correction (default false)
     */
    record Adam(double beta2, double epsilon, boolean dropWeightingFactorOnGsquare) implements DiagonalConfig {
        public Adam {
            Check.openClosed("adam.beta2", beta2, 0, 1);
            Check.positive("adam.epsilon", epsilon);
        }

        @Override
        public String typeName() {
            return "adam";
        }
    }
}
