package io.lather.models;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * One trainable tensor of a model: its stable name and its shape.
 *
 * <p>Names are stable across versions and are the ids checkpoints and the optimizer's blocks use
 * ({@code dense_0/W}, {@code dense_0/b}, {@code conv_1/W}, …); a {@link Model}'s list of them is in a fixed,
 * documented order. Dense weights are {@code [fan_in, fan_out]} (so a layer computes x·W + b), convolution
 * kernels are {@code [kH, kW, in_channels, out_channels]}, biases are rank 1. Arrays are row-major (C order).
 *
 * @param name  the parameter's stable name; non-blank
 * @param shape the shape; every dimension ≥ 1. The array is copied in and out, so a record is immutable.
 */
public record ParameterSpec(String name, long[] shape) implements Serializable {

    /**
     * Validates the name and dimensions and copies the shape.
     *
     * @param name  the parameter's stable name; non-blank
     * @param shape the shape; every dimension ≥ 1. The array is copied in and out, so a record is immutable.
     * @throws IllegalArgumentException if the name is blank or a dimension is &lt; 1 (a programming error of
     *                                  the model definition, not a user error)
     */
    public ParameterSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(shape, "shape");
        if (name.isBlank()) {
            throw new IllegalArgumentException("parameter name is blank");
        }
        shape = shape.clone();
        for (long d : shape) {
            if (d < 1) {
                throw new IllegalArgumentException("parameter " + name + " has shape " + Arrays.toString(shape)
                        + "; every dimension must be >= 1");
            }
        }
    }

    /**
     * The shape (a copy).
     *
     * @return the dimensions, outermost first
     */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /**
     * The number of elements, the product of the dimensions.
     *
     * @return the element count
     */
    public long size() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Equal when names and shapes are equal. */
    @Override
    public boolean equals(Object o) {
        return o instanceof ParameterSpec p && name.equals(p.name) && Arrays.equals(shape, p.shape);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + Arrays.hashCode(shape);
    }

    /** For example {@code dense_0/W [784, 256]}. */
    @Override
    public String toString() {
        return name + " " + Arrays.toString(shape);
    }
}
