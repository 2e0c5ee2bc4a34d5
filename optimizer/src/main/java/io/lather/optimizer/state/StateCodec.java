package io.lather.optimizer.state;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one codec for optimizer state, used by checkpoints and tests. Encoding is deterministic (sorted keys)
 * and decoding is strict: a bad magic, an unknown version, a truncated stream, trailing bytes or a CRC-32
 * mismatch of any tensor is a {@link StateException} naming the problem. The byte layout is specified in
 * {@code docs/STATE_FORMAT.md}:
 * <pre>
 *   "LATHERST" · u16 codec version (1) · utf optimizer type · i32 format version · i32 tensor count
 *   per tensor: utf parameter · i32 block · utf name · u8 type · u8 rank · i64[rank] shape · i32 byte length · bytes · i64 CRC-32
 * </pre>
 * (big-endian framing from {@link DataOutputStream}; tensor bytes little-endian as in {@link HostTensor}).
 */
public final class StateCodec {
    private static final byte[] MAGIC = {'L', 'A', 'T', 'H', 'E', 'R', 'S', 'T'};
    /** Version of the byte layout written by {@link #encode}. */
    public static final int CODEC_VERSION = 1;

    private StateCodec() {}

    /** Serializes a state. */
    public static byte[] encode(OptimizerState state) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeShort(CODEC_VERSION);
            out.writeUTF(state.optimizerType());
            out.writeInt(state.formatVersion());
            out.writeInt(state.tensors().size());
            for (Map.Entry<StateKey, HostTensor> e : state.tensors().entrySet()) {
                StateKey k = e.getKey();
                HostTensor t = e.getValue();
                out.writeUTF(k.parameter());
                out.writeInt(k.block());
                out.writeUTF(k.name());
                out.writeByte(t.type().code());
                long[] shape = t.shape();
                out.writeByte(shape.length);
                for (long d : shape) {
                    out.writeLong(d);
                }
                out.writeInt(t.bytes().length);
                out.write(t.bytes());
                out.writeLong(t.checksum());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Parses bytes written by {@link #encode}; every inconsistency is a {@link StateException}. */
    public static OptimizerState decode(byte[] encoded) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new StateException("not a Lather optimizer state (bad magic bytes); was the file or column written by Lather?");
            }
            int version = in.readUnsignedShort();
            if (version != CODEC_VERSION) {
                throw new StateException("optimizer state codec version " + version + " is not supported (this Lather reads version "
                        + CODEC_VERSION + "); resume with the Lather version that wrote it");
            }
            String type = in.readUTF();
            int format = in.readInt();
            int count = in.readInt();
            if (count < 0) {
                throw new StateException("corrupt optimizer state: negative tensor count " + count);
            }
            Map<StateKey, HostTensor> tensors = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                StateKey key = new StateKey(in.readUTF(), in.readInt(), in.readUTF());
                TensorType t = TensorType.ofCode(in.readByte());
                int rank = in.readUnsignedByte();
                long[] shape = new long[rank];
                for (int r = 0; r < rank; r++) {
                    shape[r] = in.readLong();
                }
                int len = in.readInt();
                if (len < 0 || len > in.available()) {
                    throw new StateException("corrupt optimizer state: tensor '" + key + "' claims " + len + " bytes but only "
                            + in.available() + " remain (truncated?)");
                }
                byte[] data = new byte[len];
                in.readFully(data);
                HostTensor tensor = new HostTensor(t, shape, data);
                long crc = in.readLong();
                if (crc != tensor.checksum()) {
                    throw new StateException("corrupt optimizer state: checksum mismatch in tensor '" + key
                            + "'; the stored bytes were damaged, resume from an earlier checkpoint");
                }
                if (tensors.put(key, tensor) != null) {
                    throw new StateException("corrupt optimizer state: tensor '" + key + "' appears twice");
                }
            }
            if (in.available() != 0) {
                throw new StateException("corrupt optimizer state: " + in.available() + " unexpected trailing bytes");
            }
            return new OptimizerState(type, format, tensors);
        } catch (EOFException e) {
            throw new StateException("corrupt optimizer state: truncated (unexpected end of data)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
