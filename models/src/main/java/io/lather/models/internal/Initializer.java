package io.lather.models.internal;

import io.lather.models.ParameterInit;

/**
 * Draws initial parameter values: value_i = (2·u_i − 1)·a for i = 0 … n−1 in row-major order, where u_i are the
 * successive {@link SplitMix64#nextDouble()} draws of the parameter's stream
 * ({@link SplitMix64#forParameter(long, String)}) and a is {@link ParameterInit#limit()}. Zeros need no draws.
 *
 * <p>The values are computed in double with IEEE-754 operations Java evaluates identically everywhere; a float32
 * model takes {@code (float)} of each value (round to nearest), so float32 and float64 initialisations agree to
 * float32 rounding and both are bit-reproducible.
 */
public final class Initializer {
    private Initializer() {
    }

    /**
     * The initial values of one parameter.
     *
     * @param seed the run seed
     * @param name the parameter's stable name
     * @param size number of elements (≤ 2³¹ − 9)
     * @param init the rule
     * @return the values in row-major order
     */
    public static double[] values(long seed, String name, long size, ParameterInit init) {
        double[] out = new double[Math.toIntExact(size)];
        if (init.kind() == ParameterInit.Kind.ZEROS) {
            return out;
        }
        double a = init.limit();
        SplitMix64 rng = SplitMix64.forParameter(seed, name);
        for (int i = 0; i < out.length; i++) {
            out[i] = (2.0 * rng.nextDouble() - 1.0) * a;
        }
        return out;
    }
}
