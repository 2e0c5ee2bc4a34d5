package io.lather.spark.checkpoint;

import static io.lather.spark.checkpoint.CheckpointFixtures.appendRaw;
import static io.lather.spark.checkpoint.CheckpointFixtures.checkpoint;
import static io.lather.spark.checkpoint.CheckpointFixtures.with;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.raise_error;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.tables.DeltaTable;
import io.lather.optimizer.state.HostTensor;
import io.lather.optimizer.state.StateKey;
import io.lather.spark.checkpoint.CheckpointException.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store against real Delta tables in temporary directories and a local Spark session. */
class DeltaCheckpointStoreTest {

    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void session() {
        spark = CheckpointFixtures.spark();
    }

    private String table() {
        return dir.resolve("checkpoints").toString();
    }

    /** (version, operation, userMetadata) of every commit, oldest first. */
    private static List<String> history(String path) {
        List<String> out = new ArrayList<>();
        for (Row r : DeltaTable.forPath(spark, path).history().orderBy("version")
                .select("version", "operation", "userMetadata").collectAsList()) {
            out.add(r.getLong(0) + " " + r.getString(1) + (r.isNullAt(2) ? "" : " " + r.getString(2)));
        }
        return out;
    }

    private static long rowCount(String path) {
        return spark.read().format("delta").load(path).count();
    }

    private static void assertSameCheckpoint(Checkpoint expected, Checkpoint actual) {
        // tensor by tensor, so a failure names the tensor
        assertEquals(List.copyOf(expected.parameters().keySet()), List.copyOf(actual.parameters().keySet()),
                "parameters in model order");
        for (Map.Entry<String, HostTensor> e : expected.parameters().entrySet()) {
            assertEquals(e.getValue(), actual.parameters().get(e.getKey()), e.getKey());
            assertArrayEquals(e.getValue().bytes(), actual.parameters().get(e.getKey()).bytes(), e.getKey());
        }
        for (Map.Entry<StateKey, HostTensor> e : expected.optimizerState().tensors().entrySet()) {
            assertEquals(e.getValue(), actual.optimizerState().tensors().get(e.getKey()), e.getKey().toString());
        }
        assertEquals(expected.optimizerState(), actual.optimizerState());
        assertEquals(expected.metadata(), actual.metadata());
        // DataOrderState holds a long[], so its record equals() compares array identity: compare the components
        DataOrderState a = expected.dataOrder();
        DataOrderState b = actual.dataOrder();
        assertEquals(List.of(a.step(), a.epoch(), a.seed(), a.partitions(), a.batchPerPartition()),
                List.of(b.step(), b.epoch(), b.seed(), b.partitions(), b.batchPerPartition()));
        assertArrayEquals(a.partitionSizes(), b.partitionSizes());
    }

    // ------------------------------------------------------------------------------------------------ round trip

    @Test
    void roundTripIsBitExactForEveryTypeEmptyTensorsAndScalars() {
        DeltaCheckpointStore store = new DeltaCheckpointStore(spark, table(), 3);
        assertEquals(Optional.empty(), store.latest("mlp")); // no table yet: a fresh run, not an error
        Checkpoint written = checkpoint("mlp", 10);

        assertEquals(WriteOutcome.COMMITTED, store.write(written));

        Checkpoint read = store.latest("mlp").orElseThrow();
        assertSameCheckpoint(written, read);
        assertSameCheckpoint(written, store.read("mlp", 10).orElseThrow());
        assertEquals(Optional.empty(), store.read("mlp", 11));
        // NaN payloads, -0.0 and subnormals survive (HostTensor.equals compares bytes)
        assertEquals(0x7fc01234, Float.floatToRawIntBits(
                java.nio.ByteBuffer.wrap(read.parameters().get("dense2/W").bytes()).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                        .getFloat(12)));
        assertEquals(CheckpointDigests.parameters(written.parameters()), CheckpointDigests.parameters(read.parameters()));

        // the documented layout
        assertEquals(List.of(CheckpointTable.SCHEMA.fieldNames()),
                List.of(spark.read().format("delta").load(store.path()).schema().fieldNames()));
        assertEquals(List.of("run_id", "step"),
                DeltaTable.forPath(spark, store.path()).detail().select("partitionColumns").head().getList(0));
        assertEquals(1 + 5 + 8, rowCount(store.path()));
        assertEquals(List.of("0 WRITE lather checkpoint run_id=mlp step=10"), history(store.path()));
        // and the doc's plain-SQL query works
        List<Row> shapes = spark.sql("SELECT name, dtype, shape FROM delta.`" + store.path() + "` WHERE run_id = 'mlp' "
                + "AND step = 10 AND kind = 'parameter' ORDER BY ordinal").collectAsList();
        assertEquals("[dense2/W,float32,ArraySeq(2, 3)]", shapes.get(0).toString());
        assertEquals("[temperature,float32,ArraySeq()]", shapes.get(3).toString());
    }

