package io.lather.spark.metrics;

import static io.lather.spark.metrics.ProgressLineTest.firstLine;
import static io.lather.spark.metrics.TestRows.row;
import static io.lather.spark.metrics.TestRows.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sink against real Delta tables in a temporary directory. */
class DeltaMetricsSinkTest {

    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void session() {
        spark = TestRows.spark();
    }

    private String table() {
        return dir.resolve("metrics").toString();
    }

    private static DeltaMetricsSink sinkWith(String path, List<StepMetrics> rows) {
        DeltaMetricsSink sink = new DeltaMetricsSink(spark, path);
        rows.forEach(sink::add);
        return sink;
    }

    private static long version(String path) {
        return DeltaTable.forPath(spark, path).history(1).select("version").head().getLong(0);
    }

    private static List<Long> steps(List<StepMetrics> rows) {
        return rows.stream().map(StepMetrics::step).collect(Collectors.toList());
    }

    private static List<Long> range(long from, long to) {
        List<Long> r = new ArrayList<>();
        for (long s = from; s <= to; s++) {
            r.add(s);
        }
        return r;
    }

    @Test
    void roundTripWithNullEvaluationsAndDocumentedColumns() {
        String path = table();
        List<StepMetrics> written = rows("fashion-mnist-mlp", 1, 25, 1_700_000_000_000L);
        DeltaMetricsSink sink = sinkWith(path, written);
        assertEquals(25, sink.flush());

        assertEquals(written, DeltaMetricsSink.readRun(spark, path, "fashion-mnist-mlp")); // NaN evals come back as NaN
        assertEquals(List.of("run_id", "step", "epoch", "train_loss", "eval_loss", "eval_accuracy", "learning_rate",
                "examples", "step_ms", "data_ms", "gradient_ms", "reduce_ms", "optimizer_ms", "overhead_ms",
                "eigendecompositions", "eigendecompositions_skipped", "timestamp_millis"),
                List.of(spark.read().format("delta").load(path).schema().fieldNames()));
        // in SQL, "not evaluated" is NULL (so AVG and IS NOT NULL work), as docs/METRICS.md says
        assertEquals(2L, spark.sql("SELECT count(*) FROM delta.`" + path + "` WHERE run_id = 'fashion-mnist-mlp' "
                + "AND eval_loss IS NOT NULL").head().getLong(0));
        assertEquals("1", DeltaTable.forPath(spark, path).detail().select("properties").head()
                .getJavaMap(0).get("lather.metrics.schema.version"));
        assertEquals(List.of("run_id"), DeltaTable.forPath(spark, path).detail().select("partitionColumns").head().getList(0));
    }

    @Test
    void nothingIsWrittenBeforeFlush() {
        String path = table();
        DeltaMetricsSink sink = sinkWith(path, rows("r", 1, 5, 0));
        assertEquals(5, sink.buffered());
        assertEquals(List.of(), DeltaMetricsSink.runIds(spark, path)); // the table exists (created at open) but is empty
        long created = version(path);

        assertEquals(5, sink.flush());
        assertEquals(0, sink.buffered());
        assertEquals(created + 1, version(path)); // one commit per flush
        assertEquals(0, sink.flush()); // nothing buffered: no commit
        assertEquals(created + 1, version(path));
        assertEquals(range(1, 5), steps(DeltaMetricsSink.readRun(spark, path, "r")));
    }

    /** A flush retried after its commit landed (a new sink, as after a driver restart) rewrites, never duplicates. */
    @Test
    void reFlushIsIdempotent() {
        String path = table();
        sinkWith(path, rows("r", 1, 10, 0)).flush();
        sinkWith(path, rows("r", 1, 10, 0)).flush();
        DeltaMetricsSink again = sinkWith(path, rows("r", 6, 10, 0));
        again.flush();
        assertEquals(rows("r", 1, 10, 0), DeltaMetricsSink.readRun(spark, path, "r"));
        assertEquals(10L, spark.read().format("delta").load(path).count());
    }

    /**
     * The killed attempt flushed steps 1..15 but its last checkpoint is at 10. The resumed attempt truncates after 10,
     * and is killed and resumed from 10 once more: with Delta's txnAppId/txnVersion the second re-flush of steps up to 15
     * would be skipped (version already seen) and the rows lost; the replace-by-predicate flush keeps them.
     */
    @Test
    void resumeTruncatesRowsAfterTheCheckpointAndSurvivesRepeatedResumes() {
        String path = table();
        sinkWith(path, rows("other", 1, 3, 0)).flush();
        DeltaMetricsSink killed = sinkWith(path, rows("r", 1, 10, 0));
        killed.flush();
        rows("r", 11, 15, 0).forEach(killed::add);
        killed.flush();

        DeltaMetricsSink resumed = new DeltaMetricsSink(spark, path);
        resumed.truncateAfter("r", 10);
        assertEquals(range(1, 10), steps(DeltaMetricsSink.readRun(spark, path, "r"))); // stale rows gone at once
        rows("r", 11, 15, 5_000).forEach(resumed::add);
        resumed.flush();

        DeltaMetricsSink resumedAgain = new DeltaMetricsSink(spark, path);
        resumedAgain.truncateAfter("r", 10);
        rows("r", 11, 20, 9_000).forEach(resumedAgain::add);
        resumedAgain.flush();

        List<StepMetrics> expected = new ArrayList<>(rows("r", 1, 10, 0));
        expected.addAll(rows("r", 11, 20, 9_000));
        assertEquals(expected, DeltaMetricsSink.readRun(spark, path, "r"));
        assertEquals(20L, spark.read().format("delta").load(path).where("run_id = 'r'").count()); // no duplicates
        assertEquals(rows("other", 1, 3, 0), DeltaMetricsSink.readRun(spark, path, "other")); // other runs untouched
    }

