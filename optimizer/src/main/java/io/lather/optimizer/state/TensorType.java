package io.lather.optimizer.state;

import org.nd4j.linalg.api.buffer.DataType;

/** Element type of an exported state tensor, with a stable one-byte code used by {@link StateCodec}. */
public enum TensorType {
    FLOAT32((byte) 1, 4, DataType.FLOAT),
    FLOAT64((byte) 2, 8, DataType.DOUBLE),
    INT64((byte) 3, 8, DataType.LONG),
    BOOL((byte) 4, 1, DataType.BOOL);

    private final byte code;
    private final int bytes;
    private final DataType dataType;

    TensorType(byte code, int bytes, DataType dataType) {
        this.code = code;
        this.bytes = bytes;
        this.dataType = dataType;
    }

    /** Stable code written by the codec. */
    public byte code() {
        return code;
    }

    /** Bytes per element. */
    public int bytesPerElement() {
        return bytes;
    }

    /** ND4J data type. */
    public DataType dataType() {
        return dataType;
    }

    /** Stable lower-case name ({@code float32}, …). */
    public String typeName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The type of a code, or an exception naming the unknown code. */
    public static TensorType ofCode(byte code) {
        for (TensorType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new StateException("unknown tensor type code " + code + " (the state was written by a newer Lather, or is corrupt)");
    }

    /** The type of an ND4J data type. */
    public static TensorType of(DataType type) {
        for (TensorType t : values()) {
            if (t.dataType == type) {
                return t;
            }
        }
        throw new IllegalArgumentException("state tensors must be float32, float64, int64 or bool, got " + type);
    }

    /** Parses a stable name. */
    public static TensorType parse(String name) {
        for (TensorType t : values()) {
            if (t.typeName().equals(name)) {
                return t;
            }
        }
        throw new StateException("unknown tensor type '" + name + "'");
    }
}
