package io.lather.models;

import io.lather.models.internal.SplitMix64;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Deterministic initialisation: reference generator, bit-identical repeats, distinct seeds, bounds, names. */
class InitializationTest {

    /** Reference outputs of splitmix64.c for seed 1234567 (also on Rosetta Code, "Pseudo-random numbers/Splitmix64"). */
    @Test
    void splitMix64MatchesReferenceVectors() {
        SplitMix64 r = new SplitMix64(1234567);
        assertEquals("6457827717110365317", Long.toUnsignedString(r.nextLong()));
        assertEquals("3203168211198807973", Long.toUnsignedString(r.nextLong()));
        assertEquals("9817491932198370423", Long.toUnsignedString(r.nextLong()));
        assertEquals("4593380528125082431", Long.toUnsignedString(r.nextLong()));
        assertEquals("16408922859458223821", Long.toUnsignedString(r.nextLong()));
        assertEquals(0xE220A8397B1DCDAFL, new SplitMix64(0).nextLong());
    }

    /** FNV-1a 64 reference values (the FNV authors' test suite). */
    @Test
    void fnv1aMatchesReferenceVectors() {
        assertEquals(0xCBF29CE484222325L, SplitMix64.fnv1a64(""));
        assertEquals(0xAF63DC4C8601EC8CL, SplitMix64.fnv1a64("a"));
        assertEquals(0x85944171F73967E8L, SplitMix64.fnv1a64("foobar"));
    }

    @Test
    void sameSeedGivesBitIdenticalParametersAcrossModelInstances() {
        ModelSpec spec = CnnSpec.withDefaults(1, 12, 12, 10);
        for (Precision precision : Precision.values()) {
            Map<String, INDArray> a = Model.build(spec, precision).initialParameters(2024);
            Map<String, INDArray> b = Model.build(spec, precision).initialParameters(2024);
            TestData.assertSameBits(a, b);
        }
    }

    @Test
    void differentSeedsGiveDifferentWeights() {
        Model model = Model.build(new MlpSpec(6, new int[]{5}, Activation.TANH, 3, Task.CLASSIFICATION));
        Map<String, INDArray> a = model.initialParameters(1);
        Map<String, INDArray> b = model.initialParameters(2);
        for (String w : List.of("dense_0/W", "dense_1/W")) {
            assertFalse(java.util.Arrays.equals(bits(a.get(w)), bits(b.get(w))), w);
        }
        Model lr = Model.build(new LogisticRegressionSpec(6, 3));
        assertFalse(java.util.Arrays.equals(bits(lr.initialParameters(1).get("dense_0/W")),
                bits(lr.initialParameters(2).get("dense_0/W"))));
    }

    /**
     * Pins the values, so a change to the generator, the stream derivation or the order of draws (which would
     * silently change every run's starting point) fails here. Computed by this implementation and cross-checked by
     * {@link #valuesFollowTheDocumentedFormula()}.
     */
    @Test
    void goldenValues() {
        Model model = Model.build(new MlpSpec(4, new int[]{5}, Activation.TANH, 3, Task.CLASSIFICATION), Precision.FLOAT64);
        double[] w = model.initialParameters(42).get("dense_0/W").data().asDouble();
        assertEquals(GOLDEN[0], Double.doubleToLongBits(w[0]));
        assertEquals(GOLDEN[1], Double.doubleToLongBits(w[1]));
        assertEquals(GOLDEN[2], Double.doubleToLongBits(w[19]));
    }

    /** dense_0/W[0], [1], [19] of mlp(4-5-3, tanh) at seed 42: 0.1220874490250229, −0.6684578197169411, −0.37668624728759953. */
    static final long[] GOLDEN = {0x3FBF411F80D085B9L, 0xBFE56401A74E123CL, 0xBFD81BA0A23D015FL};

