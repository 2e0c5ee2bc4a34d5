package io.lather.optimizer.state;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.CRC32;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A tensor held on the Java heap: element type, shape and the row-major little-endian bytes. This is what
 * crosses serialization boundaries (Spark, Delta, files); ND4J arrays live off-heap and never do.
 * Conversions to and from ND4J are bit-exact.
 */
public final class HostTensor {
    private final TensorType type;
    private final long[] shape;
    private final byte[] data;

    /**
     * @param type element type
     * @param shape shape (empty for a scalar)
     * @param data row-major little-endian elements; length must equal the element count × element size
     */
    public HostTensor(TensorType type, long[] shape, byte[] data) {
        this.type = type;
        this.shape = shape.clone();
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new StateException("negative dimension in shape " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (data.length != n * type.bytesPerElement()) {
            throw new StateException("tensor of type " + type.typeName() + " and shape " + Arrays.toString(shape) + " needs "
                    + n * type.bytesPerElement() + " bytes, got " + data.length);
        }
        this.data = data;
    }

    /** Copies an ND4J array (any layout) to the heap. */
    public static HostTensor of(INDArray array) {
        TensorType type = TensorType.of(array.dataType());
        INDArray c = array.dup('c');
        long n = c.length();
        ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(n * type.bytesPerElement())).order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case FLOAT32 -> buf.asFloatBuffer().put(c.data().asFloat(), 0, Math.toIntExact(n));
            case FLOAT64 -> buf.asDoubleBuffer().put(c.data().asDouble(), 0, Math.toIntExact(n));
            case INT64 -> buf.asLongBuffer().put(c.data().asLong(), 0, Math.toIntExact(n));
            case BOOL -> {
                for (int i = 0; i < n; i++) {
                    buf.put(c.getDouble(i) != 0 ? (byte) 1 : (byte) 0);
                }
            }
        }
        return new HostTensor(type, array.shape(), buf.array());
    }

    /** A 0-D int64 tensor. */
    public static HostTensor ofLong(long v) {
        return new HostTensor(TensorType.INT64, new long[0],
                ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
    }

    /** A 0-D float64 tensor. */
    public static HostTensor ofDouble(double v) {
        return new HostTensor(TensorType.FLOAT64, new long[0],
                ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(v).array());
    }

    /** A 0-D bool tensor. */
    public static HostTensor ofBoolean(boolean v) {
        return new HostTensor(TensorType.BOOL, new long[0], new byte[] {(byte) (v ? 1 : 0)});
    }

    /** A new ND4J array with exactly these values. */
    public INDArray toINDArray() {
        ByteBuffer buf = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        int n = Math.toIntExact(elementCount());
        INDArray flat;
        switch (type) {
            case FLOAT32 -> {
                float[] v = new float[n];
                buf.asFloatBuffer().get(v);
                flat = Nd4j.createFromArray(v);
            }
            case FLOAT64 -> {
                double[] v = new double[n];
                buf.asDoubleBuffer().get(v);
                flat = Nd4j.createFromArray(v);
            }
            case INT64 -> {
                long[] v = new long[n];
                buf.asLongBuffer().get(v);
                flat = Nd4j.createFromArray(v);
            }
            default -> {
                boolean[] v = new boolean[n];
                for (int i = 0; i < n; i++) {
                    v[i] = data[i] != 0;
                }
                flat = Nd4j.createFromArray(v);
            }
        }
        if (shape.length == 0) {
            return flat.reshape(new long[0]);
        }
        return flat.reshape(shape);
    }

    /** The single value of a 0-D (or 1-element) numeric tensor as a double. */
    public double scalarDouble() {
        ByteBuffer buf = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        return switch (type) {
            case FLOAT32 -> buf.getFloat(0);
            case FLOAT64 -> buf.getDouble(0);
            case INT64 -> buf.getLong(0);
            case BOOL -> data[0];
        };
    }

    /** The single value of a 0-D int64 tensor. */
    public long scalarLong() {
        if (type != TensorType.INT64) {
            throw new StateException("expected an int64 scalar, got " + type.typeName());
        }
        return ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    }

    /** Element type. */
    public TensorType type() {
        return type;
    }

    /** Shape (a copy). */
    public long[] shape() {
        return shape.clone();
    }

    /** Number of elements. */
    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** The raw bytes (not copied; do not modify). */
    public byte[] bytes() {
        return data;
    }

    /** CRC-32 of the raw bytes. */
    public long checksum() {
        CRC32 crc = new CRC32();
        crc.update(data);
        return crc.getValue();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HostTensor t && t.type == type && Arrays.equals(t.shape, shape) && Arrays.equals(t.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return type.typeName() + Arrays.toString(shape);
    }

    /** The data type an exported array of this tensor gets. */
    public DataType dataType() {
        return type.dataType();
    }
}
