package io.lather.models;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * The floating-point type a {@link Model}'s graph computes in. Parameters, features and labels of another
 * floating type are converted (copied) on the way in; results come back in this precision.
 *
 * <p>Default: {@link #FLOAT32} for training (half the memory traffic of float64, which is what bounds these small
 * dense models on CPU). {@link #FLOAT64} is for checks that need ~1e-12 accuracy, such as the finite-difference
 * gradient checks.
 */
public enum Precision {
    /** IEEE binary32 ({@code float}); the default. */
    FLOAT32(DataType.FLOAT),
    /** IEEE binary64 ({@code double}). */
    FLOAT64(DataType.DOUBLE);

    private final DataType dataType;

    Precision(DataType dataType) {
        this.dataType = dataType;
    }

    /**
     * The ND4J data type of this precision.
     *
     * @return {@link DataType#FLOAT} or {@link DataType#DOUBLE}
     */
    public DataType dataType() {
        return dataType;
    }
}
