package io.lather.optimizer.config;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-mode inverse exponents of the classic Shampoo variants (root-inverse, eigendecomposed, per-factor and
 * their KL relatives), keyed by tensor order (ALGORITHMS.md §1.2).
 *
 * <p>The default exponent of every mode of an order-o block is 1/(2·max(o, 1)): 0.5 for vectors, 0.25 for
 * matrices, 1/6 for order-3 tensors. An override gives, per order, either one exponent for every mode
 * ({@link #ALL_MODES}) or an exponent per mode. Exponent 0 means "do not precondition this mode" (one-sided
 * Shampoo). The root is r = 1/exponent.
 *
 * @param exponents order → (mode or {@link #ALL_MODES}) → exponent ≥ 0
 */
public record InverseExponentOverride(Map<Integer, Map<Integer, Double>> exponents) {
    /** Mode key meaning "every mode of this order". */
    public static final int ALL_MODES = -1;

    public InverseExponentOverride {
        TreeMap<Integer, Map<Integer, Double>> copy = new TreeMap<>();
        for (var e : exponents.entrySet()) {
            int order = e.getKey();
            if (order < 0) {
                throw new ConfigException("inverse_exponent_override", order, "orders must be >= 0");
            }
            TreeMap<Integer, Double> modes = new TreeMap<>();
            for (var m : e.getValue().entrySet()) {
                int mode = m.getKey();
                if (mode != ALL_MODES && (mode < 0 || mode > Math.max(order - 1, 0))) {
                    throw new ConfigException("inverse_exponent_override." + order, mode,
                            "mode keys of order " + order + " must be in [0, " + Math.max(order - 1, 0) + "]");
                }
                Check.nonNegative("inverse_exponent_override." + order + "." + mode, m.getValue());
                modes.put(mode, m.getValue());
            }
            copy.put(order, Collections.unmodifiableMap(modes));
        }
        exponents = Collections.unmodifiableMap(copy);
    }

    /** No overrides: default exponents everywhere. */
    public static InverseExponentOverride none() {
        return new InverseExponentOverride(Map.of());
    }

    /** One exponent for every mode of blocks of the given order. */
    public static InverseExponentOverride allModes(int order, double exponent) {
        return new InverseExponentOverride(Map.of(order, Map.of(ALL_MODES, exponent)));
    }

    /** The exponent of {@code mode} for a block of order {@code order}. */
    public double exponent(int order, int mode) {
        Map<Integer, Double> modes = exponents.get(order);
        if (modes != null) {
            Double v = modes.get(mode);
            if (v == null) {
                v = modes.get(ALL_MODES);
            }
            if (v != null) {
                return v;
            }
        }
        return 1.0 / (2.0 * Math.max(order, 1));
    }
}
