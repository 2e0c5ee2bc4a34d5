package io.lather.optimizer.config;

import java.util.Locale;

/**
 * NVIDIA Emerging-Optimizers SOAP with its own semantics (ALGORITHMS.md §7), not a Distributed-Shampoo
 * configuration: per-parameter (no blocking), Adam moments kept in a descending-order eigenbasis, a separate
 * Kronecker-factor EMA β ({@code shampooBeta}) with the bias correction folded into the EMA weight, the first
 * moment re-projected at every eigenbasis refresh, refreshes by power iteration + QR (or eigh).
 *
 * <p>Two reference versions are reproduced:
 * <ul>
 *   <li>{@link Version#LEGACY} — commit bc634ff (2026-03-16), {@code emerging_optimizers.soap.soap.SOAP}: any tensor
 *       order, refresh frequency and Adam warm-up, {@code precondition1d}, the all-factors adaptive criterion,
 *       pre-sorting of the basis and permutation of the second moment before the power iteration;</li>
 *   <li>{@link Version#HEAD} — commit fd77292 (2026-08-20), {@code legacy_soap.soap.SOAP}: 2-D parameters only, the
 *       eigenbasis refreshed every step, sorting after the power iteration, no permutation of the second moment.</li>
 * </ul>
 *
 * @param version reference version
 * @param lr learning rate &gt; 0
 * @param beta1 Adam β1 ∈ [0, 1) (default 0.9)
 * @param beta2 Adam β2 ∈ [0, 1) (default 0.95)
 * @param shampooBeta Kronecker-factor EMA β ∈ [0, 1) (default 0.95)
 * @param eps Adam ε &gt; 0 (default 1e-8)
 * @param weightDecay ≥ 0 (default 0.01)
 * @param weightDecayMethod decoupled (W ← W − lr·wd·W), independent (W ← W − wd·W), l2 (G ← G + wd·W), palm
 *     (W ← W − wd·lr²·W, HEAD only)
 * @param nesterov Nesterov inside the Adam update (default false)
 * @param preconditionFrequency refresh at 0-based steps s with s mod F = 0 (LEGACY only; default 1)
 * @param adamWarmupSteps plain Adam in parameter coordinates for the first steps (LEGACY only; default 0)
 * @param precondition1d give 1-D tensors a Kronecker factor (LEGACY only; default false)
 * @param maxPrecondDim modes longer than this get no factor (one-sided; default unlimited)
 * @param correctBias Adam bias correction (default true)
 * @param correctShampooBetaBias fold 1/(1 − β^t) into the factor EMA weight (default = correctBias)
 * @param useEigh refresh by eigh instead of power iteration + QR (default false)
 * @param useAdaptiveCriteria skip a refresh when every factor satisfies ‖K‖_F − ‖diag(QᵀKQ)‖₂ ≤ τ‖K‖_F (LEGACY only)
 * @param adaptiveUpdateTolerance τ ∈ [0, 1) (default 1e-7)
 * @param powerIterSteps power iterations per refresh ≥ 1 (default 1)
 * @param maxUpdateRms clip the update RMS to this value; 0 disables (default 0)
 * @param useKlShampoo KL-Shampoo factor update (2-D only)
 */
public record NvidiaSoapConfig(
        Version version,
        double lr,
        double beta1,
        double beta2,
        double shampooBeta,
        double eps,
        double weightDecay,
        WeightDecayMethod weightDecayMethod,
        boolean nesterov,
        int preconditionFrequency,
        int adamWarmupSteps,
        boolean precondition1d,
        long maxPrecondDim,
        boolean correctBias,
        boolean correctShampooBetaBias,
        boolean useEigh,
        boolean useAdaptiveCriteria,
        double adaptiveUpdateTolerance,
        int powerIterSteps,
        double maxUpdateRms,
        boolean useKlShampoo) implements OptimizerConfig {

    /** The reference version whose semantics are reproduced. */
    public enum Version {
        /** NVIDIA-NeMo/Emerging-Optimizers bc634ff ({@code soap/soap.py}). */
        LEGACY,
        /** NVIDIA-NeMo/Emerging-Optimizers fd77292 ({@code legacy_soap/soap.py}). */
        HEAD;

        /** Stable name. */
        public String typeName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How weight decay is applied. */
    public enum WeightDecayMethod {
        DECOUPLED, INDEPENDENT, L2, PALM;

        /** Stable name. */
        public String typeName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public NvidiaSoapConfig {
        Check.notNull("nvidia_soap.version", version);
        Check.positive("nvidia_soap.lr", lr);
        Check.closedOpen("nvidia_soap.beta1", beta1, 0, 1);
        Check.closedOpen("nvidia_soap.beta2", beta2, 0, 1);
        Check.closedOpen("nvidia_soap.shampoo_beta", shampooBeta, 0, 1);
        Check.positive("nvidia_soap.eps", eps);
        Check.nonNegative("nvidia_soap.weight_decay", weightDecay);
        Check.notNull("nvidia_soap.weight_decay_method", weightDecayMethod);
        Check.atLeast("nvidia_soap.precondition_frequency", preconditionFrequency, 1);
        Check.atLeast("nvidia_soap.adam_warmup_steps", adamWarmupSteps, 0);
        Check.atLeast("nvidia_soap.max_precond_dim", maxPrecondDim, 1);
        Check.closedOpen("nvidia_soap.adaptive_update_tolerance", adaptiveUpdateTolerance, 0, 1);
        Check.atLeast("nvidia_soap.power_iter_steps", powerIterSteps, 1);
        Check.nonNegative("nvidia_soap.max_update_rms", maxUpdateRms);
        if (version == Version.HEAD) {
            requireLegacy(preconditionFrequency != 1, "precondition_frequency", preconditionFrequency);
            requireLegacy(adamWarmupSteps != 0, "adam_warmup_steps", adamWarmupSteps);
            requireLegacy(precondition1d, "precondition_1d", true);
            requireLegacy(useAdaptiveCriteria, "use_adaptive_criteria", true);
        } else if (weightDecayMethod == WeightDecayMethod.PALM) {
            throw new ConfigException("nvidia_soap.weight_decay_method", "palm", "is only available with version head");
        }
    }

    private static void requireLegacy(boolean set, String field, Object value) {
        if (set) {
            throw new ConfigException("nvidia_soap." + field, value,
                    "is not supported by version head (it refreshes every step and takes 2-D parameters only); use version legacy");
        }
    }

    @Override
    public String typeName() {
        return "nvidia_soap";
    }

    /** Reference defaults of a version (legacy and head share them) with the given learning rate. */
    public static NvidiaSoapConfig defaults(Version version, double lr) {
        return new NvidiaSoapConfig(version, lr, 0.9, 0.95, 0.95, 1e-8, 0.01, WeightDecayMethod.DECOUPLED, false, 1, 0,
                false, Long.MAX_VALUE, true, true, false, false, 1e-7, 1, 0.0, false);
    }
}
