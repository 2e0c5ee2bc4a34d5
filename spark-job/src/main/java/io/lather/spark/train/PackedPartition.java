package io.lather.spark.train;

import java.io.Serializable;

/**
 * One data partition packed into dense row-major arrays, held in executor memory for the whole run (a persisted RDD
 * with one element per partition). Rows are sorted by {@code row_id}, so the packing does not depend on the order in
 * which Spark delivered them.
 *
 * @param index partition index 0..P−1
 * @param rowIds row ids, ascending
 * @param features rows × featureDim values
 * @param labels rows × labelWidth values (class index, target values, or none for reconstruction)
 * @param featureDim features per row
 * @param labelWidth label values per row (0 for reconstruction)
 */
public record PackedPartition(int index, long[] rowIds, float[] features, float[] labels, int featureDim, int labelWidth)
        implements Serializable {
    /** Number of rows. */
    public int rows() {
        return rowIds.length;
    }

    /** Copies the given rows (by position) into a new packed batch of features. */
    public float[] gatherFeatures(int[] positions) {
        float[] out = new float[positions.length * featureDim];
        for (int i = 0; i < positions.length; i++) {
            System.arraycopy(features, positions[i] * featureDim, out, i * featureDim, featureDim);
        }
        return out;
    }

    /** Copies the labels of the given rows; null when rows carry no label values. */
    public float[] gatherLabels(int[] positions) {
        if (labelWidth == 0) {
            return null;
        }
        float[] out = new float[positions.length * labelWidth];
        for (int i = 0; i < positions.length; i++) {
            System.arraycopy(labels, positions[i] * labelWidth, out, i * labelWidth, labelWidth);
        }
        return out;
    }
}
