package io.lather.spark.checkpoint;

import io.lather.optimizer.state.HostTensor;
import io.lather.optimizer.state.OptimizerState;
import io.lather.optimizer.state.StateKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * SHA-256 content digests of parameters, optimizer state and configuration text, as lower-case hex (64 characters).
 * They identify the <em>content</em> of a checkpoint: equal content gives equal digests whatever the map order or the
 * storage, and any change of a name, type, shape or a single bit of data changes them. The training job prints the
 * final digests, {@code lather inspect} lists them per checkpoint, and a resumed run is bitwise identical to an
 * uninterrupted one exactly when its final digests are equal.
 *
 * <p>The byte stream hashed is specified in {@code docs/CHECKPOINT_FORMAT.md} §5 (integers big-endian, strings as a
 * u32 byte length and UTF-8 bytes, tensor data as stored: row-major little-endian):
 * <pre>
 *   parameters:      "lather.parameters.v1" 0x00 · u32 n · n × (str name · tensor)        names in String order
 *   optimizer state: "lather.optimizer_state.v1" 0x00 · str type · i32 format · u32 n
 *                    · n × (str parameter · i32 block · str name · tensor)                  keys in StateKey order
 *   tensor:          str dtype · u32 rank · rank × i64 dim · u64 byte length · bytes
 * </pre>
 * Every field is length-prefixed, so two different inputs never produce the same byte stream.
 */
public final class CheckpointDigests {

    private static final byte[] PARAMETERS_DOMAIN = "lather.parameters.v1\0".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STATE_DOMAIN = "lather.optimizer_state.v1\0".getBytes(StandardCharsets.US_ASCII);

    private CheckpointDigests() {}

    /**
     * @param parameters model parameters by name (any map order; the digest sorts by name)
     * @return the parameter digest: 64 lower-case hex characters
     */
    public static String parameters(Map<String, HostTensor> parameters) {
        MessageDigest md = sha256();
        md.update(PARAMETERS_DOMAIN);
        putInt(md, parameters.size());
        List<String> names = new ArrayList<>(parameters.keySet());
        names.sort(null); // String.compareTo: UTF-16 code-unit order, stated in the format document
        for (String name : names) {
            putString(md, name);
            putTensor(md, parameters.get(name));
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /**
     * @param state an optimizer state (its tensors iterate in {@link StateKey} order)
     * @return the optimizer-state digest: 64 lower-case hex characters, covering the type, format version, keys and
     *     tensors
     */
    public static String optimizerState(OptimizerState state) {
        MessageDigest md = sha256();
        md.update(STATE_DOMAIN);
        putString(md, state.optimizerType());
        putInt(md, state.formatVersion());
        putInt(md, state.tensors().size());
        for (Map.Entry<StateKey, HostTensor> e : state.tensors().entrySet()) {
            putString(md, e.getKey().parameter());
            putInt(md, e.getKey().block());
            putString(md, e.getKey().name());
            putTensor(md, e.getValue());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /**
     * @param config configuration text
     * @return SHA-256 of its UTF-8 bytes, 64 lower-case hex characters
     */
    public static String config(String config) {
        return HexFormat.of().formatHex(sha256().digest(config.getBytes(StandardCharsets.UTF_8)));
    }

    private static void putTensor(MessageDigest md, HostTensor t) {
        putString(md, t.type().typeName());
        long[] shape = t.shape();
        putInt(md, shape.length);
        for (long d : shape) {
            putLong(md, d);
        }
        putLong(md, t.bytes().length);
        md.update(t.bytes());
    }

    private static void putString(MessageDigest md, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        putInt(md, b.length);
        md.update(b);
    }

    private static void putInt(MessageDigest md, int v) {
        md.update(ByteBuffer.allocate(4).putInt(v).array());
    }

    private static void putLong(MessageDigest md, long v) {
        md.update(ByteBuffer.allocate(8).putLong(v).array());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime must provide SHA-256", e);
        }
    }
}
