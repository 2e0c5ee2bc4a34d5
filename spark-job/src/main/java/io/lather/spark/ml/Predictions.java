package io.lather.spark.ml;

import io.lather.models.Model;
import io.lather.models.Precision;
import java.util.Map;
import org.apache.spark.ml.linalg.Vector;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The arithmetic shared by the batched {@code transform} and the per-row {@code predictRaw}/{@code predict} paths, so both
 * give the same columns.
 *
 * <p><b>Raw prediction.</b> The models module's prediction for a classifier is the softmax probability vector p. The
 * raw prediction is ln p (the logits shifted by their log-sum-exp, so softmax(raw) = p); a probability that underflowed
 * to 0 gives ln({@link Double#MIN_VALUE}) ≈ −744.4 instead of −∞, so the column stays finite. <b>Probability</b> is
 * softmax(raw) computed in double with the usual max shift, which renormalises p exactly: it sums to 1 within a few
 * double ulps, while the float32 softmax of the graph only sums to 1 within float rounding.
 */
final class Predictions {
    private Predictions() {}

    /** ln(Double.MIN_VALUE): the raw prediction of a class whose probability underflowed to 0. */
    static final double RAW_FLOOR = Math.log(Double.MIN_VALUE);

    /**
     * Checks one features vector and appends its values, rounded to float as the training table stores them, at
     * {@code offset}.
     */
    static void copyFeatures(String stage, String column, Vector v, int dim, float[] into, int offset) {
        if (v == null) {
            throw MlErrors.nullFeatures(stage, column);
        }
        if (v.size() != dim) {
            throw MlErrors.featureSize(stage, column, v.size(), dim);
        }
        if (v instanceof org.apache.spark.ml.linalg.DenseVector d) {
            double[] values = d.values();
            for (int j = 0; j < dim; j++) {
                into[offset + j] = (float) values[j];
            }
        } else {
            org.apache.spark.ml.linalg.SparseVector s = (org.apache.spark.ml.linalg.SparseVector) v;
            java.util.Arrays.fill(into, offset, offset + dim, 0f);
            int[] indices = s.indices();
            double[] values = s.values();
            for (int i = 0; i < indices.length; i++) {
                into[offset + indices[i]] = (float) values[i];
            }
        }
    }

    /**
     * The model's outputs for {@code rows} rows of float features, widened to double; a float64 model gets the
     * features widened to double (the values it was trained on: the training table stores floats).
     */
    static double[] predict(Model model, Map<String, INDArray> params, float[] features, int rows) {
        if (model.precision() == Precision.FLOAT32) {
            float[] out = model.predict(params, features, rows);
            double[] d = new double[out.length];
            for (int i = 0; i < out.length; i++) {
                d[i] = out[i];
            }
            return d;
        }
        double[] x = new double[features.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = features[i];
        }
        return model.predict(params, x, rows);
    }

    /** ln p of row {@code row} of a {@code rows × k} probability matrix, floored at {@link #RAW_FLOOR}. */
    static double[] raw(double[] probabilities, int row, int k) {
        double[] raw = new double[k];
        for (int j = 0; j < k; j++) {
            double p = probabilities[row * k + j];
            raw[j] = p > 0 ? Math.log(p) : RAW_FLOOR;
        }
        return raw;
    }

    /** softmax in place, in double, shifted by the maximum. */
    static double[] softmaxInPlace(double[] v) {
        double max = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            max = Math.max(max, x);
        }
        double sum = 0;
        for (int j = 0; j < v.length; j++) {
            v[j] = Math.exp(v[j] - max);
            sum += v[j];
        }
        for (int j = 0; j < v.length; j++) {
            v[j] /= sum;
        }
        return v;
    }

    /** The first index of the largest value (Spark's {@code Vector.argmax}). */
    static int argmax(double[] v) {
        int best = 0;
        for (int j = 1; j < v.length; j++) {
            if (v[j] > v[best]) {
                best = j;
            }
        }
        return best;
    }

    /**
     * Spark's {@code ProbabilisticClassificationModel.probability2prediction}: the arg-max of p_k / t_k with the
     * thresholds t, or of p without them.
     */
    static int probabilityToPrediction(double[] probability, double[] thresholds) {
        if (thresholds == null) {
            return argmax(probability);
        }
        int best = 0;
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < probability.length; j++) {
            double scaled = probability[j] / thresholds[j];
            if (scaled > max) {
                max = scaled;
                best = j;
            }
        }
        return best;
    }

    /**
     * Spark's {@code raw2prediction} for a probabilistic classifier: the arg-max of the raw prediction without thresholds,
     * else {@link #probabilityToPrediction} of its probabilities.
     */
    static int rawToPrediction(double[] raw, double[] thresholds) {
        return thresholds == null ? argmax(raw) : probabilityToPrediction(softmaxInPlace(raw.clone()), thresholds);
    }
}