    // ------------------------------------------------------------------------------------------------ idempotency

    @Test
    void retriedWriteIsANoOpThanksToTheDeltaTransactionId() {
        DeltaCheckpointStore store = new DeltaCheckpointStore(spark, table(), 5);
        Checkpoint c = checkpoint("run-a", 20);
        assertEquals(WriteOutcome.COMMITTED, store.write(c));
        long rows = rowCount(store.path());

        assertEquals(WriteOutcome.ALREADY_COMMITTED, store.write(c));
        assertEquals(WriteOutcome.ALREADY_COMMITTED, store.write(checkpoint("run-a", 20))); // rebuilt, equal content

        assertEquals(List.of("0 WRITE lather checkpoint run_id=run-a step=20"), history(store.path()));
        assertEquals(rows, rowCount(store.path()));
        assertSameCheckpoint(c, store.latest("run-a").orElseThrow());
    }

    @Test
    void deltaSkipsLowerTxnVersionsSoAResumedRunRepairsMissingOrDamagedCheckpoints() {
        DeltaCheckpointStore store = new DeltaCheckpointStore(spark, table(), DeltaCheckpointStore.KEEP_ALL);
        for (long s = 1; s <= 3; s++) {
            store.write(checkpoint("r", s));
        }
        // Delta's own behaviour: an append with txnVersion 2 after 3 is skipped without error
        CheckpointRows.Encoded again = CheckpointRows.encode(checkpoint("r", 2));
        spark.createDataFrame(again.rows(), CheckpointTable.SCHEMA).write().format("delta").mode(SaveMode.Append)
                .option("txnAppId", "r").option("txnVersion", 2L).save(store.path());
        assertEquals(3, history(store.path()).size());

        // the run is resumed from step 1 after step 2 was deleted: step 2 must be written again, not skipped
        spark.sql("DELETE FROM delta.`" + store.path() + "` WHERE run_id = 'r' AND step = 2");
        assertEquals(List.of(1L, 3L), store.steps("r"));
        assertEquals(WriteOutcome.REPLACED, store.write(checkpoint("r", 2)));
        assertSameCheckpoint(checkpoint("r", 2), store.read("r", 2).orElseThrow());
        // step 3 is identical when the run gets there again; if it is not (a non-deterministic run), it is replaced
        assertEquals(WriteOutcome.ALREADY_COMMITTED, store.write(checkpoint("r", 3)));
        assertEquals(WriteOutcome.REPLACED, store.write(checkpoint("r", 3, 99)));
        assertSameCheckpoint(checkpoint("r", 3, 99), store.latest("r").orElseThrow());
        List<String> h = history(store.path());
        assertEquals("3 DELETE", h.get(3));
        assertEquals("4 WRITE lather checkpoint run_id=r step=2 (replace)", h.get(4));
        assertEquals("5 WRITE lather checkpoint run_id=r step=3 (replace)", h.get(5));
        assertEquals(6, h.size());
    }

