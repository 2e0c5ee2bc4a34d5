package io.lather.optimizer.config;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Eigenvalue-corrected Shampoo: Adam run in the eigenbasis of the Kronecker factors. With eigh this is
 * EShampoo ("Purifying Shampoo", arXiv 2506.03595); with one warm-started QR iteration it is SOAP
 * (arXiv 2409.11321). Per block: factors F_i, eigenvectors Q_i and a second moment E of the block's shape,
 * E ← β2·E + w·rot(G)²; direction unrot(rot(H)/((E/bc2)^(1/r) + ε)). E is reused positionally when the
 * basis changes (as the reference does). Before the first amortized step (Q = I) this is exactly Adam.
 *
 * @param statistics factor accumulation options
 * @param eigendecomposition eigh (EShampoo) or QR (SOAP); its rank-deficiency config must be a perturbation
 * @param ignoredBasisChangeDims order → modes that are not rotated (no factor kept for them)
 * @param inverseExponentOverride order → exponent applied to the corrected eigenvalues (&gt; 0; default 1/2)
 * @param eigenvectorPrecision storage precision of eigenvectors (default float32)
 * @param correctedEigenvaluePrecision storage precision of E (default float32)
 */
public record EigenvalueCorrectedShampooConfig(
        FactorStatisticsConfig statistics,
        EigendecompositionConfig eigendecomposition,
        Map<Integer, List<Integer>> ignoredBasisChangeDims,
        Map<Integer, Double> inverseExponentOverride,
        Precision eigenvectorPrecision,
        Precision correctedEigenvaluePrecision) implements ShampooPreconditionerConfig {

    public EigenvalueCorrectedShampooConfig {
        Check.notNull("eigenvalue_corrected.statistics", statistics);
        Check.notNull("eigenvalue_corrected.eigendecomposition", eigendecomposition);
        Check.notNull("eigenvalue_corrected.eigenvector_precision", eigenvectorPrecision);
        Check.notNull("eigenvalue_corrected.corrected_eigenvalue_precision", correctedEigenvaluePrecision);
        if (!(eigendecomposition.rankDeficiency() instanceof RankDeficiencyConfig.Perturbation)) {
            throw new ConfigException("eigenvalue_corrected.eigendecomposition.rank_deficiency",
                    eigendecomposition.rankDeficiency().typeName(),
                    "must be perturbation or perturbation_after (eigenvalue correction needs ε in its denominator)");
        }
        TreeMap<Integer, List<Integer>> ignored = new TreeMap<>();
        for (var e : ignoredBasisChangeDims.entrySet()) {
            int order = e.getKey();
            List<Integer> modes = List.copyOf(e.getValue());
            if (modes.stream().distinct().count() != modes.size()) {
                throw new ConfigException("eigenvalue_corrected.ignored_basis_change_dims." + order, modes,
                        "modes must be distinct");
            }
            for (int m : modes) {
                if (m < 0 || m >= Math.max(order, 1)) {
                    throw new ConfigException("eigenvalue_corrected.ignored_basis_change_dims." + order, m,
                            "must be a mode of an order-" + order + " tensor, in [0, " + Math.max(order - 1, 0) + "]");
                }
            }
            ignored.put(order, modes);
        }
        ignoredBasisChangeDims = Collections.unmodifiableMap(ignored);
        TreeMap<Integer, Double> exps = new TreeMap<>();
        for (var e : inverseExponentOverride.entrySet()) {
            Check.positive("eigenvalue_corrected.inverse_exponent_override." + e.getKey(), e.getValue());
            exps.put(e.getKey(), e.getValue());
        }
        inverseExponentOverride = Collections.unmodifiableMap(exps);
    }

    /** EShampoo: eigh eigenbasis, reference defaults, in the given precision. */
    public static EigenvalueCorrectedShampooConfig eshampoo(Precision precision) {
        return new EigenvalueCorrectedShampooConfig(FactorStatisticsConfig.defaults(precision),
                EigendecompositionConfig.Eigh.defaults(), Map.of(), Map.of(), precision, precision);
    }

    /** SOAP: one warm-started QR iteration per amortized step, in the given precision. */
    public static EigenvalueCorrectedShampooConfig soap(Precision precision) {
        return new EigenvalueCorrectedShampooConfig(FactorStatisticsConfig.defaults(precision),
                EigendecompositionConfig.Qr.defaults(), Map.of(), Map.of(), precision, precision);
    }

    @Override
    public String typeName() {
        return "eigenvalue_corrected";
    }

    @Override
    public RankDeficiencyConfig rankDeficiency() {
        return eigendecomposition.rankDeficiency();
    }

    /** The root r applied to the corrected eigenvalues of an order-{@code order} block (default 2). */
    public double root(int order) {
        return 1.0 / inverseExponentOverride.getOrDefault(order, 0.5);
    }

    /** Whether mode {@code mode} of an order-{@code order} block is rotated. */
    public boolean rotates(int order, int mode) {
        return !ignoredBasisChangeDims.getOrDefault(order, List.of()).contains(mode);
    }
}
