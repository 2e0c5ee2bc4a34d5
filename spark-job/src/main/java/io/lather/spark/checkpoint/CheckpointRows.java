package io.lather.spark.checkpoint;

import static io.lather.spark.checkpoint.CheckpointTable.*;

import io.lather.optimizer.state.HostTensor;
import io.lather.optimizer.state.OptimizerState;
import io.lather.optimizer.state.StateException;
import io.lather.optimizer.state.StateKey;
import io.lather.optimizer.state.TensorType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Converts a {@link Checkpoint} to the rows of one commit and back. Encoding validates the checkpoint (a writer never
 * stores something a reader would reject); decoding is strict: every check of {@code docs/CHECKPOINT_FORMAT.md} §7
 * runs, and the first failure is a {@link CheckpointException} naming run, step and tensor.
 */
final class CheckpointRows {

    private CheckpointRows() {}

    /**
     * The rows of one checkpoint and the digests stored in its metadata row.
     *
     * @param rows metadata row first, then parameters in model order, then optimizer state in key order; values in
     *     {@link CheckpointTable#SCHEMA} order
     * @param parametersDigest {@link CheckpointDigests#parameters}
     * @param optimizerStateDigest {@link CheckpointDigests#optimizerState}
     */
    record Encoded(List<Row> rows, String parametersDigest, String optimizerStateDigest) {}

    // ------------------------------------------------------------------------------------------------ encode

    static Encoded encode(Checkpoint c) {
        validate(c);
        CheckpointMetadata m = c.metadata();
        DataOrderState d = c.dataOrder();
        OptimizerState s = c.optimizerState();
        String pd = CheckpointDigests.parameters(c.parameters());
        String sd = CheckpointDigests.optimizerState(s);
        List<Row> rows = new ArrayList<>(1 + c.parameters().size() + s.tensors().size());

        Object[] meta = base(m, KIND_METADATA);
        set(meta, CREATED_AT_MS, m.createdAtMillis());
        set(meta, CONFIG, m.config());
        set(meta, CONFIG_SHA256, CheckpointDigests.config(m.config()));
        set(meta, COMPATIBILITY_DIGEST, m.compatibilityDigest());
        set(meta, VERSIONS, new TreeMap<>(m.versions()));
        set(meta, SOURCE_TABLE, m.sourceTable());
        set(meta, SOURCE_VERSION, m.sourceVersion());
        set(meta, OPTIMIZER_TYPE, s.optimizerType());
        set(meta, OPTIMIZER_FORMAT_VERSION, s.formatVersion());
        set(meta, PARAMETER_COUNT, c.parameters().size());
        set(meta, OPTIMIZER_STATE_COUNT, s.tensors().size());
        set(meta, PARAMETERS_SHA256, pd);
        set(meta, OPTIMIZER_STATE_SHA256, sd);
        set(meta, DATA_EPOCH, d.epoch());
        set(meta, DATA_SEED, d.seed());
        set(meta, DATA_PARTITIONS, d.partitions());
        set(meta, DATA_BATCH_PER_PARTITION, d.batchPerPartition());
        set(meta, DATA_PARTITION_SIZES, boxed(d.partitionSizes()));
        rows.add(RowFactory.create(meta));

        int ordinal = 0;
        for (Map.Entry<String, HostTensor> e : c.parameters().entrySet()) {
            Object[] v = tensor(m, KIND_PARAMETER, ordinal++, e.getKey(), e.getValue());
            rows.add(RowFactory.create(v));
        }
        ordinal = 0;
        for (Map.Entry<StateKey, HostTensor> e : s.tensors().entrySet()) {
            StateKey k = e.getKey();
            Object[] v = tensor(m, KIND_OPTIMIZER_STATE, ordinal++, k.toString(), e.getValue());
            set(v, STATE_PARAMETER, k.parameter());
            set(v, STATE_BLOCK, k.block());
            set(v, STATE_NAME, k.name());
            rows.add(RowFactory.create(v));
        }
        return new Encoded(rows, pd, sd);
    }

