package io.lather.spark.checkpoint;

import java.util.List;
import java.util.regex.Pattern;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The layout of a checkpoint table, as specified in {@code docs/CHECKPOINT_FORMAT.md}: column names, the Spark schema,
 * the row kinds and the format version. One Delta table holds the checkpoints of any number of runs; it is partitioned
 * by {@code (run_id, step)}, so every checkpoint lives in its own partition directory.
 *
 * <p>Each checkpoint is a set of rows with the same {@code (run_id, step)}: one {@link #KIND_METADATA} row, one
 * {@link #KIND_PARAMETER} row per model parameter and one {@link #KIND_OPTIMIZER_STATE} row per optimizer-state
 * tensor. Tensor columns are null in the metadata row and metadata columns are null in tensor rows.
 */
public final class CheckpointTable {

    /**
     * The checkpoint format written by this code and the newest one it reads (every row carries it in
     * {@link #FORMAT_VERSION_COLUMN}). Readers refuse rows with a larger value instead of guessing.
     */
    public static final int FORMAT_VERSION = 1;

    /** Row kind of the single metadata row of a checkpoint. */
    public static final String KIND_METADATA = "metadata";
    /** Row kind of a model parameter tensor. */
    public static final String KIND_PARAMETER = "parameter";
    /** Row kind of an optimizer-state tensor. */
    public static final String KIND_OPTIMIZER_STATE = "optimizer_state";

    // ---- every row
    /** {@code INT}: checkpoint format version of the row. */
    public static final String FORMAT_VERSION_COLUMN = "format_version";
    /** {@code STRING}, partition column: the run. */
    public static final String RUN_ID = "run_id";
    /** {@code BIGINT}, partition column: the step after which the checkpoint was taken. */
    public static final String STEP = "step";
    /** {@code STRING}: {@link #KIND_METADATA}, {@link #KIND_PARAMETER} or {@link #KIND_OPTIMIZER_STATE}. */
    public static final String KIND = "kind";

    // ---- tensor rows
    /** {@code INT}: parameter rows: 0-based position in model order; optimizer-state rows: position in key order. */
    public static final String ORDINAL = "ordinal";
    /** {@code STRING}: parameter name; for optimizer-state rows the display form of the key (informative only). */
    public static final String NAME = "name";
    /** {@code STRING}: optimizer-state rows: the key's parameter ("" for optimizer-wide tensors). */
    public static final String STATE_PARAMETER = "state_parameter";
    /** {@code INT}: optimizer-state rows: the key's block index (−1 for optimizer-wide or per-parameter tensors). */
    public static final String STATE_BLOCK = "state_block";
    /** {@code STRING}: optimizer-state rows: the key's tensor name. */
    public static final String STATE_NAME = "state_name";
    /** {@code STRING}: element type: {@code float32}, {@code float64}, {@code int64} or {@code bool}. */
    public static final String DTYPE = "dtype";
    /** {@code ARRAY<BIGINT>}: shape, empty for a scalar. */
    public static final String SHAPE = "shape";
    /** {@code BINARY}: the elements, row-major, little-endian. */
    public static final String DATA = "data";
    /** {@code BIGINT}: CRC-32 of {@link #DATA}. */
    public static final String CRC32 = "crc32";

    // ---- metadata row
    /** {@code BIGINT}: wall-clock time of the write, milliseconds since the epoch. */
    public static final String CREATED_AT_MS = "created_at_ms";
    /** {@code STRING}: the complete effective job configuration. */
    public static final String CONFIG = "config";
    /** {@code STRING}: SHA-256 (hex) of the UTF-8 bytes of {@link #CONFIG}. */
    public static final String CONFIG_SHA256 = "config_sha256";
    /** {@code STRING}: the run's compatibility digest (compared on resume). */
    public static final String COMPATIBILITY_DIGEST = "compatibility_digest";
    /** {@code MAP<STRING,STRING>}: component versions. */
    public static final String VERSIONS = "versions";
    /** {@code STRING}: path of the training table the run read. */
    public static final String SOURCE_TABLE = "source_table";
    /** {@code BIGINT}: Delta version of that table. */
    public static final String SOURCE_VERSION = "source_version";
    /** {@code STRING}: stable type name of the optimizer. */
    public static final String OPTIMIZER_TYPE = "optimizer_type";
    /** {@code INT}: the optimizer state's layout version. */
    public static final String OPTIMIZER_FORMAT_VERSION = "optimizer_format_version";
    /** {@code INT}: number of parameter rows of the checkpoint. */
    public static final String PARAMETER_COUNT = "parameter_count";
    /** {@code INT}: number of optimizer-state rows of the checkpoint. */
    public static final String OPTIMIZER_STATE_COUNT = "optimizer_state_count";
    /** {@code STRING}: {@link CheckpointDigests#parameters} of the parameters. */
    public static final String PARAMETERS_SHA256 = "parameters_sha256";
    /** {@code STRING}: {@link CheckpointDigests#optimizerState} of the optimizer state. */
    public static final String OPTIMIZER_STATE_SHA256 = "optimizer_state_sha256";
    /** {@code BIGINT}: data order: completed epochs. */
    public static final String DATA_EPOCH = "data_epoch";
    /** {@code BIGINT}: data order: run seed. */
    public static final String DATA_SEED = "data_seed";
    /** {@code INT}: data order: number of partitions P. */
    public static final String DATA_PARTITIONS = "data_partitions";
    /** {@code INT}: data order: rows per partition per step b. */
    public static final String DATA_BATCH_PER_PARTITION = "data_batch_per_partition";
    /** {@code ARRAY<BIGINT>}: data order: rows held by each partition. */
    public static final String DATA_PARTITION_SIZES = "data_partition_sizes";

    /** The partition columns, in order. */
    public static final List<String> PARTITION_COLUMNS = List.of(RUN_ID, STEP);

    /**
     * Run ids: the same alphabet as the job setting {@code run.id}. Keeping it this narrow makes the id safe as a
     * partition directory name, a Delta {@code txnAppId} and a SQL string literal without escaping.
     */
    public static final Pattern RUN_ID_PATTERN = Pattern.compile("[A-Za-z0-9._-]+");

    private static final DataType LONG_ARRAY = DataTypes.createArrayType(DataTypes.LongType, true);

    /**
     * The schema written by this code. All columns are nullable in Spark/Delta terms; which columns a row of each kind
     * must fill is checked on read (see the format document).
     */
    public static final StructType SCHEMA = new StructType(new StructField[] {
        field(FORMAT_VERSION_COLUMN, DataTypes.IntegerType),
        field(RUN_ID, DataTypes.StringType),
        field(STEP, DataTypes.LongType),
        field(KIND, DataTypes.StringType),
        field(ORDINAL, DataTypes.IntegerType),
        field(NAME, DataTypes.StringType),
        field(STATE_PARAMETER, DataTypes.StringType),
        field(STATE_BLOCK, DataTypes.IntegerType),
        field(STATE_NAME, DataTypes.StringType),
        field(DTYPE, DataTypes.StringType),
        field(SHAPE, LONG_ARRAY),
        field(DATA, DataTypes.BinaryType),
        field(CRC32, DataTypes.LongType),
        field(CREATED_AT_MS, DataTypes.LongType),
        field(CONFIG, DataTypes.StringType),
        field(CONFIG_SHA256, DataTypes.StringType),
        field(COMPATIBILITY_DIGEST, DataTypes.StringType),
        field(VERSIONS, DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType, true)),
        field(SOURCE_TABLE, DataTypes.StringType),
        field(SOURCE_VERSION, DataTypes.LongType),
        field(OPTIMIZER_TYPE, DataTypes.StringType),
        field(OPTIMIZER_FORMAT_VERSION, DataTypes.IntegerType),
        field(PARAMETER_COUNT, DataTypes.IntegerType),
        field(OPTIMIZER_STATE_COUNT, DataTypes.IntegerType),
        field(PARAMETERS_SHA256, DataTypes.StringType),
        field(OPTIMIZER_STATE_SHA256, DataTypes.StringType),
        field(DATA_EPOCH, DataTypes.LongType),
        field(DATA_SEED, DataTypes.LongType),
        field(DATA_PARTITIONS, DataTypes.IntegerType),
        field(DATA_BATCH_PER_PARTITION, DataTypes.IntegerType),
        field(DATA_PARTITION_SIZES, LONG_ARRAY),
    });

    private CheckpointTable() {}

    private static StructField field(String name, DataType type) {
        return DataTypes.createStructField(name, type, true);
    }

    /** The position of a column in {@link #SCHEMA}. */
    static int index(String column) {
        return SCHEMA.fieldIndex(column);
    }
}