    @Test
    void aWriteThatFailsMidJobCommitsNothingSoThePreviousCheckpointStaysAndTheRetryCommits() {
        DeltaCheckpointStore store = new DeltaCheckpointStore(spark, table(), DeltaCheckpointStore.KEEP_ALL);
        store.write(checkpoint("c", 1));
        // the store's own write, except that the task dies once it reaches the optimizer-state rows
        Dataset<Row> dying = spark.createDataFrame(CheckpointRows.encode(checkpoint("c", 2)).rows(), CheckpointTable.SCHEMA)
                .coalesce(1).withColumn(CheckpointTable.DATA, when(col(CheckpointTable.KIND).equalTo(
                        CheckpointTable.KIND_OPTIMIZER_STATE), raise_error(lit("simulated crash")))
                        .otherwise(col(CheckpointTable.DATA)));
        assertThrows(Exception.class, () -> dying.write().format("delta").mode(SaveMode.Append)
                .partitionBy(CheckpointTable.RUN_ID, CheckpointTable.STEP).option("txnAppId", "c").option("txnVersion", 2L)
                .save(store.path()));

        assertEquals(1, history(store.path()).size());
        assertEquals(List.of(1L), store.steps("c"));
        assertSameCheckpoint(checkpoint("c", 1), store.latest("c").orElseThrow());
        // no transaction id was recorded, so the retry is a normal commit
        assertEquals(WriteOutcome.COMMITTED, store.write(checkpoint("c", 2)));
        assertSameCheckpoint(checkpoint("c", 2), store.latest("c").orElseThrow());
    }

    // ------------------------------------------------------------------------------------------------ retention

    @Test
    void retentionKeepsTheNewestKAndDeletesInALaterCommit() {
        DeltaCheckpointStore store = new DeltaCheckpointStore(spark, table(), 2);
        for (long s = 100; s <= 400; s += 100) {
            store.write(checkpoint("ret", s));
        }
        assertEquals(List.of(300L, 400L), store.steps("ret"));
        assertEquals(List.of(
                "0 WRITE lather checkpoint run_id=ret step=100",
                "1 WRITE lather checkpoint run_id=ret step=200",
                "2 WRITE lather checkpoint run_id=ret step=300",
                "3 DELETE",
                "4 WRITE lather checkpoint run_id=ret step=400",
                "5 DELETE"), history(store.path()));
        // never before: at the commit that added step 300, step 100 was still there
        String at2 = "SELECT DISTINCT step FROM delta.`" + store.path() + "` VERSION AS OF %d ORDER BY step";
        assertEquals("[[100], [200], [300]]", spark.sql(String.format(at2, 2)).collectAsList().toString());
        assertEquals("[[200], [300]]", spark.sql(String.format(at2, 3)).collectAsList().toString());
        // the deletion only removes whole files (partition predicate), and old versions stay readable until VACUUM
        Row metrics = DeltaTable.forPath(spark, store.path()).history().where("version = 5").select("operationMetrics")
                .head();
        assertEquals("0", metrics.<String, String>getJavaMap(0).get("numAddedFiles"));
        assertTrue(store.latest("ret").isPresent());

        assertEquals("keepLast = 0; must be >= 1.\n  cause: the caller passed a value outside the valid range.\n  "
                + "fix:   pass keepLast >= 1.", assertThrows(CheckpointException.class,
                        () -> new DeltaCheckpointStore(spark, table(), 0)).getMessage());
    }

