package io.lather.optimizer.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Named optimizer recipes users start from; every field can then be overridden (see {@link OptimizerConfigParser}).
 * All presets use max_preconditioner_dim 1024, float32 statistics (the reference's default storage; amortized
 * computations run in float64 regardless) and start preconditioning at the first amortized step.
 *
 * <table>
 *   <caption>Presets</caption>
 *   <tr><th>name</th><th>what</th></tr>
 *   <tr><td>{@code shampoo}</td><td>root-inverse Shampoo with Adam grafting — the reference README's recommended recipe
 *       (β = (0.9, 0.999), ε = 1e-12, Adam grafting β2 0.999 ε 1e-8, decoupled decay 1e-5), F = 10</td></tr>
 *   <tr><td>{@code eshampoo}</td><td>eigenvalue-corrected Shampoo with eigh (EShampoo), β = (0.9, 0.999), ε = 1e-8, F = 10,
 *       decoupled decay 1e-5</td></tr>
 *   <tr><td>{@code soap}</td><td>eigenvalue-corrected Shampoo with one warm-started QR iteration (SOAP paper defaults
 *       β = (0.95, 0.95), ε = 1e-8, F = 10, decoupled decay 0.01, lr 3e-3)</td></tr>
 *   <tr><td>{@code per-factor-ema}</td><td>per-factor eigenvalue correction with the eigenvalue EMA, eigh, β = (0.9, 0.999),
 *       ε = 1e-8, F = 10, decoupled decay 1e-5, Adam grafting (β2 0.999, ε 1e-8). The per-factor scaling
 *       (λ_L[a]·λ_R[b])^(−1/4) is Shampoo-sized, not Adam-sized: for an m×n block its steps are ~(mn)^(1/4) times
 *       smaller than Adam's at the same lr, and before S it would take plain SGD steps; grafting gives it Adam's step
 *       size (and Adam before S), so it shares the learning rate of the other presets.</td></tr>
 *   <tr><td>{@code kl-shampoo}</td><td>KL-Shampoo with cached eigendecompositions and the KL paper's exponent 1/2 per side
 *       (P = L̂^(−1/2) H R̂^(−1/2)), Adam grafting (β2 0.999, ε 1e-8), β = (0.9, 0.999), ε = 1e-8, F = 10, decoupled decay
 *       1e-5. Without grafting the whitened direction's scale follows ε and the factors' conditioning; on our test
 *       problems it diverged, so the preset grafts the step size from Adam.</td></tr>
 *   <tr><td>{@code adamw}</td><td>AdamW: Adam second moment β2 0.999 ε 1e-8, β1 0.9, decoupled decay 0.01</td></tr>
 *   <tr><td>{@code nvidia-soap}</td><td>NVIDIA SOAP with the legacy (bc634ff) semantics and reference defaults except
 *       precondition frequency 10 and 10 Adam warm-up steps (the reference default refreshes the eigenbasis every step
 *       from step 1); works on parameters of any order (1-D ones get Adam). The HEAD version ({@code optimizer.soap.version = head}) accepts
 *       2-D parameters only (the reference raises for anything else, so it cannot train a model with biases), and
 *       computes its first eigenbasis from a single gradient, which for non-square parameters makes the larger factor
 *       rank-deficient at step 1.</td></tr>
 * </table>
 */
public final class Presets {
    /** Preset names in documentation order. */
    public static final List<String> NAMES =
            List.of("shampoo", "eshampoo", "soap", "per-factor-ema", "kl-shampoo", "adamw", "nvidia-soap");

    private static final int FREQUENCY = 10;

    private Presets() {}

