package io.lather.optimizer.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The state codec: exact round trips for every tensor type, and a named error for every kind of damage. */
class StateCodecTest {
    private static OptimizerState sample() {
        Map<StateKey, HostTensor> t = new LinkedHashMap<>();
        t.put(StateKey.global("step"), HostTensor.ofLong(42));
        t.put(StateKey.global("lr"), HostTensor.ofDouble(3e-4));
        t.put(StateKey.global("train_mode"), HostTensor.ofBoolean(true));
        t.put(new StateKey("layer.0/W", 1, "shampoo.factor_matrices.0"),
                HostTensor.of(Nd4j.createFromArray(new float[][] {{1.5f, -0f}, {Float.MIN_VALUE, Float.MAX_VALUE}})));
        t.put(new StateKey("b", 0, "filtered_grad"), HostTensor.of(Nd4j.createFromArray(Math.PI, -0.0, Double.MIN_VALUE, 1e308)));
        t.put(new StateKey("e", 0, "empty"), HostTensor.of(Nd4j.create(DataType.DOUBLE, 0)));
        return OptimizerState.of("shampoo", t);
    }

    @Test
    void roundTripIsBitExactForEveryType() {
        OptimizerState s = sample();
        byte[] bytes = StateCodec.encode(s);
        OptimizerState back = StateCodec.decode(bytes);
        assertEquals(s, back);
        assertArrayEquals(bytes, StateCodec.encode(back));
        INDArray f = back.require(new StateKey("layer.0/W", 1, "shampoo.factor_matrices.0")).toINDArray();
        assertEquals(DataType.FLOAT, f.dataType());
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(f.getFloat(0, 1)), "negative zero survives");
        assertEquals(42, back.require(StateKey.global("step")).scalarLong());
    }

    @Test
    void damageIsDetectedAndNamed() {
        byte[] bytes = StateCodec.encode(sample());
        byte[] flipped = bytes.clone();
        flipped[bytes.length - 20] ^= 0x01; // inside the last tensor's data or checksum
        assertEquals(true, assertThrows(StateException.class, () -> StateCodec.decode(flipped)).getMessage().contains("checksum mismatch in tensor"));
        byte[] truncated = Arrays.copyOf(bytes, bytes.length - 5);
        assertEquals(true, assertThrows(StateException.class, () -> StateCodec.decode(truncated)).getMessage().contains("truncated"));
        byte[] magic = bytes.clone();
        magic[0] = 'X';
        assertEquals("not a Lather optimizer state (bad magic bytes); was the file or column written by Lather?",
                assertThrows(StateException.class, () -> StateCodec.decode(magic)).getMessage());
        byte[] version = bytes.clone();
        version[9] = 9;
        assertEquals(true, assertThrows(StateException.class, () -> StateCodec.decode(version)).getMessage().startsWith("optimizer state codec version 9"));
        byte[] trailing = Arrays.copyOf(bytes, bytes.length + 1);
        assertEquals("corrupt optimizer state: 1 unexpected trailing bytes",
                assertThrows(StateException.class, () -> StateCodec.decode(trailing)).getMessage());
    }

    @Test
    void hostTensorRejectsInconsistentSizes() {
        assertEquals("tensor of type float64 and shape [2, 2] needs 32 bytes, got 8",
                assertThrows(StateException.class, () -> new HostTensor(TensorType.FLOAT64, new long[] {2, 2}, new byte[8])).getMessage());
    }
}
