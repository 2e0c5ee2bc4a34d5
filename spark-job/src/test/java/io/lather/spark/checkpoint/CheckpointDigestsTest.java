package io.lather.spark.checkpoint;

import static io.lather.spark.checkpoint.CheckpointFixtures.bool;
import static io.lather.spark.checkpoint.CheckpointFixtures.float32;
import static io.lather.spark.checkpoint.CheckpointFixtures.float64;
import static io.lather.spark.checkpoint.CheckpointFixtures.int64;
import static io.lather.spark.checkpoint.CheckpointFixtures.shape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.lather.optimizer.state.HostTensor;
import io.lather.optimizer.state.OptimizerState;
import io.lather.optimizer.state.StateKey;
import io.lather.optimizer.state.TensorType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The content digests: defined bytes (golden values from an independent implementation), stability, sensitivity. */
class CheckpointDigestsTest {

    /*
     * Golden values: the byte stream of docs/CHECKPOINT_FORMAT.md §5, hashed by Python's hashlib:
     *
     * import hashlib, struct
     * def s(x): b = x.encode(); return struct.pack('>I', len(b)) + b
     * def tensor(dtype, shape, data):
     *     return (s(dtype) + struct.pack('>I', len(shape)) + b''.join(struct.pack('>q', d) for d in shape)
     *             + struct.pack('>Q', len(data)) + data)
     * params = {"W": ("float64", [1, 2], struct.pack('<2d', 0.5, -2.0)),
     *           "b": ("float32", [2], struct.pack('<2f', 1.0, -0.0)), "s": ("bool", [], b'\x01')}
     * m = b"lather.parameters.v1\0" + struct.pack('>I', len(params))
     * for k in sorted(params): m += s(k) + tensor(*params[k])
     * print(hashlib.sha256(m).hexdigest())
     * st = sorted([(("", -1, "step"), ("int64", [], struct.pack('<q', 7))), (("W", -1, "m"), ("float32", [0], b''))])
     * m = b"lather.optimizer_state.v1\0" + s("adam") + struct.pack('>i', 1) + struct.pack('>I', len(st))
     * for (p, bl, n), t in st: m += s(p) + struct.pack('>i', bl) + s(n) + tensor(*t)
     * print(hashlib.sha256(m).hexdigest())
     * print(hashlib.sha256("a = 1\nb = x\n".encode()).hexdigest())
     */
    @Test
    void digestsAreTheDocumentedByteStream() {
        Map<String, HostTensor> params = new LinkedHashMap<>();
        params.put("s", HostTensor.ofBoolean(true));
        params.put("b", float32(shape(2), 1.0f, -0.0f));
        params.put("W", float64(shape(1, 2), 0.5, -2.0));
        assertEquals("da32d31f98b5d8bfcda9427133564960c102d93061c26ebd6f7d0f02ebf821a2", CheckpointDigests.parameters(params));

        Map<StateKey, HostTensor> t = OptimizerState.newTensorMap();
        t.put(new StateKey("W", -1, "m"), float32(shape(0)));
        t.put(StateKey.global("step"), HostTensor.ofLong(7));
        assertEquals("00cb7dffe9bd56c146d497929dd99fab8e45b3dcc7f61127c11c2c182f0f8766",
                CheckpointDigests.optimizerState(new OptimizerState("adam", 1, t)));
        assertEquals("39aad14e5062bfc3a072534f4b1eae0f0b06233fde128cecdedee748b8c7a0b2", CheckpointDigests.config("a = 1\nb = x\n"));
        assertEquals(CheckpointDigests.parameters(params), DeltaCheckpointStore.parameterDigest(params));
    }

    @Test
    void equalContentHasEqualDigestsWhateverTheMapOrder() {
        Map<String, HostTensor> a = CheckpointFixtures.parameters(3);
        List<String> names = new ArrayList<>(a.keySet());
        Collections.reverse(names);
        Map<String, HostTensor> b = new LinkedHashMap<>();
        for (String n : names) {
            HostTensor t = a.get(n);
            b.put(n, new HostTensor(t.type(), t.shape(), t.bytes().clone())); // equal content, distinct arrays
        }
        assertEquals(CheckpointDigests.parameters(a), CheckpointDigests.parameters(b));
        assertEquals(CheckpointDigests.optimizerState(CheckpointFixtures.optimizerState(5)),
                CheckpointDigests.optimizerState(CheckpointFixtures.optimizerState(5)));
        assertEquals(64, CheckpointDigests.parameters(a).length());
        assertEquals(CheckpointDigests.parameters(Map.of()), CheckpointDigests.parameters(new LinkedHashMap<>()));
    }