    @Test
    void runsShareATableWithoutTouchingEachOther() {
        DeltaCheckpointStore keepOne = new DeltaCheckpointStore(spark, table(), 1);
        keepOne.write(checkpoint("alpha", 1));
        keepOne.write(checkpoint("beta", 1));
        keepOne.write(checkpoint("alpha", 2));
        keepOne.write(checkpoint("beta", 5));
        keepOne.write(checkpoint("alpha", 3));

        assertEquals(List.of("alpha", "beta"), keepOne.runs());
        assertEquals(List.of(3L), keepOne.steps("alpha"));
        assertEquals(List.of(5L), keepOne.steps("beta"));
        assertSameCheckpoint(checkpoint("alpha", 3), keepOne.latest("alpha").orElseThrow());
        assertSameCheckpoint(checkpoint("beta", 5), keepOne.latest("beta").orElseThrow());
        assertEquals(Optional.empty(), keepOne.latest("gamma")); // a new run in a shared table starts fresh

        CheckpointException e = assertThrows(CheckpointException.class, () -> keepOne.requireLatest("alhpa"));
        assertEquals(Kind.UNKNOWN_RUN, e.kind());
        assertEquals("Run 'alhpa' has no checkpoint in '" + keepOne.path() + "' (runs present: alpha, beta).\n"
                + "  cause: the run id is misspelt, the run wrote its checkpoints to another directory, or it has not "
                + "reached its first checkpoint (checkpoint.every) yet.\n"
                + "  fix:   use one of the runs present (lather inspect " + keepOne.path() + " lists them), or pass the "
                + "run's checkpoint.dir.", e.getMessage());
        e = assertThrows(CheckpointException.class, () -> keepOne.require("beta", 4));
        assertEquals(Kind.UNKNOWN_STEP, e.kind());
        assertTrue(e.getMessage().startsWith("Run 'beta' has no checkpoint at step 4 in '" + keepOne.path()
                + "' (steps present: 5).\n"), e.getMessage());
    }

    // ------------------------------------------------------------------------------------------------ corruption

    @Test
    void latestSkipsIncompleteAndDamagedCheckpointsAndNamesThem() {
        DeltaCheckpointStore store = new DeltaCheckpointStore(spark, table(), DeltaCheckpointStore.KEEP_ALL);
        String p = store.path();
        store.write(checkpoint("run", 1));
        store.write(checkpoint("run", 2));

        // step 3: a broken writer lost a parameter row
        List<Row> rows = new ArrayList<>(CheckpointRows.encode(checkpoint("run", 3)).rows());
        rows.remove(2);
        appendRaw(spark, p, rows);
        // step 4: one bit of one tensor flipped after the write (CRC-32 left as written)
        rows = new ArrayList<>(CheckpointRows.encode(checkpoint("run", 4)).rows());
        Row w = rows.get(1);
        byte[] data = ((byte[]) w.get(CheckpointTable.index(CheckpointTable.DATA))).clone();
        data[5] ^= 0x10;
        rows.set(1, with(w, CheckpointTable.DATA, data));
        appendRaw(spark, p, rows);

        assertSameCheckpoint(checkpoint("run", 2), store.latest("run").orElseThrow());

        CheckpointException crc = assertThrows(CheckpointException.class, () -> store.read("run", 4));
        assertEquals(Kind.CORRUPT_CHECKPOINT, crc.kind());
        long bad = crc32(data);
        assertEquals("Checkpoint of run 'run' at step 4 in '" + p + "' is damaged: parameter 'dense2/W': the CRC-32 of "
                + "its 24 stored bytes is " + bad + " but the row records " + checkpoint("run", 4).parameters()
                        .get("dense2/W").checksum() + ".\n"
                + "  cause: the stored bytes changed after the write (a storage fault, or a data file damaged or edited "
                + "by hand); a Lather write stores each tensor with the CRC-32 and digest of exactly the bytes it wrote.\n"
                + "  fix:   resume from an earlier step with --resume-step or delete the damaged checkpoint (earlier "
                + "checkpoints of the run: steps 1, 2, 3): DELETE FROM delta.`" + p + "` WHERE run_id = 'run' AND "
                + "step = 4 — the newest remaining valid checkpoint is then used.", crc.getMessage());

        CheckpointException count = assertThrows(CheckpointException.class, () -> store.require("run", 3));
        assertTrue(count.getMessage().startsWith("Checkpoint of run 'run' at step 3 in '" + p + "' is incomplete: the "
                + "metadata row records 5 parameter tensors but the table holds 4 parameter rows.\n  cause: Lather writes "
                + "all rows of a checkpoint in one atomic Delta commit"), count.getMessage());
        assertTrue(count.getMessage().contains("DELETE FROM delta.`" + p + "` WHERE run_id = 'run' AND step = 3"));

        // the inspect report marks the incomplete one (row counts); the CRC damage needs a full read to see
        String report = store.inspectReport();
        assertTrue(report.contains("    INCOMPLETE: the metadata row records 5 parameter tensors, the table holds 4 "
                + "parameter rows; latest() skips it; delete it with DELETE FROM delta.`" + p
                + "` WHERE run_id = 'run' AND step = 3\n"), report);
        assertFalse(store.list().get(2).complete());
        assertTrue(store.list().get(3).complete());
    }

