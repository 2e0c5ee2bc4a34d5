package io.lather.spark.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The columns of the metrics Delta table: one row per training step, one column per {@link StepMetrics} component, in
 * the same order, named in snake_case. The table is partitioned by {@code run_id}, so runs that write to one table
 * concurrently (an optimizer comparison) touch disjoint files and never conflict.
 *
 * <p>{@code eval_loss} and {@code eval_accuracy} are SQL {@code NULL} at steps without evaluation (where
 * {@link StepMetrics} holds NaN): {@code AVG}, {@code MIN} and {@code WHERE eval_loss IS NOT NULL} then behave as a SQL
 * user expects, which NaN would not ({@code AVG} over a NaN is NaN). A NaN training loss is stored as NaN: it is a fact
 * (the run diverged), not an absence. The table property {@value #VERSION_PROPERTY} holds {@value #VERSION}; a table
 * without the property is read as version 1. The full table is documented in {@code docs/METRICS.md}.
 */
public final class MetricsSchema {

    /** Version of this schema, stored in the table property {@value #VERSION_PROPERTY}. */
    public static final int VERSION = 1;
    /** Table property holding the schema version. */
    public static final String VERSION_PROPERTY = "lather.metrics.schema.version";

    /** {@code STRING}, partition column: {@link StepMetrics#runId()}. */
    public static final String RUN_ID = "run_id";
    /** {@code BIGINT}: {@link StepMetrics#step()}. */
    public static final String STEP = "step";
    /** {@code DOUBLE}: {@link StepMetrics#epoch()}. */
    public static final String EPOCH = "epoch";
    /** {@code DOUBLE}: {@link StepMetrics#trainLoss()}. */
    public static final String TRAIN_LOSS = "train_loss";
    /** {@code DOUBLE}, null when not evaluated: {@link StepMetrics#evalLoss()}. */
    public static final String EVAL_LOSS = "eval_loss";
    /** {@code DOUBLE}, null when not evaluated: {@link StepMetrics#evalAccuracy()}. */
    public static final String EVAL_ACCURACY = "eval_accuracy";
    /** {@code DOUBLE}: {@link StepMetrics#learningRate()}. */
    public static final String LEARNING_RATE = "learning_rate";
    /** {@code BIGINT}: {@link StepMetrics#examples()}. */
    public static final String EXAMPLES = "examples";
    /** {@code DOUBLE} milliseconds: {@link StepMetrics#stepMs()}. */
    public static final String STEP_MS = "step_ms";
    /** {@code DOUBLE} milliseconds: {@link StepMetrics#dataMs()}. */
    public static final String DATA_MS = "data_ms";
    /** {@code DOUBLE} milliseconds: {@link StepMetrics#gradientMs()}. */
    public static final String GRADIENT_MS = "gradient_ms";
    /** {@code DOUBLE} milliseconds: {@link StepMetrics#reduceMs()}. */
    public static final String REDUCE_MS = "reduce_ms";
    /** {@code DOUBLE} milliseconds: {@link StepMetrics#optimizerMs()}. */
    public static final String OPTIMIZER_MS = "optimizer_ms";
    /** {@code DOUBLE} milliseconds: {@link StepMetrics#overheadMs()}. */
    public static final String OVERHEAD_MS = "overhead_ms";
    /** {@code BIGINT}: {@link StepMetrics#eigendecompositions()}. */
    public static final String EIGENDECOMPOSITIONS = "eigendecompositions";
    /** {@code BIGINT}: {@link StepMetrics#eigendecompositionsSkipped()}. */
    public static final String EIGENDECOMPOSITIONS_SKIPPED = "eigendecompositions_skipped";
    /** {@code BIGINT} milliseconds since the Unix epoch: {@link StepMetrics#timestampMillis()}. */
    public static final String TIMESTAMP_MILLIS = "timestamp_millis";

    /** The table's schema, in {@link StepMetrics} component order. */
    public static final StructType SCHEMA = new StructType(new StructField[] {
        field(RUN_ID, DataTypes.StringType, false),
        field(STEP, DataTypes.LongType, false),
        field(EPOCH, DataTypes.DoubleType, false),
        field(TRAIN_LOSS, DataTypes.DoubleType, false),
        field(EVAL_LOSS, DataTypes.DoubleType, true),
        field(EVAL_ACCURACY, DataTypes.DoubleType, true),
        field(LEARNING_RATE, DataTypes.DoubleType, false),
        field(EXAMPLES, DataTypes.LongType, false),
        field(STEP_MS, DataTypes.DoubleType, false),
        field(DATA_MS, DataTypes.DoubleType, false),
        field(GRADIENT_MS, DataTypes.DoubleType, false),
        field(REDUCE_MS, DataTypes.DoubleType, false),
        field(OPTIMIZER_MS, DataTypes.DoubleType, false),
        field(OVERHEAD_MS, DataTypes.DoubleType, false),
        field(EIGENDECOMPOSITIONS, DataTypes.LongType, false),
        field(EIGENDECOMPOSITIONS_SKIPPED, DataTypes.LongType, false),
        field(TIMESTAMP_MILLIS, DataTypes.LongType, false),
    });

    private MetricsSchema() {}

    private static StructField field(String name, DataType type, boolean nullable) {
        return new StructField(name, type, nullable, org.apache.spark.sql.types.Metadata.empty());
    }

    /** The column names, in schema order. */
    static List<String> columns() {
        return Arrays.asList(SCHEMA.fieldNames());
    }

    /** One table row; NaN evaluation values become null (see the class comment). */
    static Row toRow(StepMetrics m) {
        return RowFactory.create(m.runId(), m.step(), m.epoch(), m.trainLoss(), nullIfNaN(m.evalLoss()),
                nullIfNaN(m.evalAccuracy()), m.learningRate(), m.examples(), m.stepMs(), m.dataMs(), m.gradientMs(),
                m.reduceMs(), m.optimizerMs(), m.overheadMs(), m.eigendecompositions(), m.eigendecompositionsSkipped(),
                m.timestampMillis());
    }

    /** The row of a {@code SELECT} of {@link #columns()} in order; null evaluation values become NaN. */
    static StepMetrics fromRow(Row r) {
        return new StepMetrics(r.getString(0), r.getLong(1), r.getDouble(2), r.getDouble(3), nanIfNull(r, 4),
                nanIfNull(r, 5), r.getDouble(6), r.getLong(7), r.getDouble(8), r.getDouble(9), r.getDouble(10),
                r.getDouble(11), r.getDouble(12), r.getDouble(13), r.getLong(14), r.getLong(15), r.getLong(16));
    }

    private static Double nullIfNaN(double v) {
        return Double.isNaN(v) ? null : v;
    }

    private static double nanIfNull(Row r, int i) {
        return r.isNullAt(i) ? Double.NaN : r.getDouble(i);
    }

    /**
     * What is wrong with a table schema, compared with {@link #SCHEMA}: one entry per missing or mistyped column.
     * Extra columns are allowed (a later schema version may add some), nullability is not compared.
     *
     * @param actual the table's schema
     * @return the problems, empty when the table can be read as a metrics table
     */
    static List<String> problems(StructType actual) {
        Map<String, DataType> have = new LinkedHashMap<>();
        for (StructField f : actual.fields()) {
            have.put(f.name(), f.dataType());
        }
        List<String> problems = new ArrayList<>();
        for (StructField f : SCHEMA.fields()) {
            DataType t = have.get(f.name());
            if (t == null) {
                problems.add(f.name() + " (missing)");
            } else if (!t.equals(f.dataType())) {
                problems.add(f.name() + " (" + t.sql() + ", expected " + f.dataType().sql() + ")");
            }
        }
        return problems;
    }
}
