package io.lather.models;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The graphs against an independent plain-Java forward pass written from the documentation of each spec (layer
 * order, [in, out] weights, NCHW input, [kH, kW, in, out] kernels with 'same' padding, floor max-pooling,
 * channel-major flatten, losses summed over rows). The finite-difference checks only prove the gradient is the
 * gradient of <em>whatever</em> the graph computes; this proves the graph computes the documented model.
 */
class ReferenceForwardTest {
    static final int ROWS = 4;

    static Stream<ModelSpec> specs() {
        return Stream.of(
                new MlpSpec(4, new int[]{5, 3}, Activation.TANH, 3, Task.CLASSIFICATION),
                new MlpSpec(4, new int[]{5}, Activation.RELU, 3, Task.CLASSIFICATION),
                new MlpSpec(4, new int[]{5}, Activation.SIGMOID, 2, Task.REGRESSION),
                new LogisticRegressionSpec(4, 3),
                new AutoencoderSpec(5, new int[]{4}, 2, Activation.TANH),
                new CnnSpec(2, 7, 6, 3, 2, 3, 2, 4, 3, Activation.RELU),
                new CnnSpec(1, 8, 8, 2, 3, 5, 2, 0, 4, Activation.TANH));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void graphComputesTheDocumentedModel(ModelSpec spec) {
        Model model = Model.build(spec, Precision.FLOAT64);
        Map<String, INDArray> params = TestData.perturbedParameters(model, 5);
        INDArray x = TestData.normal(6, ROWS, spec.inputDim(), DataType.DOUBLE);
        INDArray y = TestData.labels(spec, 7, ROWS, DataType.DOUBLE);

        double[][] in = x.toDoubleMatrix();
        double[][] out = new double[ROWS][];
        for (int r = 0; r < ROWS; r++) {
            out[r] = forward(spec, params, in[r]);
        }
        double loss = 0;
        double[][] prediction = new double[ROWS][];
        for (int r = 0; r < ROWS; r++) {
            switch (spec.task()) {
                case CLASSIFICATION -> {
                    double max = Double.NEGATIVE_INFINITY;
                    for (double v : out[r]) {
                        max = Math.max(max, v);
                    }
                    double s = 0;
                    for (double v : out[r]) {
                        s += Math.exp(v - max);
                    }
                    prediction[r] = new double[out[r].length];
                    for (int k = 0; k < out[r].length; k++) {
                        prediction[r][k] = Math.exp(out[r][k] - max) / s;
                    }
                    loss += -(out[r][(int) y.getDouble(r)] - max - Math.log(s));
                }
                case REGRESSION -> {
                    prediction[r] = out[r];
                    for (int j = 0; j < out[r].length; j++) {
                        double d = out[r][j] - y.getDouble(r, j);
                        loss += d * d;
                    }
                }
                case RECONSTRUCTION -> {
                    prediction[r] = out[r];
                    for (int j = 0; j < out[r].length; j++) {
                        double d = out[r][j] - in[r][j];
                        loss += d * d;
                    }
                }
            }
        }
        assertEquals(loss, model.evaluate(params, x, y).lossSum(), 1e-12 * Math.abs(loss));
        double[][] predicted = model.predict(params, x).toDoubleMatrix();
        for (int r = 0; r < ROWS; r++) {
            assertArrayEquals(prediction[r], predicted[r], 1e-12, "row " + r);
        }
    }

    /** Each activation at points with known values; gelu is the exact x·Φ(x), not the sigmoid approximation. */
    @Test
    void activationsHaveTheirDocumentedFormulas() {
        double[] xs = {-1.0, 0.5, 1.0, 2.0};
        for (Activation a : Activation.values()) {
            // mlp 1-1-1 regression with W = 1, b = 0 in both layers: the output is act(x).
            Model m = Model.build(new MlpSpec(1, new int[]{1}, a, 1, Task.REGRESSION), Precision.FLOAT64);
            Map<String, INDArray> p = Map.of("dense_0/W", Nd4j.ones(DataType.DOUBLE, 1, 1), "dense_0/b",
                    Nd4j.zeros(DataType.DOUBLE, 1), "dense_1/W", Nd4j.ones(DataType.DOUBLE, 1, 1), "dense_1/b",
                    Nd4j.zeros(DataType.DOUBLE, 1));
            double[] got = m.predict(p, xs, xs.length);
            double[] expected = switch (a) {
                case RELU -> new double[]{0.0, 0.5, 1.0, 2.0};
                case TANH -> new double[]{Math.tanh(-1), Math.tanh(0.5), Math.tanh(1), Math.tanh(2)};
                case SIGMOID -> new double[]{1 / (1 + Math.E), 1 / (1 + Math.exp(-0.5)), 1 / (1 + Math.exp(-1)),
                        1 / (1 + Math.exp(-2))};
                // x·Φ(x) with Φ(−1) = 0.15865525393145707, Φ(0.5) = 0.6914624612740131, Φ(1) = 0.8413447460685429,
                // Φ(2) = 0.9772498680518208 (scipy.stats.norm.cdf).
                case GELU -> new double[]{-0.15865525393145707, 0.5 * 0.6914624612740131, 0.8413447460685429,
                        2 * 0.9772498680518208};
            };
            assertArrayEquals(expected, got, 1e-12, a.configName());
        }
    }

    // ------------------------------------------------------------------ the reference

    static double[] forward(ModelSpec spec, Map<String, INDArray> p, double[] x) {
        if (spec instanceof MlpSpec s) {
            return dense(p, "dense_", x, s.hiddenSizes().length + 1, s.activation(), false);
        }
        if (spec instanceof LogisticRegressionSpec) {
            return dense(p, "dense_", x, 1, Activation.TANH, false);
        }
        if (spec instanceof AutoencoderSpec s) {
            int layers = s.hiddenSizes().length + 1;
            double[] code = dense(p, "encoder_", x, layers, s.activation(), true);
            return dense(p, "decoder_", code, layers, s.activation(), false);
        }
        CnnSpec s = (CnnSpec) spec;
        double[][][] img = new double[s.channels()][s.height()][s.width()];
        for (int c = 0; c < s.channels(); c++) {
            for (int i = 0; i < s.height(); i++) {
                for (int j = 0; j < s.width(); j++) {
                    img[c][i][j] = x[(c * s.height() + i) * s.width() + j];
                }
            }
        }
        img = pool(act(s.activation(), conv(img, p.get("conv_0/W"), p.get("conv_0/b"))), s.poolSize());
        img = pool(act(s.activation(), conv(img, p.get("conv_1/W"), p.get("conv_1/b"))), s.poolSize());
        double[] flat = new double[img.length * img[0].length * img[0][0].length];
        int n = 0;
        for (double[][] channel : img) {
            for (double[] row : channel) {
                for (double v : row) {
                    flat[n++] = v;
                }
            }
        }
        return dense(p, "dense_", flat, s.denseUnits() == 0 ? 1 : 2, s.activation(), false);
    }

    static double[] dense(Map<String, INDArray> p, String prefix, double[] x, int layers, Activation a, boolean activateLast) {
        double[] h = x;
        for (int l = 0; l < layers; l++) {
            double[][] w = p.get(prefix + l + "/W").toDoubleMatrix();
            double[] b = p.get(prefix + l + "/b").toDoubleVector();
            double[] z = b.clone();
            for (int i = 0; i < h.length; i++) {
                for (int j = 0; j < z.length; j++) {
                    z[j] += h[i] * w[i][j];
                }
            }
            if (l < layers - 1 || activateLast) {
                for (int j = 0; j < z.length; j++) {
                    z[j] = act(a, z[j]);
                }
            }
            h = z;
        }
        return h;
    }

    /** 'same' convolution, stride 1, odd kernel [kH, kW, in, out]: output (o, i, j) = b[o] + Σ w·x over the window. */
    static double[][][] conv(double[][][] x, INDArray kernel, INDArray bias) {
        int k = (int) kernel.size(0);
        int out = (int) kernel.size(3);
        int pad = k / 2;
        int h = x[0].length;
        int w = x[0][0].length;
        double[][][] y = new double[out][h][w];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    double s = bias.getDouble(o);
                    for (int c = 0; c < x.length; c++) {
                        for (int di = 0; di < k; di++) {
                            for (int dj = 0; dj < k; dj++) {
                                int ii = i + di - pad;
                                int jj = j + dj - pad;
                                if (ii >= 0 && ii < h && jj >= 0 && jj < w) {
                                    s += kernel.getDouble(di, dj, c, o) * x[c][ii][jj];
                                }
                            }
                        }
                    }
                    y[o][i][j] = s;
                }
            }
        }
        return y;
    }

    /** Max-pool p×p with stride p, dropping a remainder (floor). */
    static double[][][] pool(double[][][] x, int p) {
        int h = x[0].length / p;
        int w = x[0][0].length / p;
        double[][][] y = new double[x.length][h][w];
        for (int c = 0; c < x.length; c++) {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    double m = Double.NEGATIVE_INFINITY;
                    for (int di = 0; di < p; di++) {
                        for (int dj = 0; dj < p; dj++) {
                            m = Math.max(m, x[c][i * p + di][j * p + dj]);
                        }
                    }
                    y[c][i][j] = m;
                }
            }
        }
        return y;
    }

    static double[][][] act(Activation a, double[][][] x) {
        for (double[][] channel : x) {
            for (double[] row : channel) {
                for (int j = 0; j < row.length; j++) {
                    row[j] = act(a, row[j]);
                }
            }
        }
        return x;
    }

    static double act(Activation a, double v) {
        return switch (a) {
            case RELU -> Math.max(0, v);
            case TANH -> Math.tanh(v);
            case SIGMOID -> 1 / (1 + Math.exp(-v));
            case GELU -> throw new UnsupportedOperationException("no erf in java.lang.Math; gelu is checked by value");
        };
    }
}