    @Test
    void consistentlyRewrittenBytesAreCaughtByTheDigestAndNothingValidIsAnError() {
        DeltaCheckpointStore store = new DeltaCheckpointStore(spark, table(), DeltaCheckpointStore.KEEP_ALL);
        String p = store.path();
        // step 1: an optimizer-state tensor changed with a matching CRC-32: only the digest notices
        List<Row> rows = new ArrayList<>(CheckpointRows.encode(checkpoint("d", 1)).rows());
        int last = rows.size() - 1;
        byte[] data = ((byte[]) rows.get(last).get(CheckpointTable.index(CheckpointTable.DATA))).clone();
        data[0] ^= 1;
        rows.set(last, with(with(rows.get(last), CheckpointTable.DATA, data), CheckpointTable.CRC32, crc32(data)));
        appendRaw(spark, p, rows);
        // step 2: no metadata row at all
        rows = new ArrayList<>(CheckpointRows.encode(checkpoint("d", 2)).rows());
        rows.remove(0);
        appendRaw(spark, p, rows);

        CheckpointException e = assertThrows(CheckpointException.class, () -> store.read("d", 1));
        assertTrue(e.getMessage().startsWith("Checkpoint of run 'd' at step 1 in '" + p + "' is damaged: the optimizer "
                + "state: its SHA-256 digest is "), e.getMessage());
        assertTrue(e.getMessage().contains(" but the metadata row records "
                + CheckpointDigests.optimizerState(checkpoint("d", 1).optimizerState())
                + " (every CRC-32 matches, so a row was rewritten or swapped consistently).\n"), e.getMessage());
        assertTrue(e.getMessage().contains("(the run has no earlier checkpoint)"), e.getMessage());

        e = assertThrows(CheckpointException.class, () -> store.latest("d"));
        assertEquals(Kind.CORRUPT_CHECKPOINT, e.kind());
        assertEquals("Run 'd' has 2 checkpoint(s) in '" + p + "' (steps 1, 2) and none is valid. The newest: Checkpoint "
                + "of run 'd' at step 2 in '" + p + "' is incomplete: it has 5 parameter and 8 optimizer-state rows but "
                + "no metadata row.\n"
                + "  cause: every checkpoint of the run failed validation (CRC-32, row counts or digests); see the log "
                + "for each.\n"
                + "  fix:   restart the run from scratch after deleting its checkpoints (DELETE FROM delta.`" + p
                + "` WHERE run_id = 'd'), or under a new run.id; if a later commit damaged the table, RESTORE TABLE "
                + "delta.`" + p + "` TO VERSION AS OF <v> brings back an earlier state (DESCRIBE HISTORY lists the "
                + "versions).", e.getMessage());
    }

