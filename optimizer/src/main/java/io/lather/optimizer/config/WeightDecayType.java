package io.lather.optimizer.config;

/**
 * Where weight decay enters the step (ALGORITHMS.md §3.3). With wd = weight decay, lr the current and
 * lr_peak the construction-time learning rate:
 * <ul>
 *   <li>{@link #L2}: G ← G + wd·W before any statistic (Adam(wd) style);</li>
 *   <li>{@link #DECOUPLED}: P ← P + wd·W after preconditioning (AdamW style, shrink 1 − lr·wd);</li>
 *   <li>{@link #CORRECTED}: P ← P + wd·(lr/lr_peak)·W (shrink 1 − lr²·wd/lr_peak);</li>
 *   <li>{@link #INDEPENDENT}: P ← P + (wd/lr_peak)·W (shrink 1 − (lr/lr_peak)·wd, learning-rate independent).</li>
 * </ul>
 */
public enum WeightDecayType {
    L2, DECOUPLED, CORRECTED, INDEPENDENT;

    /** Stable name used in config files, e.g. {@code decoupled}. */
    public String typeName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses a stable name (case-insensitive). */
    public static WeightDecayType parse(String field, String name) {
        for (WeightDecayType t : values()) {
            if (t.name().equalsIgnoreCase(name)) {
                return t;
            }
        }
        throw new ConfigException(field, name, "must be one of l2, decoupled, corrected, independent");
    }
}
