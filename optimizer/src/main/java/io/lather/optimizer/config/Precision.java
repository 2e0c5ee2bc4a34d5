package io.lather.optimizer.config;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * Storage precision of an optimizer tensor. Amortized matrix computations (eigendecompositions, QR,
 * inverse roots) always run in float64 whatever the storage precision; results are rounded to it.
 */
public enum Precision {
    /** IEEE binary32. The reference's default for factor matrices and eigenbases. */
    FLOAT32("float32", DataType.FLOAT),
    /** IEEE binary64. What the golden trajectories use throughout. */
    FLOAT64("float64", DataType.DOUBLE);

    private final String typeName;
    private final DataType dataType;

    Precision(String typeName, DataType dataType) {
        this.typeName = typeName;
        this.dataType = dataType;
    }

    /** Stable name used in config files: {@code float32} or {@code float64}. */
    public String typeName() {
        return typeName;
    }

    /** The ND4J data type. */
    public DataType dataType() {
        return dataType;
    }

    /** The precision of an ND4J data type (FLOAT or DOUBLE). */
    public static Precision of(DataType type) {
        return switch (type) {
            case FLOAT -> FLOAT32;
            case DOUBLE -> FLOAT64;
            default -> throw new ConfigException("precision", type, "must be float32 or float64");
        };
    }

    /** Parses {@code float32}/{@code float64}. */
    public static Precision parse(String field, String name) {
        for (Precision p : values()) {
            if (p.typeName.equalsIgnoreCase(name)) {
                return p;
            }
        }
        throw new ConfigException(field, name, "must be float32 or float64");
    }
}