    private static Object[] base(CheckpointMetadata m, String kind) {
        Object[] v = new Object[SCHEMA.size()];
        set(v, FORMAT_VERSION_COLUMN, FORMAT_VERSION);
        set(v, RUN_ID, m.runId());
        set(v, STEP, m.step());
        set(v, KIND, kind);
        return v;
    }

    private static Object[] tensor(CheckpointMetadata m, String kind, int ordinal, String name, HostTensor t) {
        Object[] v = base(m, kind);
        set(v, ORDINAL, ordinal);
        set(v, NAME, name);
        set(v, DTYPE, t.type().typeName());
        set(v, SHAPE, boxed(t.shape()));
        set(v, DATA, t.bytes());
        set(v, CRC32, t.checksum());
        return v;
    }

    private static void set(Object[] values, String column, Object value) {
        values[index(column)] = value;
    }

    private static List<Long> boxed(long[] values) {
        List<Long> list = new ArrayList<>(values.length);
        for (long x : values) {
            list.add(x);
        }
        return list;
    }

    /** Everything a reader would reject, refused before anything is written. */
    static void validate(Checkpoint c) {
        if (c == null || c.metadata() == null || c.dataOrder() == null || c.optimizerState() == null
                || c.parameters() == null) {
            throw CheckpointErrors.invalidCheckpoint("the checkpoint or one of its parts (parameters, optimizerState, "
                    + "dataOrder, metadata) is null");
        }
        CheckpointMetadata m = c.metadata();
        if (m.runId() == null || !RUN_ID_PATTERN.matcher(m.runId()).matches()) {
            throw CheckpointErrors.invalidCheckpoint("run id " + (m.runId() == null ? "null" : "'" + m.runId() + "'")
                    + " must be non-empty and use only letters, digits, '.', '_' and '-' (the run.id alphabet)");
        }
        String at = "run '" + m.runId() + "' step " + m.step();
        if (m.step() < 0) {
            throw CheckpointErrors.invalidCheckpoint(at + ": step must be >= 0");
        }
        if (c.dataOrder().step() != m.step()) {
            throw CheckpointErrors.invalidCheckpoint(at + ": dataOrder.step = " + c.dataOrder().step()
                    + " differs from metadata.step = " + m.step() + " (both are the last completed step)");
        }
        long[] sizes = c.dataOrder().partitionSizes();
        if (sizes == null || sizes.length != c.dataOrder().partitions()) {
            throw CheckpointErrors.invalidCheckpoint(at + ": dataOrder.partitionSizes has "
                    + (sizes == null ? "null" : sizes.length + " entries") + " but dataOrder.partitions = "
                    + c.dataOrder().partitions());
        }
        if (m.config() == null || m.compatibilityDigest() == null || m.versions() == null || m.sourceTable() == null) {
            throw CheckpointErrors.invalidCheckpoint(at + ": metadata.config, compatibilityDigest, versions and "
                    + "sourceTable must not be null (use \"\" for 'none')");
        }
        for (Map.Entry<String, String> e : m.versions().entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw CheckpointErrors.invalidCheckpoint(at + ": metadata.versions has a null key or value (" + e + ")");
            }
        }
        if (c.optimizerState().optimizerType() == null) {
            throw CheckpointErrors.invalidCheckpoint(at + ": optimizerState.optimizerType is null");
        }
        for (Map.Entry<String, HostTensor> e : c.parameters().entrySet()) {
            if (e.getKey() == null || e.getKey().isEmpty() || e.getValue() == null) {
                throw CheckpointErrors.invalidCheckpoint(at + ": parameter " + e.getKey() + " has an empty name or a "
                        + "null tensor");
            }
        }
        for (Map.Entry<StateKey, HostTensor> e : c.optimizerState().tensors().entrySet()) {
            if (e.getKey().parameter() == null || e.getKey().name() == null || e.getValue() == null) {
                throw CheckpointErrors.invalidCheckpoint(at + ": optimizer-state key " + e.getKey() + " has a null "
                        + "part or a null tensor");
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ decode

    /**
     * Rebuilds and validates one checkpoint.
     *
     * @param path the table, for messages
     * @param runId the run
     * @param step the step
     * @param rows all rows with this run and step, values in {@link CheckpointTable#SCHEMA} order
     * @param earlierSteps the run's checkpoints before {@code step}, for the fix line of errors
     */
    static Checkpoint decode(String path, String runId, long step, List<Row> rows, List<Long> earlierSteps) {
        Decoder dec = new Decoder(path, runId, step, earlierSteps);
        return dec.decode(rows);
    }

    private static String str(Row r, String column) {
        int i = index(column);
        return r.isNullAt(i) ? null : r.getString(i);
    }

    private static String quoted(String s) {
        return s == null ? "null" : "'" + s + "'";
    }

    /** The state of one decode: where, for messages. */
    static final class Decoder {
        private final String path;
        private final String runId;
        private final long step;
        private final List<Long> earlierSteps;

        Decoder(String path, String runId, long step, List<Long> earlierSteps) {
            this.path = path;
            this.runId = runId;
            this.step = step;
            this.earlierSteps = earlierSteps;
        }

        CheckpointException incomplete(String problem) {
            return CheckpointErrors.incompleteCheckpoint(path, runId, step, problem, earlierSteps);
        }

        CheckpointException corrupt(String tensor, String problem) {
            return CheckpointErrors.corruptTensor(path, runId, step, tensor, problem, earlierSteps);
        }

        /** The newest format version among rows; rows without one count as incomplete. */
        private int formatVersion(List<Row> rows) {
            int max = Integer.MIN_VALUE;
            for (Row r : rows) {
                if (r.isNullAt(index(FORMAT_VERSION_COLUMN))) {
                    throw incomplete("a row of kind " + quoted(str(r, KIND)) + " has no format_version");
                }
                max = Math.max(max, r.getInt(index(FORMAT_VERSION_COLUMN)));
            }
            return max;
        }

        Checkpoint decode(List<Row> rows) {
            if (rows.isEmpty()) {
                throw incomplete("it has no rows");
            }
            int version = formatVersion(rows);
            if (version > FORMAT_VERSION) {
                throw CheckpointErrors.unsupportedFormatVersion(path, runId, step, version);
            }
            Row meta = null;
            List<Row> params = new ArrayList<>();
            List<Row> state = new ArrayList<>();
            for (Row r : rows) {
                int v = r.getInt(index(FORMAT_VERSION_COLUMN));
                if (v < 1) {
                    throw incomplete("a row has format_version " + v + " (versions start at 1)");
                }
                String kind = str(r, KIND);
                if (KIND_METADATA.equals(kind)) {
                    if (meta != null) {
                        throw incomplete("it has more than one metadata row");
                    }
                    meta = r;
                } else if (KIND_PARAMETER.equals(kind)) {
                    params.add(r);
                } else if (KIND_OPTIMIZER_STATE.equals(kind)) {
                    state.add(r);
                } else {
                    throw incomplete("a row has kind " + quoted(kind) + " (format " + FORMAT_VERSION + " knows '"
                            + KIND_METADATA + "', '" + KIND_PARAMETER + "', '" + KIND_OPTIMIZER_STATE + "')");
                }
            }
            if (meta == null) {
                throw incomplete("it has " + params.size() + " parameter and " + state.size()
                        + " optimizer-state rows but no metadata row");
            }
            for (String column : List.of(CREATED_AT_MS, CONFIG, CONFIG_SHA256, COMPATIBILITY_DIGEST, VERSIONS,
                    SOURCE_TABLE, SOURCE_VERSION, OPTIMIZER_TYPE, OPTIMIZER_FORMAT_VERSION, PARAMETER_COUNT,
                    OPTIMIZER_STATE_COUNT, PARAMETERS_SHA256, OPTIMIZER_STATE_SHA256, DATA_EPOCH, DATA_SEED,
                    DATA_PARTITIONS, DATA_BATCH_PER_PARTITION, DATA_PARTITION_SIZES)) {
                if (meta.isNullAt(index(column))) {
                    throw incomplete("column " + column + " is null in the metadata row");
                }
            }
            int paramCount = meta.getInt(index(PARAMETER_COUNT));
            int stateCount = meta.getInt(index(OPTIMIZER_STATE_COUNT));
            if (params.size() != paramCount) {
                throw incomplete("the metadata row records " + paramCount + " parameter tensors but the table holds "
                        + params.size() + " parameter rows");
            }
            if (state.size() != stateCount) {
                throw incomplete("the metadata row records " + stateCount + " optimizer-state tensors but the table "
                        + "holds " + state.size() + " optimizer-state rows");
            }

            Map<String, HostTensor> parameters = parameters(params);
            OptimizerState optimizerState = new OptimizerState(meta.getString(index(OPTIMIZER_TYPE)),
                    meta.getInt(index(OPTIMIZER_FORMAT_VERSION)), optimizerTensors(state));

            String pd = CheckpointDigests.parameters(parameters);
            String storedPd = meta.getString(index(PARAMETERS_SHA256));
            if (!pd.equals(storedPd)) {
                throw corrupt("the parameters", "their SHA-256 digest is " + pd + " but the metadata row records "
                        + storedPd + " (every CRC-32 matches, so a row was rewritten or swapped consistently)");
            }
            String sd = CheckpointDigests.optimizerState(optimizerState);
            String storedSd = meta.getString(index(OPTIMIZER_STATE_SHA256));
            if (!sd.equals(storedSd)) {
                throw corrupt("the optimizer state", "its SHA-256 digest is " + sd + " but the metadata row records "
                        + storedSd + " (every CRC-32 matches, so a row was rewritten or swapped consistently)");
            }
            String config = meta.getString(index(CONFIG));
            String cd = CheckpointDigests.config(config);
            if (!cd.equals(meta.getString(index(CONFIG_SHA256)))) {
                throw corrupt("the config text", "its SHA-256 digest is " + cd + " but the metadata row records "
                        + meta.getString(index(CONFIG_SHA256)));
            }

            List<Object> sizesList = meta.getList(index(DATA_PARTITION_SIZES));
            long[] sizes = new long[sizesList.size()];
            for (int i = 0; i < sizes.length; i++) {
                if (sizesList.get(i) == null) {
                    throw incomplete("data_partition_sizes[" + i + "] is null in the metadata row");
                }
                sizes[i] = (Long) sizesList.get(i);
            }
            int partitions = meta.getInt(index(DATA_PARTITIONS));
            if (partitions != sizes.length) {
                throw incomplete("data_partitions = " + partitions + " but data_partition_sizes has " + sizes.length
                        + " entries");
            }
            DataOrderState order = new DataOrderState(step, meta.getLong(index(DATA_EPOCH)), meta.getLong(index(DATA_SEED)),
                    partitions, meta.getInt(index(DATA_BATCH_PER_PARTITION)), sizes);
            Map<String, String> versions = new TreeMap<>(meta.<String, String>getJavaMap(index(VERSIONS)));
            CheckpointMetadata metadata = new CheckpointMetadata(runId, step, config,
                    meta.getString(index(COMPATIBILITY_DIGEST)), Collections.unmodifiableMap(versions),
                    meta.getString(index(SOURCE_TABLE)), meta.getLong(index(SOURCE_VERSION)),
                    meta.getLong(index(CREATED_AT_MS)));
            return new Checkpoint(parameters, optimizerState, order, metadata);
        }

        private Map<String, HostTensor> parameters(List<Row> rows) {
            HostTensor[] byOrdinal = new HostTensor[rows.size()];
            String[] names = new String[rows.size()];
            Set<String> seen = new HashSet<>();
            for (Row r : rows) {
                String name = str(r, NAME);
                if (name == null || name.isEmpty()) {
                    throw incomplete("a parameter row has no name");
                }
                String label = "parameter '" + name + "'";
                if (!seen.add(name)) {
                    throw incomplete(label + " appears twice");
                }
                if (r.isNullAt(index(ORDINAL))) {
                    throw incomplete(label + " has no ordinal");
                }
                int ordinal = r.getInt(index(ORDINAL));
                if (ordinal < 0 || ordinal >= rows.size() || byOrdinal[ordinal] != null) {
                    throw incomplete(label + " has ordinal " + ordinal + "; the " + rows.size()
                            + " parameter rows must have the ordinals 0.." + (rows.size() - 1) + " once each");
                }
                byOrdinal[ordinal] = tensor(r, label);
                names[ordinal] = name;
            }
            Map<String, HostTensor> parameters = new LinkedHashMap<>();
            for (int i = 0; i < names.length; i++) {
                parameters.put(names[i], byOrdinal[i]);
            }
            return Collections.unmodifiableMap(parameters);
        }

        private Map<StateKey, HostTensor> optimizerTensors(List<Row> rows) {
            Map<StateKey, HostTensor> tensors = new TreeMap<>();
            for (Row r : rows) {
                String parameter = str(r, STATE_PARAMETER);
                String name = str(r, STATE_NAME);
                if (parameter == null || name == null || r.isNullAt(index(STATE_BLOCK))) {
                    throw incomplete("optimizer-state row " + quoted(str(r, NAME)) + " lacks state_parameter, state_block "
                            + "or state_name");
                }
                StateKey key = new StateKey(parameter, r.getInt(index(STATE_BLOCK)), name);
                String label = "optimizer-state tensor '" + key + "'";
                if (tensors.put(key, tensor(r, label)) != null) {
                    throw incomplete(label + " appears twice");
                }
            }
            return tensors;
        }

        /** One tensor column group, checked in the order that gives the most specific message. */
        private HostTensor tensor(Row r, String label) {
            String dtype = str(r, DTYPE);
            if (dtype == null || r.isNullAt(index(SHAPE)) || r.isNullAt(index(DATA)) || r.isNullAt(index(CRC32))) {
                throw corrupt(label, "dtype, shape, data or crc32 is null");
            }
            byte[] data = (byte[]) r.get(index(DATA));
            long stored = r.getLong(index(CRC32));
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(data);
            if (crc.getValue() != stored) {
                throw corrupt(label, "the CRC-32 of its " + data.length + " stored bytes is " + crc.getValue()
                        + " but the row records " + stored);
            }
            TensorType type;
            try {
                type = TensorType.parse(dtype);
            } catch (StateException e) {
                throw corrupt(label, "unknown dtype '" + dtype + "' (format " + FORMAT_VERSION
                        + " knows float32, float64, int64, bool)");
            }
            List<Object> shapeList = r.getList(index(SHAPE));
            long[] shape = new long[shapeList.size()];
            long bytes = type.bytesPerElement();
            try {
                for (int i = 0; i < shape.length; i++) {
                    Object d = shapeList.get(i);
                    if (d == null || (Long) d < 0) {
                        throw corrupt(label, "shape " + shapeList + " has a null or negative dimension");
                    }
                    shape[i] = (Long) d;
                    bytes = Math.multiplyExact(bytes, shape[i]);
                }
            } catch (ArithmeticException e) {
                throw corrupt(label, "shape " + shapeList + " is too large to be stored");
            }
            if (bytes != data.length) {
                throw corrupt(label, "a " + dtype + " tensor of shape " + Arrays.toString(shape) + " has " + bytes
                        + " bytes but the row holds " + data.length);
            }
            return new HostTensor(type, shape, data);
        }
    }
}