    /** The preset's configuration with the given learning rate ({@code NaN} = the preset's own default). */
    public static OptimizerConfig get(String name, double lr) {
        Precision p = Precision.FLOAT32;
        return switch (name) {
            case "shampoo" -> shampooBase(or(lr, 1e-3), 0.999, 1e-12, 1e-5)
                    .grafting(new DiagonalConfig.Adam(0.999, 1e-8, false))
                    .preconditioner(RootInvShampooConfig.defaults(p)).build();
            case "eshampoo" -> shampooBase(or(lr, 1e-3), 0.999, 1e-8, 1e-5)
                    .preconditioner(EigenvalueCorrectedShampooConfig.eshampoo(p)).build();
            case "soap" -> shampooBase(or(lr, 3e-3), 0.95, 1e-8, 0.01).beta1(0.95)
                    .preconditioner(EigenvalueCorrectedShampooConfig.soap(p)).build();
            case "per-factor-ema" -> shampooBase(or(lr, 1e-3), 0.999, 1e-8, 1e-5)
                    .grafting(new DiagonalConfig.Adam(0.999, 1e-8, false))
                    .preconditioner(PerFactorEigenvalueCorrectedShampooConfig.defaults(p)).build();
            case "kl-shampoo" -> shampooBase(or(lr, 1e-3), 0.999, 1e-8, 1e-5)
                    .grafting(new DiagonalConfig.Adam(0.999, 1e-8, false))
                    .preconditioner(new EigendecomposedShampooConfig(FactorStatisticsConfig.defaults(p),
                            EigendecompositionConfig.Eigh.defaults(), InverseExponentOverride.allModes(2, 0.5), true, p, p)).build();
            case "adamw" -> ShampooConfig.builder().lr(or(lr, 1e-3)).betas(0.9, 0.999).epsilon(1e-8).weightDecay(0.01)
                    .weightDecayType(WeightDecayType.DECOUPLED).preconditioner(new DiagonalConfig.Adam(0.999, 1e-8, false)).build();
            case "nvidia-soap" -> {
                // legacy semantics with the reference defaults except F = 10 and 10 Adam warm-up steps: the first
                // eigenbasis then comes from 10 accumulated gradients (not from one, which leaves the larger factor of a
                // non-square parameter rank-deficient), and eigendecompositions are amortized like the other presets'
                NvidiaSoapConfig d = NvidiaSoapConfig.defaults(NvidiaSoapConfig.Version.LEGACY, or(lr, 3e-3));
                yield new NvidiaSoapConfig(d.version(), d.lr(), d.beta1(), d.beta2(), d.shampooBeta(), d.eps(), d.weightDecay(),
                        d.weightDecayMethod(), d.nesterov(), FREQUENCY, FREQUENCY, d.precondition1d(), d.maxPrecondDim(), d.correctBias(),
                        d.correctShampooBetaBias(), d.useEigh(), d.useAdaptiveCriteria(), d.adaptiveUpdateTolerance(), d.powerIterSteps(),
                        d.maxUpdateRms(), d.useKlShampoo());
            }
            default -> throw new ConfigException("optimizer", name, "must be one of " + NAMES + didYouMean(name, Set.copyOf(NAMES)));
        };
    }

    private static ShampooConfig.Builder shampooBase(double lr, double beta2, double eps, double wd) {
        return ShampooConfig.builder().lr(lr).betas(0.9, beta2).epsilon(eps).weightDecay(wd)
                .weightDecayType(WeightDecayType.DECOUPLED).maxPreconditionerDim(1024)
                .preconditionFrequency(FREQUENCY).startPreconditioningStep(-1);
    }

    private static double or(double v, double dflt) {
        return Double.isNaN(v) ? dflt : v;
    }

    /** " (did you mean 'x'?)" for the closest candidate within edit distance 3, or "". */
    public static String didYouMean(String given, Iterable<String> candidates) {
        String best = null;
        int bestDist = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = editDistance(given.toLowerCase(java.util.Locale.ROOT), c.toLowerCase(java.util.Locale.ROOT));
            if (d < bestDist) {
                bestDist = d;
                best = c;
            }
        }
        return best != null && bestDist <= Math.max(2, Math.min(4, given.length() / 3)) ? " (did you mean '" + best + "'?)" : "";
    }

    /** Levenshtein distance (insertions, deletions and substitutions of one character each cost 1), case-sensitive. */
    public static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** All presets by name (with their default learning rates). */
    public static Map<String, OptimizerConfig> all() {
        Map<String, OptimizerConfig> m = new LinkedHashMap<>();
        for (String n : NAMES) {
            m.put(n, get(n, Double.NaN));
        }
        return m;
    }
}
