package io.lather.models;

import java.io.Serializable;

/**
 * How one parameter tensor is initialised by {@link Model#initialParameters(long)}.
 *
 * <ul>
 *   <li>{@link Kind#ZEROS}: all zeros (biases).</li>
 *   <li>{@link Kind#GLOROT_UNIFORM}: U(−a, a) with a = √(6 / (fanIn + fanOut)) (Glorot &amp; Bengio, 2010), for
 *       layers followed by tanh, sigmoid, gelu or by the output.</li>
 *   <li>{@link Kind#HE_UNIFORM}: U(−a, a) with a = √(6 / fanIn) (He et al., 2015), for layers followed by relu.</li>
 * </ul>
 *
 * <p>The uniform draws come from a documented generator (SplitMix64, one stream per parameter name) so that a
 * seed gives bit-identical values on any machine; see {@link Model#initialParameters(long)}.
 *
 * @param kind   the rule
 * @param fanIn  inputs feeding one output unit (for a dense [in, out] weight: in; for a [kH, kW, cIn, cOut]
 *               kernel: kH·kW·cIn); ≥ 1 for the uniform kinds, 0 for {@link Kind#ZEROS}
 * @param fanOut outputs one input unit feeds (dense: out; kernel: kH·kW·cOut); ≥ 1 for Glorot, otherwise unused
 */
public record ParameterInit(Kind kind, long fanIn, long fanOut) implements Serializable {

    /** The initialisation rules. */
    public enum Kind {
        /** All zeros. */
        ZEROS,
        /** Glorot (Xavier) uniform. */
        GLOROT_UNIFORM,
        /** He (Kaiming) uniform. */
        HE_UNIFORM
    }

    /**
     * Validates the fans the kind needs.
     *
     * @param kind   the rule
     * @param fanIn  inputs feeding one output unit (for a dense [in, out] weight: in; for a [kH, kW, cIn, cOut]
     *               kernel: kH·kW·cIn); ≥ 1 for the uniform kinds, 0 for {@link Kind#ZEROS}
     * @param fanOut outputs one input unit feeds (dense: out; kernel: kH·kW·cOut); ≥ 1 for Glorot, otherwise unused
     * @throws IllegalArgumentException if a fan the kind needs is &lt; 1
     */
    public ParameterInit {
        java.util.Objects.requireNonNull(kind, "kind");
        if (kind != Kind.ZEROS && fanIn < 1) {
            throw new IllegalArgumentException(kind + " needs fanIn >= 1, got " + fanIn);
        }
        if (kind == Kind.GLOROT_UNIFORM && fanOut < 1) {
            throw new IllegalArgumentException(kind + " needs fanOut >= 1, got " + fanOut);
        }
    }

    /**
     * All zeros.
     *
     * @return the rule
     */
    public static ParameterInit zeros() {
        return new ParameterInit(Kind.ZEROS, 0, 0);
    }

    /**
     * Glorot-uniform.
     *
     * @param fanIn  ≥ 1
     * @param fanOut ≥ 1
     * @return the rule
     */
    public static ParameterInit glorotUniform(long fanIn, long fanOut) {
        return new ParameterInit(Kind.GLOROT_UNIFORM, fanIn, fanOut);
    }

    /**
     * He-uniform.
     *
     * @param fanIn ≥ 1
     * @return the rule
     */
    public static ParameterInit heUniform(long fanIn) {
        return new ParameterInit(Kind.HE_UNIFORM, fanIn, 0);
    }

    /**
     * The default rule for a tensor of this shape, used for custom models that do not say otherwise: rank 1 →
     * zeros (a bias); rank ≥ 2 → Glorot-uniform with receptive field r = product of all but the last two
     * dimensions, fanIn = shape[rank−2]·r and fanOut = shape[rank−1]·r. That matches dense weights
     * {@code [in, out]} and convolution kernels {@code [kH, kW, cIn, cOut]}.
     *
     * @param shape the tensor's shape, every dimension ≥ 1
     * @return the rule
     */
    public static ParameterInit defaultFor(long[] shape) {
        if (shape.length <= 1) {
            return zeros();
        }
        long receptive = 1;
        for (int i = 0; i < shape.length - 2; i++) {
            receptive = Math.multiplyExact(receptive, shape[i]);
        }
        return glorotUniform(Math.multiplyExact(shape[shape.length - 2], receptive),
                Math.multiplyExact(shape[shape.length - 1], receptive));
    }

    /**
     * The half-width a of the uniform interval [−a, a]; 0 for {@link Kind#ZEROS}. Computed in double with
     * {@link Math#sqrt}, which IEEE 754 rounds correctly, so it is the same on every machine.
     *
     * @return a ≥ 0
     */
    public double limit() {
        return switch (kind) {
            case ZEROS -> 0.0;
            case GLOROT_UNIFORM -> Math.sqrt(6.0 / ((double) fanIn + (double) fanOut));
            case HE_UNIFORM -> Math.sqrt(6.0 / (double) fanIn);
        };
    }
}