    /** Without truncateAfter, the resumed run's first flush (here at another checkpoint step) replaces the stale rows. */
    @Test
    void firstFlushOfAResumedRunReplacesStaleRows() {
        String path = table();
        sinkWith(path, rows("r", 1, 20, 0)).flush();
        sinkWith(path, rows("r", 11, 13, 7_000)).flush();
        List<StepMetrics> expected = new ArrayList<>(rows("r", 1, 10, 0));
        expected.addAll(rows("r", 11, 13, 7_000));
        assertEquals(expected, DeltaMetricsSink.readRun(spark, path, "r"));
    }

    /** Rows appended by hand with a duplicate step: readers keep the later one. */
    @Test
    void readersKeepTheLatestRowOfAStep() {
        String path = table();
        sinkWith(path, rows("r", 1, 3, 0)).flush();
        StepMetrics later = row("r", 2, 60_000);
        spark.createDataFrame(List.of(MetricsSchema.toRow(later)), MetricsSchema.SCHEMA).write().format("delta")
                .mode(SaveMode.Append).save(path);
        assertEquals(List.of(row("r", 1, 0), later, row("r", 3, 0)), DeltaMetricsSink.readRun(spark, path, "r"));
    }

    @Test
    void runIdsWithQuotesAndBackslashes() {
        String path = table();
        String odd = "it's a \\run";
        DeltaMetricsSink sink = sinkWith(path, rows(odd, 1, 3, 0));
        sink.flush();
        rows(odd, 4, 5, 0).forEach(sink::add);
        sink.flush();
        assertEquals(rows(odd, 1, 5, 0), DeltaMetricsSink.readRun(spark, path, odd));
        assertEquals(List.of(odd), DeltaMetricsSink.runIds(spark, path));
    }

    @Test
    void contractErrors() {
        DeltaMetricsSink sink = sinkWith(table(), rows("a", 1, 3, 0));
        MetricsException wrongRun = assertThrows(MetricsException.class, () -> sink.add(row("b", 1, 0)));
        assertEquals(MetricsException.Kind.WRONG_RUN, wrongRun.kind());
        assertEquals("Cannot add the row of run 'b' step 1: rows of run 'a' are buffered.\n"
                + "  cause: a flush writes the rows of one run in one Delta commit, so a buffer holds one run at a time.\n"
                + "  fix:   flush() before adding rows of another run, or use one sink per run.", wrongRun.getMessage());

        MetricsException back = assertThrows(MetricsException.class, () -> sink.add(row("a", 3, 0)));
        assertEquals(MetricsException.Kind.STEP_NOT_INCREASING, back.kind());
        assertEquals("Cannot add step 3 of run 'a': the previous step of the run is 3.\n"
                + "  cause: steps of a run must increase; a flush replaces the run's rows from its first step on, so an "
                + "older step would delete newer rows.\n"
                + "  fix:   add each step once, in order; when resuming from a checkpoint call truncateAfter(runId, "
                + "checkpointStep) first.", back.getMessage());
        sink.flush();
        // the order holds across flushes too, until truncateAfter moves the point back
        assertEquals("Cannot add step 2 of run 'a': the previous step of the run is 3.",
                firstLine(assertThrows(MetricsException.class, () -> sink.add(row("a", 2, 0)))));
        sink.truncateAfter("a", 1);
        sink.add(row("a", 2, 0));

        assertEquals("step = 0; must be >= 1.", firstLine(assertThrows(MetricsException.class, () -> sink.add(row("a", 0, 0)))));
        assertEquals("step = -1; must be >= 0.",
                firstLine(assertThrows(MetricsException.class, () -> sink.truncateAfter("a", -1))));
    }

    @Test
    void missingTable() {
        String path = table();
        MetricsException e = assertThrows(MetricsException.class, () -> DeltaMetricsSink.readRun(spark, path, "r"));
        assertEquals(MetricsException.Kind.TABLE_NOT_FOUND, e.kind());
        assertEquals("No metrics table at '" + path + "'.\n"
                + "  cause: the path does not exist; a metrics table is created by the first training run that writes to "
                + "it (job setting metrics.table, default <data.dir>/metrics).\n"
                + "  fix:   pass the table the run wrote to (lather report <run> --metrics <path>; the run's "
                + "metrics.table), or train first.", e.getMessage());
    }

