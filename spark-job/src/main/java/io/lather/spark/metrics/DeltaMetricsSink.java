package io.lather.spark.metrics;

import static org.apache.spark.sql.functions.col;

import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Buffers {@link StepMetrics} rows on the driver and writes them to the metrics Delta table ({@link MetricsSchema}) in
 * one commit per {@link #flush()}. The training loop adds a row per step and flushes with each checkpoint and at the end
 * of the run, so a step costs no Delta commit.
 *
 * <h2>Idempotency and resume</h2>
 * A flush of the rows of run {@code r} whose first step is {@code s} is <em>one atomic commit that replaces every row of
 * run {@code r} with step &ge; s</em> by the buffered rows (a Delta overwrite with
 * {@code replaceWhere = "run_id = r AND step >= s"}). Hence, for every run, the table always holds the rows of the
 * steps its latest attempt flushed, preceded by the rows of earlier attempts up to where the latest attempt started:
 * <ul>
 *   <li><b>retried flush</b> (the commit landed but the caller saw an exception, or it failed and is called again):
 *       the same rows replace themselves, nothing is duplicated;</li>
 *   <li><b>resume</b> of a run killed after its checkpoint at step {@code c} but after flushing steps beyond {@code c}:
 *       the resumed run's first flush starts at {@code c + 1} and replaces those stale rows; calling
 *       {@link #truncateAfter(String, long) truncateAfter(run, c)} at resume removes them at once (so a report drawn
 *       before the first flush does not show them, and they go even if the resumed run flushes nothing);</li>
 *   <li>a resumed run that checkpoints at other steps than the killed one, or is resumed several times from the same
 *       checkpoint, is covered by the same rule.</li>
 * </ul>
 * Rows of steps &le; c are not rewritten; for that the loop must <b>flush before it commits the checkpoint of the same
 * step</b>: a crash between the two then leaves metrics ahead of the checkpoint (removed as above), never behind it (a
 * gap that nothing refills).
 *
 * <p>Why not Delta's {@code txnAppId}/{@code txnVersion} (as checkpoints use): Delta remembers the highest version
 * committed per application id and silently skips any later write with a version at or below it, even after the rows
 * were deleted. A resumed run that truncates the stale rows and re-flushes the same steps would then lose them.
 * Replacing by predicate is idempotent by content and has no such memory. Because the table is partitioned by
 * {@code run_id}, flushes of different runs touch different files and do not conflict.
 *
 * <p>Readers ({@link #readRun}) return one row per step; if the table ever holds two rows of a step (an append by
 * hand), the one with the later {@code timestamp_millis} wins.
 *
 * <p>Not thread-safe: one sink per training loop, used from the driver thread.
 */
public final class DeltaMetricsSink {

    private final SparkSession spark;
    private final String path;
    private final List<StepMetrics> buffer = new ArrayList<>();
    /** Per run: the last step added (buffered or flushed) or the truncation point; what the next step must exceed. */
    private final Map<String, Long> lastStep = new HashMap<>();

    /**
     * Opens the metrics table at {@code path}, creating it (empty, partitioned by {@code run_id}, with
     * {@value MetricsSchema#VERSION_PROPERTY}) if nothing is there. Checking at open means a wrong {@code metrics.table}
     * fails before training starts, not at the first checkpoint.
     *
     * @param spark the session
     * @param path the metrics table path (any Hadoop file system path)
     * @throws MetricsException {@code NOT_A_DELTA_TABLE} if the path holds files but no Delta table,
     *     {@code NOT_A_METRICS_TABLE} or {@code UNSUPPORTED_SCHEMA_VERSION} if it holds another Delta table
     */
    public DeltaMetricsSink(SparkSession spark, String path) {
        this.spark = spark;
        path = io.lather.datasets.LatherTable.qualify(path);
        this.path = path;
        switch (state(spark, path)) {
            case DELTA -> checkMetricsTable(spark, path);
            case NOT_DELTA -> throw MetricsErrors.notADeltaTable(path);
            case ABSENT -> DeltaTable.createIfNotExists(spark)
                    .location(path)
                    .addColumns(MetricsSchema.SCHEMA)
                    .partitionedBy(MetricsSchema.RUN_ID)
                    .property(MetricsSchema.VERSION_PROPERTY, String.valueOf(MetricsSchema.VERSION))
                    .comment("Lather training metrics, one row per step (docs/METRICS.md)")
                    .execute();
        }
    }

    /** @return the metrics table path */
    public String path() {
        return path;
    }

    /** @return the number of rows added since the last successful flush */
    public int buffered() {
        return buffer.size();
    }

    /**
     * Buffers one row; nothing is written until {@link #flush()}.
     *
     * @param row the step's metrics
     * @throws MetricsException {@code WRONG_RUN} if rows of another run are buffered, {@code STEP_NOT_INCREASING} if the
     *     step is not above the run's previous step in this sink, {@code INVALID_ARGUMENT} if the step is below 1
     */
    public void add(StepMetrics row) {
        if (row.step() < 1) {
            throw MetricsErrors.invalidArgument("step", row.step(), ">= 1");
        }
        if (!buffer.isEmpty() && !buffer.get(0).runId().equals(row.runId())) {
            throw MetricsErrors.wrongRun(buffer.get(0).runId(), row.runId(), row.step());
        }
        Long previous = lastStep.get(row.runId());
        if (previous != null && row.step() <= previous) {
            throw MetricsErrors.stepNotIncreasing(row.runId(), row.step(), previous);
        }
        buffer.add(row);
        lastStep.put(row.runId(), row.step());
    }

    /**
     * Writes the buffered rows in one Delta commit that replaces the run's rows from the first buffered step on (see the
     * class comment), then empties the buffer. If the write throws, the buffer is kept and calling {@code flush()} again
     * is safe.
     *
     * @return the number of rows written (0, and no commit, when nothing is buffered)
     */
    public int flush() {
        if (buffer.isEmpty()) {
            return 0;
        }
        String runId = buffer.get(0).runId();
        long first = buffer.get(0).step();
        long last = buffer.get(buffer.size() - 1).step();
        List<Row> rows = new ArrayList<>(buffer.size());
        for (StepMetrics m : buffer) {
            rows.add(MetricsSchema.toRow(m));
        }
        spark.createDataFrame(rows, MetricsSchema.SCHEMA)
                .coalesce(1) // one small file per flush, not one per local partition
                .write()
                .format("delta")
                .mode(SaveMode.Overwrite)
                .option("replaceWhere", MetricsSchema.RUN_ID + " = " + sqlString(runId) + " AND " + MetricsSchema.STEP
                        + " >= " + first)
                .option("userMetadata", "lather metrics: run " + runId + " steps " + first + ".." + last)
                .save(path);
        int n = buffer.size();
        buffer.clear();
        return n;
    }

    /**
     * Deletes the rows of {@code runId} with a step above {@code step}, in the table and in the buffer, and lets the
     * next added step of the run be any step above {@code step}. The training loop calls it when it resumes from the
     * checkpoint at {@code step} (0 for a run started afresh under an id that already has rows).
     *
     * @param runId the run
     * @param step the step of the checkpoint the run continues from, &ge; 0
     * @throws MetricsException {@code INVALID_ARGUMENT} if {@code step < 0}
     */
    public void truncateAfter(String runId, long step) {
        if (step < 0) {
            throw MetricsErrors.invalidArgument("step", step, ">= 0");
        }
        DeltaTable.forPath(spark, path).delete(col(MetricsSchema.RUN_ID).equalTo(runId).and(col(MetricsSchema.STEP).gt(step)));
        buffer.removeIf(m -> m.runId().equals(runId) && m.step() > step);
        long last = step;
        for (StepMetrics m : buffer) {
            if (m.runId().equals(runId)) {
                last = Math.max(last, m.step());
            }
        }
        lastStep.put(runId, last);
    }

    /**
     * The rows of one run, ordered by step, one per step.
     *
     * @param spark the session
     * @param path the metrics table path
     * @param runId the run
     * @return the run's rows (never empty)
     * @throws MetricsException {@code TABLE_NOT_FOUND}, {@code NOT_A_DELTA_TABLE}, {@code NOT_A_METRICS_TABLE},
     *     {@code UNSUPPORTED_SCHEMA_VERSION}, {@code EMPTY_TABLE}, or {@code UNKNOWN_RUN} (naming the runs present)
     */
    public static List<StepMetrics> readRun(SparkSession spark, String path, String runId) {
        path = io.lather.datasets.LatherTable.qualify(path);
        return readRuns(spark, path, List.of(runId)).get(runId);
    }

    /**
     * The rows of several runs in one scan, each ordered by step, one per step.
     *
     * @param spark the session
     * @param path the metrics table path
     * @param runIds the runs (duplicates are read once)
     * @return run id to its rows, in the order of {@code runIds}; every list non-empty
     * @throws MetricsException as {@link #readRun}; {@code UNKNOWN_RUN} names the first run without rows
     */
    public static Map<String, List<StepMetrics>> readRuns(SparkSession spark, String path, List<String> runIds) {
        path = io.lather.datasets.LatherTable.qualify(path);
        Dataset<Row> table = openForRead(spark, path);
        LinkedHashSet<String> wanted = new LinkedHashSet<>(runIds);
        Column[] columns = MetricsSchema.columns().stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
        List<Row> rows = table.where(col(MetricsSchema.RUN_ID).isin(wanted.toArray()))
                .select(columns)
                .orderBy(MetricsSchema.RUN_ID, MetricsSchema.STEP, MetricsSchema.TIMESTAMP_MILLIS)
                .collectAsList();
        Map<String, List<StepMetrics>> byRun = new LinkedHashMap<>();
        for (String r : wanted) {
            byRun.put(r, new ArrayList<>());
        }
        for (Row row : rows) {
            StepMetrics m = MetricsSchema.fromRow(row);
            List<StepMetrics> list = byRun.get(m.runId());
            // rows come ordered by (step, timestamp): a second row of the same step is the later one and wins
            if (!list.isEmpty() && list.get(list.size() - 1).step() == m.step()) {
                list.set(list.size() - 1, m);
            } else {
                list.add(m);
            }
        }
        for (Map.Entry<String, List<StepMetrics>> e : byRun.entrySet()) {
            if (e.getValue().isEmpty()) {
                List<String> present = runIds(table);
                throw present.isEmpty() ? MetricsErrors.emptyTable(path) : MetricsErrors.unknownRun(path, e.getKey(), present);
            }
        }
        return byRun;
    }

    /**
     * The run ids present in the table, sorted.
     *
     * @param spark the session
     * @param path the metrics table path
     * @return the runs (empty for an empty table)
     * @throws MetricsException {@code TABLE_NOT_FOUND}, {@code NOT_A_DELTA_TABLE}, {@code NOT_A_METRICS_TABLE},
     *     {@code UNSUPPORTED_SCHEMA_VERSION}
     */
    public static List<String> runIds(SparkSession spark, String path) {
        path = io.lather.datasets.LatherTable.qualify(path);
        return runIds(openForRead(spark, path));
    }

    private static List<String> runIds(Dataset<Row> table) {
        List<String> ids = new ArrayList<>();
        for (Row r : table.select(MetricsSchema.RUN_ID).distinct().orderBy(MetricsSchema.RUN_ID).collectAsList()) {
            ids.add(r.getString(0));
        }
        return ids;
    }

    private enum PathState { ABSENT, DELTA, NOT_DELTA }

    /** ABSENT also covers an empty directory: nothing would be lost by creating the table there. */
    private static PathState state(SparkSession spark, String path) {
        if (DeltaTable.isDeltaTable(spark, path)) {
            return PathState.DELTA;
        }
        try {
            Path p = new Path(path);
            FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.exists(p)) {
                return PathState.ABSENT;
            }
            FileStatus status = fs.getFileStatus(p);
            return status.isDirectory() && fs.listStatus(p).length == 0 ? PathState.ABSENT : PathState.NOT_DELTA;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot inspect metrics table path " + path, e);
        }
    }

    private static Dataset<Row> openForRead(SparkSession spark, String path) {
        switch (state(spark, path)) {
            case ABSENT -> throw MetricsErrors.tableNotFound(path);
            case NOT_DELTA -> throw MetricsErrors.notADeltaTable(path);
            default -> {
                return checkMetricsTable(spark, path);
            }
        }
    }

    private static Dataset<Row> checkMetricsTable(SparkSession spark, String path) {
        Dataset<Row> table = spark.read().format("delta").load(path);
        List<String> problems = MetricsSchema.problems(table.schema());
        if (!problems.isEmpty()) {
            throw MetricsErrors.notAMetricsTable(path, problems, List.of(table.schema().fieldNames()));
        }
        Map<String, String> properties = DeltaTable.forPath(spark, path).detail().select("properties").head().getJavaMap(0);
        String version = properties.get(MetricsSchema.VERSION_PROPERTY);
        if (version != null && !version.equals(String.valueOf(MetricsSchema.VERSION))) {
            throw MetricsErrors.unsupportedSchemaVersion(path, version);
        }
        return table;
    }

    /** A Spark SQL string literal (backslash escapes, Spark's default parser setting). */
    static String sqlString(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