    @Test
    void everySingleBitFlipChangesTheDigest() {
        Map<String, HostTensor> params = CheckpointFixtures.parameters(1);
        String reference = CheckpointDigests.parameters(params);
        Set<String> seen = new HashSet<>();
        seen.add(reference);
        int flips = 0;
        for (String name : params.keySet()) {
            HostTensor t = params.get(name);
            for (int bit = 0; bit < t.bytes().length * 8; bit++) {
                byte[] data = t.bytes().clone();
                data[bit / 8] ^= (byte) (1 << (bit % 8));
                Map<String, HostTensor> changed = new LinkedHashMap<>(params);
                changed.put(name, new HostTensor(t.type(), t.shape(), data));
                assertNotEquals(reference, CheckpointDigests.parameters(changed), name + " bit " + bit);
                seen.add(CheckpointDigests.parameters(changed));
                flips++;
            }
        }
        assertEquals(flips + 1, seen.size()); // and all flips differ from each other

        OptimizerState state = CheckpointFixtures.optimizerState(4);
        String stateReference = CheckpointDigests.optimizerState(state);
        for (Map.Entry<StateKey, HostTensor> e : state.tensors().entrySet()) {
            HostTensor t = e.getValue();
            if (t.bytes().length == 0) {
                continue;
            }
            byte[] data = t.bytes().clone();
            data[data.length - 1] ^= (byte) 0x80;
            Map<StateKey, HostTensor> changed = new LinkedHashMap<>(state.tensors());
            changed.put(e.getKey(), new HostTensor(t.type(), t.shape(), data));
            assertNotEquals(stateReference, CheckpointDigests.optimizerState(
                    new OptimizerState(state.optimizerType(), state.formatVersion(), changed)), e.getKey().toString());
        }
    }

    @Test
    void namesTypesShapesAndStateHeaderAreCovered() {
        HostTensor x = float64(shape(2, 3), 1, 2, 3, 4, 5, 6);
        String base = CheckpointDigests.parameters(Map.of("x", x));
        // same bytes, other shape / type / name
        assertNotEquals(base, CheckpointDigests.parameters(Map.of("x", new HostTensor(TensorType.FLOAT64, shape(3, 2), x.bytes()))));
        assertNotEquals(base, CheckpointDigests.parameters(Map.of("x", new HostTensor(TensorType.INT64, shape(2, 3), x.bytes()))));
        assertNotEquals(base, CheckpointDigests.parameters(Map.of("y", x)));
        // the same tensors split differently between names cannot collide (every field is length-prefixed)
        HostTensor empty = int64(shape(0));
        assertNotEquals(CheckpointDigests.parameters(Map.of("ab", empty, "c", empty)),
                CheckpointDigests.parameters(Map.of("a", empty, "bc", empty)));
        // scalar versus one-element vector
        assertNotEquals(CheckpointDigests.parameters(Map.of("s", bool(shape(), true))),
                CheckpointDigests.parameters(Map.of("s", bool(shape(1), true))));

        OptimizerState s = CheckpointFixtures.optimizerState(2);
        String sd = CheckpointDigests.optimizerState(s);
        assertNotEquals(sd, CheckpointDigests.optimizerState(new OptimizerState("adam", s.formatVersion(), s.tensors())));
        assertNotEquals(sd, CheckpointDigests.optimizerState(new OptimizerState(s.optimizerType(), 2, s.tensors())));
        Map<StateKey, HostTensor> moved = new LinkedHashMap<>();
        s.tensors().forEach((k, v) -> moved.put(k.block() == 1 ? new StateKey(k.parameter(), 2, k.name()) : k, v));
        assertNotEquals(sd, CheckpointDigests.optimizerState(new OptimizerState(s.optimizerType(), s.formatVersion(), moved)));
        // parameters and optimizer state are separate domains even for the same tensors
        assertNotEquals(CheckpointDigests.parameters(Map.of()), CheckpointDigests.optimizerState(new OptimizerState("", 0, Map.of())));
    }
}