    @Test
    void valuesFollowTheDocumentedFormula() {
        Model model = Model.build(new MlpSpec(4, new int[]{5}, Activation.RELU, 3, Task.CLASSIFICATION), Precision.FLOAT64);
        long seed = -7;
        Map<String, INDArray> params = model.initialParameters(seed);
        // dense_0 is followed by relu: He-uniform, a = sqrt(6 / fanIn).
        assertFormula(params.get("dense_0/W"), seed, "dense_0/W", Math.sqrt(6.0 / 4));
        // dense_1 is the output layer: Glorot-uniform, a = sqrt(6 / (fanIn + fanOut)).
        assertFormula(params.get("dense_1/W"), seed, "dense_1/W", Math.sqrt(6.0 / (5 + 3)));
        assertEquals(0.0, params.get("dense_0/b").norm2Number().doubleValue());
        assertEquals(0.0, params.get("dense_1/b").norm2Number().doubleValue());
        assertEquals(List.of(ParameterInit.heUniform(4), ParameterInit.zeros(), ParameterInit.glorotUniform(5, 3),
                ParameterInit.zeros()), model.initializations());
    }

    static void assertFormula(INDArray actual, long seed, String name, double a) {
        SplitMix64 stream = new SplitMix64(new SplitMix64(seed ^ SplitMix64.fnv1a64(name)).nextLong());
        double[] values = actual.data().asDouble();
        for (double v : values) {
            double u = (stream.nextLong() >>> 11) * 0x1.0p-53;
            assertEquals(Double.doubleToLongBits((2 * u - 1) * a), Double.doubleToLongBits(v), name);
            assertTrue(Math.abs(v) <= a);
        }
    }

    @Test
    void float32IsTheRoundedFloat64() {
        ModelSpec spec = new AutoencoderSpec(6, new int[]{4}, 2, Activation.SIGMOID);
        Map<String, INDArray> f = Model.build(spec, Precision.FLOAT32).initialParameters(9);
        Map<String, INDArray> d = Model.build(spec, Precision.FLOAT64).initialParameters(9);
        f.forEach((name, arr) -> {
            assertEquals(DataType.FLOAT, arr.dataType());
            assertEquals(DataType.DOUBLE, d.get(name).dataType());
            double[] wide = d.get(name).data().asDouble();
            float[] narrow = arr.data().asFloat();
            for (int i = 0; i < wide.length; i++) {
                assertEquals(Float.floatToIntBits((float) wide[i]), Float.floatToIntBits(narrow[i]), name);
            }
        });
    }

    @Test
    void parameterNamesAndOrderAreStable() {
        assertEquals(List.of("dense_0/W [784, 256]", "dense_0/b [256]", "dense_1/W [256, 128]", "dense_1/b [128]",
                        "dense_2/W [128, 10]", "dense_2/b [10]"),
                names(new MlpSpec(784, new int[]{256, 128}, Activation.RELU, 10, Task.CLASSIFICATION)));
        assertEquals(List.of("dense_0/W [784, 10]", "dense_0/b [10]"), names(new LogisticRegressionSpec(784, 10)));
        assertEquals(List.of("conv_0/W [5, 5, 1, 8]", "conv_0/b [8]", "conv_1/W [5, 5, 8, 16]", "conv_1/b [16]",
                        "dense_0/W [784, 64]", "dense_0/b [64]", "dense_1/W [64, 10]", "dense_1/b [10]"),
                names(CnnSpec.withDefaults(1, 28, 28, 10)));
        assertEquals(List.of("encoder_0/W [784, 128]", "encoder_0/b [128]", "encoder_1/W [128, 32]", "encoder_1/b [32]",
                        "decoder_0/W [32, 128]", "decoder_0/b [128]", "decoder_1/W [128, 784]", "decoder_1/b [784]"),
                names(new AutoencoderSpec(784, new int[]{128}, 32, Activation.RELU)));
        Model mlp = Model.build(new MlpSpec(784, new int[]{256, 128}, Activation.RELU, 10, Task.CLASSIFICATION));
        assertEquals(784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10, mlp.parameterCount());
    }

    static List<String> names(ModelSpec spec) {
        return Model.build(spec).parameters().stream().map(ParameterSpec::toString).toList();
    }

    static long[] bits(INDArray a) {
        double[] d = a.data().asDouble();
        long[] out = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = Double.doubleToRawLongBits(d[i]);
        }
        return out;
    }
}