    @Test
    void newerFormatIsRefusedNotSkipped() {
        DeltaCheckpointStore store = new DeltaCheckpointStore(spark, table(), DeltaCheckpointStore.KEEP_ALL);
        store.write(checkpoint("v", 1));
        List<Row> rows = new ArrayList<>();
        for (Row r : CheckpointRows.encode(checkpoint("v", 2)).rows()) {
            rows.add(with(r, CheckpointTable.FORMAT_VERSION_COLUMN, 2));
        }
        appendRaw(spark, store.path(), rows);

        CheckpointException e = assertThrows(CheckpointException.class, () -> store.latest("v"));
        assertEquals(Kind.UNSUPPORTED_FORMAT_VERSION, e.kind());
        assertEquals("Checkpoint of run 'v' at step 2 in '" + store.path() + "' has format version 2; this Lather reads "
                + "format versions up to 1.\n"
                + "  cause: the checkpoint was written by a newer Lather; reading it with this one could misinterpret its "
                + "rows.\n"
                + "  fix:   resume with a Lather that reads format 2 (the version that wrote it, or newer).", e.getMessage());
        assertTrue(store.inspectReport().contains("\n    NEWER FORMAT: format version 2 is newer than this Lather reads (1); "
                + "read it with a Lather that reads format 2\n"), store.inspectReport());
    }

    // ------------------------------------------------------------------------------------------------ wrong paths

    @Test
    void wrongPathsAreNamed() throws IOException {
        Path plain = Files.createDirectories(dir.resolve("plain"));
        Files.writeString(plain.resolve("notes.txt"), "not a table");
        DeltaCheckpointStore notDelta = new DeltaCheckpointStore(spark, plain.toString(), 1);
        CheckpointException e = assertThrows(CheckpointException.class, () -> notDelta.latest("r"));
        assertEquals(Kind.NOT_A_DELTA_TABLE, e.kind());
        assertEquals("'" + plain + "' is not a Delta table, so it cannot be a Lather checkpoint directory.\n"
                + "  cause: the path exists and is not empty, but has no _delta_log directory; Lather checkpoints are "
                + "stored in a Delta table.\n"
                + "  fix:   point at the checkpoint directory (the one that contains _delta_log), or set checkpoint.dir "
                + "to a new or empty directory.", e.getMessage());
        assertThrows(CheckpointException.class, () -> notDelta.write(checkpoint("r", 1)));

        String other = dir.resolve("metrics").toString();
        spark.sql("SELECT 'r' AS run_id, CAST(1 AS BIGINT) AS step, 0.5 AS loss").write().format("delta").save(other);
        CheckpointException schema = assertThrows(CheckpointException.class,
                () -> new DeltaCheckpointStore(spark, other, 1).write(checkpoint("r", 1)));
        assertEquals(Kind.NOT_A_CHECKPOINT_TABLE, schema.kind());
        assertTrue(schema.getMessage().startsWith("Delta table '" + other + "' is not a Lather checkpoint table: "
                + "format_version (missing), kind (missing), ordinal (missing)"), schema.getMessage());
        assertTrue(schema.getMessage().contains(", crc32 (missing), "), schema.getMessage());
        assertTrue(schema.getMessage().contains("data_partition_sizes (missing) (columns present: [run_id, step, loss]).\n"),
                schema.getMessage());

        DeltaCheckpointStore nothing = new DeltaCheckpointStore(spark, dir.resolve("nothing").toString(), 1);
        assertEquals(List.of(), nothing.list());
        assertEquals(Optional.empty(), nothing.read("r", 1));
        assertEquals("No checkpoint table at '" + nothing.path() + "'.\n"
                + "  cause: the path does not exist; the checkpoint table is created by the first checkpoint a training "
                + "run writes (job setting checkpoint.dir).\n"
                + "  fix:   pass the directory the run wrote its checkpoints to (the one that contains _delta_log), or "
                + "train first.", assertThrows(CheckpointException.class, nothing::inspectReport).getMessage());
    }

