package io.lather.optimizer.config;

/**
 * A configuration value is out of its valid range, or two values contradict each other.
 *
 * <p>The message always names the field (with its stable config-file path), the offending value and what
 * would be valid, e.g. {@code adam.beta2 = 1.2; must be in (0, 1]}.
 */
public final class ConfigException extends IllegalArgumentException {
    private final String field;

    /**
     * @param field stable path of the field, e.g. {@code shampoo.beta2}
     * @param value the rejected value
     * @param requirement what a valid value looks like, e.g. {@code must be in (0, 1]}
     */
    public ConfigException(String field, Object value, String requirement) {
        super(field + " = " + value + "; " + requirement);
        this.field = field;
    }

    /** A free-form message about a combination of fields. */
    public ConfigException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** Stable path of the offending field. */
    public String field() {
        return field;
    }
}