    @Test
    void notADeltaTable() throws IOException {
        Path notDelta = Files.createDirectories(dir.resolve("parquet"));
        Files.writeString(notDelta.resolve("part-0.txt"), "x");
        String path = notDelta.toString();
        MetricsException read = assertThrows(MetricsException.class, () -> DeltaMetricsSink.readRun(spark, path, "r"));
        assertEquals(MetricsException.Kind.NOT_A_DELTA_TABLE, read.kind());
        assertEquals("'" + path + "' is not a Delta table.\n"
                + "  cause: the path exists and is not empty, but has no _delta_log directory; metrics are stored in a "
                + "Delta table.\n"
                + "  fix:   point at the metrics table (the directory that contains _delta_log), or set metrics.table "
                + "to a new or empty directory.", read.getMessage());
        MetricsException open = assertThrows(MetricsException.class, () -> new DeltaMetricsSink(spark, path));
        assertEquals(read.getMessage(), open.getMessage()); // the sink refuses to write into it
    }

    @Test
    void anotherDeltaTableIsNotAMetricsTable() {
        String path = table();
        spark.sql("SELECT CAST(1 AS BIGINT) AS row_id, 'train' AS split, 'x' AS step").write().format("delta").save(path);
        MetricsException e = assertThrows(MetricsException.class, () -> new DeltaMetricsSink(spark, path));
        assertEquals(MetricsException.Kind.NOT_A_METRICS_TABLE, e.kind());
        assertEquals("Delta table '" + path + "' is not a Lather metrics table: run_id (missing), step (STRING, expected "
                + "BIGINT), epoch (missing), train_loss (missing), eval_loss (missing), eval_accuracy (missing), "
                + "learning_rate (missing), examples (missing), step_ms (missing), data_ms (missing), gradient_ms (missing), "
                + "reduce_ms (missing), optimizer_ms (missing), overhead_ms (missing), eigendecompositions (missing), "
                + "eigendecompositions_skipped (missing), timestamp_millis (missing) (columns present: [row_id, split, step]).",
                firstLine(e));
    }

    @Test
    void newerSchemaVersionIsRefused() {
        String path = table();
        sinkWith(path, rows("r", 1, 2, 0)).flush();
        spark.sql("ALTER TABLE delta.`" + path + "` SET TBLPROPERTIES ('lather.metrics.schema.version' = '2')");
        MetricsException e = assertThrows(MetricsException.class, () -> DeltaMetricsSink.readRun(spark, path, "r"));
        assertEquals(MetricsException.Kind.UNSUPPORTED_SCHEMA_VERSION, e.kind());
        assertEquals("Metrics table '" + path + "' has lather.metrics.schema.version = 2; this Lather reads version 1.",
                firstLine(e));
    }

    @Test
    void emptyTableAndUnknownRun() {
        String path = table();
        DeltaMetricsSink sink = new DeltaMetricsSink(spark, path);
        MetricsException empty = assertThrows(MetricsException.class, () -> DeltaMetricsSink.readRun(spark, path, "r"));
        assertEquals(MetricsException.Kind.EMPTY_TABLE, empty.kind());
        assertEquals("Metrics table '" + path + "' has no rows.\n"
                + "  cause: no run has flushed metrics to it yet: rows are written with each checkpoint (checkpoint.every) "
                + "and at the end of a run.\n"
                + "  fix:   wait for the run's first checkpoint, or check that the run writes to this table "
                + "(metrics.table).", empty.getMessage());

        rows("adamw", 1, 2, 0).forEach(sink::add);
        sink.flush();
        rows("shampoo", 1, 2, 0).forEach(sink::add);
        sink.flush();
        MetricsException unknown = assertThrows(MetricsException.class, () -> DeltaMetricsSink.readRun(spark, path, "shampo"));
        assertEquals(MetricsException.Kind.UNKNOWN_RUN, unknown.kind());
        assertEquals("Run 'shampo' has no rows in metrics table '" + path + "' (runs present: adamw, shampoo). "
                + "Did you mean 'shampoo'?\n"
                + "  cause: the run id is misspelt, the run wrote its metrics to another table, or it has not reached its "
                + "first checkpoint yet.\n"
                + "  fix:   use one of the runs present, or pass the run's table with --metrics <path>.",
                unknown.getMessage());
        assertTrue(firstLine(assertThrows(MetricsException.class, () -> DeltaMetricsSink.readRun(spark, path, "xyz")))
                .endsWith("(runs present: adamw, shampoo)."));
    }

    @Test
    void longRunListsAreCut() {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            many.add(String.format("run-%02d", i));
        }
        assertEquals("Run 'zzz' has no rows in metrics table 'm' (runs present: " + String.join(", ", many.subList(0, 20))
                + " and 5 more).", firstLine(MetricsErrors.unknownRun("m", "zzz", many)));
    }
}