    @Test
    void inconsistentCheckpointsAreRefusedBeforeWriting() {
        DeltaCheckpointStore store = new DeltaCheckpointStore(spark, table(), 1);
        Checkpoint ok = checkpoint("r", 5);
        Checkpoint badRun = new Checkpoint(ok.parameters(), ok.optimizerState(), ok.dataOrder(),
                new CheckpointMetadata("my run", 5, "", "", Map.of(), "", 0, 0));
        CheckpointException e = assertThrows(CheckpointException.class, () -> store.write(badRun));
        assertEquals(Kind.INVALID_CHECKPOINT, e.kind());
        assertEquals("Cannot write checkpoint: run id 'my run' must be non-empty and use only letters, digits, '.', '_' "
                + "and '-' (the run.id alphabet).\n"
                + "  cause: the training loop built an inconsistent Checkpoint; nothing was written.\n"
                + "  fix:   build the checkpoint from one consistent snapshot (see Checkpoint and "
                + "docs/CHECKPOINT_FORMAT.md).", e.getMessage());
        Checkpoint badOrder = new Checkpoint(ok.parameters(), ok.optimizerState(),
                new DataOrderState(4, 0, 42, 2, 16, new long[] {500, 499}), ok.metadata());
        assertTrue(assertThrows(CheckpointException.class, () -> store.write(badOrder)).getMessage().startsWith(
                "Cannot write checkpoint: run 'r' step 5: dataOrder.step = 4 differs from metadata.step = 5"));
        assertFalse(Files.exists(dir.resolve("checkpoints")));
    }

    // ------------------------------------------------------------------------------------------------ list / inspect

    @Test
    void listAndInspectShowEveryRunStepAndDigest() {
        DeltaCheckpointStore store = new DeltaCheckpointStore(spark, table(), 2);
        store.write(checkpoint("cnn", 50));
        store.write(checkpoint("mlp", 10));
        store.write(checkpoint("mlp", 20));

        List<CheckpointSummary> list = store.list();
        assertEquals(3, list.size());
        CheckpointSummary s = list.get(1);
        Checkpoint c = checkpoint("mlp", 10);
        assertEquals(new CheckpointSummary("mlp", 10, 1, 1_700_000_000_010L, "shampoo", 1, 5, 8,
                CheckpointDigests.parameters(c.parameters()), CheckpointDigests.optimizerState(c.optimizerState()),
                CheckpointDigests.config(c.metadata().config()), c.metadata().compatibilityDigest(), 1, 5, 8), s);
        assertTrue(s.complete());
        // the plain-SQL listing of docs/CHECKPOINT_FORMAT.md §9 shows the same
        Row sql = spark.sql("SELECT run_id, step, timestamp_millis(created_at_ms) AS written, parameters_sha256, "
                + "optimizer_state_sha256 FROM delta.`" + store.path() + "` WHERE kind = 'metadata' ORDER BY run_id, step")
                .collectAsList().get(1);
        assertEquals(List.of("mlp", 10L, s.parametersDigest(), s.optimizerStateDigest()),
                List.of(sql.get(0), sql.get(1), sql.get(3), sql.get(4)));
        assertEquals(1_700_000_000_010L, sql.getTimestamp(2).getTime());

        String report = new DeltaCheckpointStore(spark, table(), DeltaCheckpointStore.KEEP_ALL).inspectReport();
        assertTrue(report.startsWith("Lather checkpoint table " + store.path() + "\n2 run(s), 3 checkpoint(s); "
                + "checkpoint format 1; digests are SHA-256 (docs/CHECKPOINT_FORMAT.md)\n\nrun 'cnn': 1 checkpoint(s), "
                + "steps 50\n  step 50  written 2023-11-14T22:13:20.050Z  optimizer shampoo (state format 1)\n"), report);
        assertTrue(report.contains("\nrun 'mlp': 2 checkpoint(s), steps 10, 20\n  step 10  written "
                + "2023-11-14T22:13:20.010Z  optimizer shampoo (state format 1)\n"
                + "    parameters           5 tensors  sha256 " + s.parametersDigest() + "\n"
                + "    optimizer state      8 tensors  sha256 " + s.optimizerStateDigest() + "\n"
                + "    config                          sha256 " + s.configDigest() + "\n"
                + "    compatibility                   c0ffee3\n"), report);
        assertFalse(report.contains("INCOMPLETE"));
    }

    private static long crc32(byte[] data) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(data);
        return crc.getValue();
    }
}
