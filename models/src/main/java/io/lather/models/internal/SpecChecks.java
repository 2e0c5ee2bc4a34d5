package io.lather.models.internal;

import io.lather.models.ModelSpec;

/**
 * Range checks shared by the {@link ModelSpec} records' constructors; each failure is a
 * {@link ModelErrors} config error naming the field, the value and the range.
 */
public final class SpecChecks {
    /** The most hidden layers an MLP or autoencoder spec accepts. */
    public static final int MAX_HIDDEN_LAYERS = 64;

    private SpecChecks() {
    }

    /**
     * Checks {@code min ≤ value ≤ max}.
     *
     * @param type  model type name
     * @param field config key
     * @param value the value
     * @param min   smallest valid value
     * @param max   largest valid value
     * @throws io.lather.models.ModelException if out of range
     */
    public static void range(String type, String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw ModelErrors.outOfRange(type, field, value, min, max);
        }
    }

    /**
     * Checks a width, class count or input dimension: {@code min ≤ value ≤ 2²⁴}.
     *
     * @param type  model type name
     * @param field config key
     * @param value the value
     * @param min   smallest valid value (1, or 2 for class counts)
     * @throws io.lather.models.ModelException if out of range
     */
    public static void dim(String type, String field, long value, long min) {
        range(type, field, value, min, ModelSpec.MAX_DIM);
    }

    /**
     * Checks a list of hidden widths: at most {@value #MAX_HIDDEN_LAYERS} entries, each in [1, 2²⁴]. An entry is
     * named {@code field[i]} in the error.
     *
     * @param type  model type name
     * @param field config key
     * @param sizes the widths
     * @throws io.lather.models.ModelException if a check fails
     */
    public static void hiddenSizes(String type, String field, int[] sizes) {
        range(type, "number of " + field, sizes.length, 0, MAX_HIDDEN_LAYERS);
        for (int i = 0; i < sizes.length; i++) {
            dim(type, field + "[" + i + "]", sizes[i], 1);
        }
    }

    /**
     * Checks that every dense weight of the chain in → hidden… → out fits in a Java array, because parameters
     * cross Spark boundaries as primitive arrays.
     *
     * @param type   model type name
     * @param in     input width
     * @param hidden hidden widths
     * @param out    output width
     * @param fix    what to reduce, for the message
     * @throws io.lather.models.ModelException if a weight is too large
     */
    public static void denseChain(String type, long in, int[] hidden, long out, String fix) {
        long previous = in;
        for (int i = 0; i <= hidden.length; i++) {
            long next = i < hidden.length ? hidden[i] : out;
            long elements = previous * next; // both ≤ 2^24·4096, so no overflow
            if (elements > ModelErrors.MAX_ARRAY) {
                throw ModelErrors.tooManyElements(type, "the weight between layers of width " + previous + " and " + next,
                        elements, fix);
            }
            previous = next;
        }
    }
}
