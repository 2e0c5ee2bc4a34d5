package io.lather.spark.checkpoint;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;

import io.delta.tables.DeltaTable;
import io.lather.optimizer.state.HostTensor;
import io.lather.optimizer.state.OptimizerState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpoints of training runs in one Delta table (the checkpoint directory), in the format of
 * {@code docs/CHECKPOINT_FORMAT.md}.
 *
 * <ul>
 *   <li><b>One commit per checkpoint.</b> {@link #write} appends every row of a checkpoint (metadata, parameters,
 *       optimizer state) in a single Delta commit, so readers see all of it or none of it, and a crash mid-write leaves
 *       the table at the previous commit with the previous checkpoint intact.</li>
 *   <li><b>Idempotent.</b> The commit carries Delta's {@code txnAppId = runId}, {@code txnVersion = step}: Delta skips a
 *       write whose version is not above the run's last committed one, so a retried write is a no-op. Because Delta
 *       also skips <em>lower</em> steps, a run resumed from an earlier step would silently lose its checkpoints; the
 *       store detects the skip and, when the stored checkpoint at that step is missing, damaged or different, replaces
 *       it in one {@code replaceWhere} commit ({@link WriteOutcome}).</li>
 *   <li><b>Retention.</b> After the checkpoint is committed, the oldest checkpoints of the run beyond the newest
 *       {@code keepLast} are deleted in a separate commit (never before the new one is committed). Deleted files stay
 *       on disk until the user runs {@code VACUUM}.</li>
 *   <li><b>Strict reads.</b> {@link #latest} and {@link #read} check every CRC-32, row count, type, shape and digest;
 *       {@link #latest} falls back to the newest valid checkpoint and logs why the newer ones were skipped.</li>
 * </ul>
 *
 * <p>Errors are {@link CheckpointException}s worded in {@link CheckpointErrors}. The store is not thread-safe; one
 * writer per run (any number of runs may share a table).
 */
public final class DeltaCheckpointStore {

    /** {@code keepLast} value that disables retention (e.g. for read-only use such as {@code lather inspect}). */
    public static final int KEEP_ALL = Integer.MAX_VALUE;

    private static final Logger LOG = LoggerFactory.getLogger(DeltaCheckpointStore.class);

    private final SparkSession spark;
    private final String path;
    private final int keepLast;

    /**
     * @param spark a session with Delta enabled (see {@code LatherSparkSessions})
     * @param path the checkpoint directory: a Delta table, or a missing or empty directory (created by the first write);
     *     local paths are made absolute
     * @param keepLast checkpoints kept per run, ≥ 1 ({@link #KEEP_ALL} keeps every one)
     */
    public DeltaCheckpointStore(SparkSession spark, String path, int keepLast) {
        if (keepLast < 1) {
            throw CheckpointErrors.invalidArgument("keepLast", keepLast, ">= 1");
        }
        if (path == null || path.isBlank()) {
            throw CheckpointErrors.invalidArgument("path", path == null ? "null" : "'" + path + "'",
                    "a directory path or URI");
        }
        this.spark = spark;
        this.path = io.lather.datasets.LatherTable.qualify(path);
        this.keepLast = keepLast;
    }

    /** @return the table location (absolute for local paths) */
    public String path() {
        return path;
    }

    /** @return checkpoints kept per run */
    public int keepLast() {
        return keepLast;
    }

    /**
     * The parameter digest printed by the training job and compared by the resume test.
     *
     * @param parameters model parameters
     * @return {@link CheckpointDigests#parameters}
     */
    public static String parameterDigest(Map<String, HostTensor> parameters) {
        return CheckpointDigests.parameters(parameters);
    }

    /**
     * The optimizer-state digest printed by the training job and compared by the resume test.
     *
     * @param state optimizer state
     * @return {@link CheckpointDigests#optimizerState}
     */
    public static String optimizerStateDigest(OptimizerState state) {
        return CheckpointDigests.optimizerState(state);
    }

    // ------------------------------------------------------------------------------------------------ write

    /**
     * Stores a checkpoint in one Delta commit, then applies retention to its run.
     *
     * @param checkpoint the checkpoint; its run id must match {@link CheckpointTable#RUN_ID_PATTERN}, its step be ≥ 0
     *     and equal to {@code dataOrder().step()}
     * @return what was done; in every case the table then holds this content at the run and step
     * @throws CheckpointException INVALID_CHECKPOINT before anything is written, NOT_A_DELTA_TABLE or
     *     NOT_A_CHECKPOINT_TABLE for a wrong path
     */
    public WriteOutcome write(Checkpoint checkpoint) {
        CheckpointRows.Encoded encoded = CheckpointRows.encode(checkpoint);
        String runId = checkpoint.metadata().runId();
        long step = checkpoint.metadata().step();
        boolean exists = open();
        long before = exists ? latestVersion() : -1;
        String tag = commitTag(runId, step);

        rows(encoded.rows()).write().format("delta").mode(SaveMode.Append)
                .partitionBy(CheckpointTable.PARTITION_COLUMNS.toArray(String[]::new))
                .option("txnAppId", runId)
                .option("txnVersion", step)
                .option("userMetadata", tag)
                .save(path);

        WriteOutcome outcome;
        if (committedSince(before, tag)) {
            outcome = WriteOutcome.COMMITTED;
        } else {
            outcome = afterSkippedWrite(encoded, runId, step, tag);
        }
        List<Long> deleted = applyRetention(runId, step);
        if (!deleted.isEmpty()) {
            LOG.info("checkpoint retention in {}: deleted run '{}' steps {} (keeping the newest {}); VACUUM reclaims "
                    + "the files", path, runId, deleted, keepLast);
        }
        return outcome;
    }

    /**
     * Delta skipped the write: the run's recorded {@code txnVersion} is already ≥ step. Either this is a retry (the
     * same checkpoint is stored: nothing to do), or the run went back to an earlier step and the stored checkpoint at
     * this step is missing, damaged or different: replace it, atomically, in one commit.
     */
    private WriteOutcome afterSkippedWrite(CheckpointRows.Encoded encoded, String runId, long step, String tag) {
        String why;
        try {
            Optional<Checkpoint> stored = read(runId, step);
            if (stored.isPresent()) {
                String pd = CheckpointDigests.parameters(stored.get().parameters());
                String sd = CheckpointDigests.optimizerState(stored.get().optimizerState());
                if (pd.equals(encoded.parametersDigest()) && sd.equals(encoded.optimizerStateDigest())) {
                    return WriteOutcome.ALREADY_COMMITTED;
                }
                why = "the stored checkpoint has different content (parameters " + pd + ", optimizer state " + sd
                        + "; writing " + encoded.parametersDigest() + ", " + encoded.optimizerStateDigest()
                        + ") — a resumed run that does not repeat the original bit for bit";
            } else {
                why = "no checkpoint is stored at this step (deleted, or never written by the earlier attempt)";
            }
        } catch (CheckpointException e) {
            if (e.kind() != CheckpointException.Kind.CORRUPT_CHECKPOINT) {
                throw e;
            }
            why = "the stored checkpoint is damaged: " + e.getMessage().lines().findFirst().orElse("");
        }
        LOG.warn("checkpoint of run '{}' at step {} in {}: Delta skipped the write because the run already committed "
                + "this or a later step (txnAppId '{}'), and {}; replacing the rows of this run and step in one commit",
                runId, step, path, runId, why);
        rows(encoded.rows()).write().format("delta").mode(SaveMode.Overwrite)
                .partitionBy(CheckpointTable.PARTITION_COLUMNS.toArray(String[]::new))
                .option("replaceWhere", CheckpointTable.RUN_ID + " = '" + runId + "' AND " + CheckpointTable.STEP + " = "
                        + step)
                .option("userMetadata", tag + " (replace)")
                .save(path);
        return WriteOutcome.REPLACED;
    }

    /**
     * Keeps the newest {@code keepLast} checkpoints of the run among those at or before {@code step}, deleting the
     * others in one commit. Checkpoints after {@code step} (left by an attempt that went further before the run was
     * resumed from an earlier step) are not touched: the resumed run rewrites or confirms them when it gets there.
     */
    private List<Long> applyRetention(String runId, long step) {
        if (keepLast == KEEP_ALL) {
            return List.of();
        }
        List<Long> upTo = new ArrayList<>();
        for (long s : stepsIn(runId)) {
            if (s <= step) {
                upTo.add(s);
            }
        }
        if (upTo.size() <= keepLast) {
            return List.of();
        }
        List<Long> doomed = List.copyOf(upTo.subList(0, upTo.size() - keepLast));
        // Partition-column predicate: Delta removes whole files in a metadata-only commit, no data is rewritten.
        DeltaTable.forPath(spark, path).delete(col(CheckpointTable.RUN_ID).equalTo(runId)
                .and(col(CheckpointTable.STEP).isin(doomed.toArray())));
        return doomed;
    }

    private Dataset<Row> rows(List<Row> rows) {
        // One file per checkpoint: a local relation is otherwise split over the session's default parallelism.
        return spark.createDataFrame(rows, CheckpointTable.SCHEMA).coalesce(1);
    }

    /** The {@code userMetadata} of a checkpoint commit, shown by {@code DESCRIBE HISTORY}. */
    static String commitTag(String runId, long step) {
        return "lather checkpoint run_id=" + runId + " step=" + step;
    }

    private long latestVersion() {
        return DeltaTable.forPath(spark, path).history(1).select("version").head().getLong(0);
    }

    /** True when a commit after {@code before} carries {@code tag}: our append committed (false: Delta skipped it). */
    private boolean committedSince(long before, String tag) {
        long after = latestVersion();
        if (after <= before) {
            return false;
        }
        int n = (int) Math.min(after - before, Integer.MAX_VALUE);
        for (Row r : DeltaTable.forPath(spark, path).history(n).select("version", "userMetadata").collectAsList()) {
            if (r.getLong(0) > before && !r.isNullAt(1) && tag.equals(r.getString(1))) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------------------------------------ read

    /**
     * The newest valid checkpoint of a run. A newer checkpoint that fails validation (damaged or incomplete) is skipped
     * with a warning in the log that names it and says how to remove it.
     *
     * @param runId the run
     * @return the checkpoint, or empty when the table does not exist yet or holds no checkpoint of the run
     * @throws CheckpointException CORRUPT_CHECKPOINT when the run has checkpoints but none is valid;
     *     UNSUPPORTED_FORMAT_VERSION when the newest one is in a newer format; NOT_A_DELTA_TABLE,
     *     NOT_A_CHECKPOINT_TABLE
     */
    public Optional<Checkpoint> latest(String runId) {
        if (!open()) {
            return Optional.empty();
        }
        List<Long> steps = stepsIn(runId);
        if (steps.isEmpty()) {
            return Optional.empty();
        }
        CheckpointException newest = null;
        for (int i = steps.size() - 1; i >= 0; i--) {
            try {
                return Optional.of(readValidated(runId, steps.get(i), steps.subList(0, i)));
            } catch (CheckpointException e) {
                if (e.kind() != CheckpointException.Kind.CORRUPT_CHECKPOINT) {
                    throw e;
                }
                LOG.warn("skipping checkpoint of run '{}' at step {}, trying an earlier one:\n{}", runId, steps.get(i),
                        e.getMessage());
                if (newest == null) {
                    newest = e;
                }
            }
        }
        throw CheckpointErrors.noValidCheckpoint(path, runId, steps, newest);
    }

    /**
     * {@link #latest}, but an error when there is nothing to return.
     *
     * @param runId the run
     * @return the newest valid checkpoint
     * @throws CheckpointException TABLE_NOT_FOUND, UNKNOWN_RUN (listing the runs present), and those of {@link #latest}
     */
    public Checkpoint requireLatest(String runId) {
        if (!open()) {
            throw CheckpointErrors.tableNotFound(path);
        }
        return latest(runId).orElseThrow(() -> CheckpointErrors.unknownRun(path, runId, runsIn()));
    }

    /**
     * One checkpoint, strictly validated.
     *
     * @param runId the run
     * @param step the step
     * @return the checkpoint, or empty when the table does not exist or has no checkpoint at this run and step
     * @throws CheckpointException CORRUPT_CHECKPOINT (naming run, step and tensor), UNSUPPORTED_FORMAT_VERSION,
     *     NOT_A_DELTA_TABLE, NOT_A_CHECKPOINT_TABLE
     */
    public Optional<Checkpoint> read(String runId, long step) {
        if (!open()) {
            return Optional.empty();
        }
        List<Long> steps = stepsIn(runId);
        int i = steps.indexOf(step);
        if (i < 0) {
            return Optional.empty();
        }
        return Optional.of(readValidated(runId, step, steps.subList(0, i)));
    }

    /**
     * {@link #read}, but an error when there is nothing to return.
     *
     * @param runId the run
     * @param step the step
     * @return the checkpoint
     * @throws CheckpointException TABLE_NOT_FOUND, UNKNOWN_RUN (listing the runs), UNKNOWN_STEP (listing the steps),
     *     and those of {@link #read}
     */
    public Checkpoint require(String runId, long step) {
        if (!open()) {
            throw CheckpointErrors.tableNotFound(path);
        }
        List<Long> steps = stepsIn(runId);
        if (steps.isEmpty()) {
            throw CheckpointErrors.unknownRun(path, runId, runsIn());
        }
        int i = steps.indexOf(step);
        if (i < 0) {
            throw CheckpointErrors.unknownStep(path, runId, step, steps);
        }
        return readValidated(runId, step, steps.subList(0, i));
    }

    private Checkpoint readValidated(String runId, long step, List<Long> earlierSteps) {
        List<Row> rows = table().where(col(CheckpointTable.RUN_ID).equalTo(runId).and(col(CheckpointTable.STEP).equalTo(step)))
                .select(schemaColumns()).collectAsList();
        return CheckpointRows.decode(path, runId, step, rows, List.copyOf(earlierSteps));
    }

    /**
     * @return the runs with at least one row in the table, sorted; empty when the table does not exist
     */
    public List<String> runs() {
        return open() ? runsIn() : List.of();
    }

    private List<String> runsIn() {
        List<String> runs = new ArrayList<>();
        for (Row r : table().select(CheckpointTable.RUN_ID).distinct().collectAsList()) {
            runs.add(r.getString(0));
        }
        runs.sort(null);
        return runs;
    }

    /**
     * @param runId the run
     * @return the steps of the run with at least one row (complete or not), ascending; empty when there are none
     */
    public List<Long> steps(String runId) {
        return open() ? stepsIn(runId) : List.of();
    }

    /** {@link #steps} of an existing table (no check of the path). */
    private List<Long> stepsIn(String runId) {
        List<Long> steps = new ArrayList<>();
        for (Row r : table().where(col(CheckpointTable.RUN_ID).equalTo(runId)).select(CheckpointTable.STEP).distinct()
                .collectAsList()) {
            steps.add(r.getLong(0));
        }
        steps.sort(null);
        return steps;
    }

    // ------------------------------------------------------------------------------------------------ list / inspect

    /**
     * Every checkpoint of every run, from the metadata rows and the row counts (no tensor data is read).
     *
     * @return summaries sorted by run id, then step; empty when the table does not exist
     */
    public List<CheckpointSummary> list() {
        return open() ? summaries() : List.of();
    }

    private List<CheckpointSummary> summaries() {
        Dataset<Row> t = table();
        record Key(String runId, long step) {}
        Comparator<Key> order = Comparator.comparing(Key::runId).thenComparingLong(Key::step);
        Map<Key, long[]> counts = new TreeMap<>(order); // metadata, parameter, optimizer-state rows; max format version
        for (Row r : t.groupBy(CheckpointTable.RUN_ID, CheckpointTable.STEP, CheckpointTable.KIND)
                .agg(count(lit(1)), max(CheckpointTable.FORMAT_VERSION_COLUMN)).collectAsList()) {
            long[] c = counts.computeIfAbsent(new Key(r.getString(0), r.getLong(1)), k -> new long[] {0, 0, 0, 0});
            String kind = r.isNullAt(2) ? "" : r.getString(2);
            switch (kind) {
                case CheckpointTable.KIND_METADATA -> c[0] += r.getLong(3);
                case CheckpointTable.KIND_PARAMETER -> c[1] += r.getLong(3);
                case CheckpointTable.KIND_OPTIMIZER_STATE -> c[2] += r.getLong(3);
                default -> { } // unknown kinds surface in read(); the summary counts the known ones
            }
            if (!r.isNullAt(4)) {
                c[3] = Math.max(c[3], r.getInt(4));
            }
        }
        Map<Key, Row> metas = new TreeMap<>(order);
        for (Row r : t.where(col(CheckpointTable.KIND).equalTo(CheckpointTable.KIND_METADATA)).select(
                CheckpointTable.RUN_ID, CheckpointTable.STEP, CheckpointTable.CREATED_AT_MS, CheckpointTable.OPTIMIZER_TYPE,
                CheckpointTable.OPTIMIZER_FORMAT_VERSION, CheckpointTable.PARAMETER_COUNT,
                CheckpointTable.OPTIMIZER_STATE_COUNT, CheckpointTable.PARAMETERS_SHA256,
                CheckpointTable.OPTIMIZER_STATE_SHA256, CheckpointTable.CONFIG_SHA256,
                CheckpointTable.COMPATIBILITY_DIGEST).collectAsList()) {
            metas.put(new Key(r.getString(0), r.getLong(1)), r);
        }
        List<CheckpointSummary> out = new ArrayList<>();
        for (Map.Entry<Key, long[]> e : counts.entrySet()) {
            Row m = metas.get(e.getKey());
            long[] c = e.getValue();
            out.add(new CheckpointSummary(e.getKey().runId(), e.getKey().step(), (int) c[3],
                    m == null || m.isNullAt(2) ? -1 : m.getLong(2), m == null ? null : m.getString(3),
                    m == null || m.isNullAt(4) ? -1 : m.getInt(4), m == null || m.isNullAt(5) ? -1 : m.getInt(5),
                    m == null || m.isNullAt(6) ? -1 : m.getInt(6), m == null ? null : m.getString(7),
                    m == null ? null : m.getString(8), m == null ? null : m.getString(9),
                    m == null ? null : m.getString(10), c[0], c[1], c[2]));
        }
        return out;
    }

    /**
     * The text of {@code lather inspect <checkpoint dir>}: every run and step with the SHA-256 digests of the parameters
     * and of the optimizer state, the tensor counts, and the config digest; incomplete checkpoints are marked.
     *
     * @return the report, ending with a newline
     * @throws CheckpointException TABLE_NOT_FOUND, NOT_A_DELTA_TABLE, NOT_A_CHECKPOINT_TABLE
     */
    public String inspectReport() {
        if (!open()) {
            throw CheckpointErrors.tableNotFound(path);
        }
        List<CheckpointSummary> all = summaries();
        Map<String, List<CheckpointSummary>> byRun = new TreeMap<>();
        for (CheckpointSummary s : all) {
            byRun.computeIfAbsent(s.runId(), k -> new ArrayList<>()).add(s);
        }
        StringBuilder sb = new StringBuilder();
        sb.append("Lather checkpoint table ").append(path).append('\n');
        sb.append(String.format("%d run(s), %d checkpoint(s); checkpoint format %d; digests are SHA-256 "
                + "(docs/CHECKPOINT_FORMAT.md)%n", byRun.size(), all.size(), CheckpointTable.FORMAT_VERSION));
        for (Map.Entry<String, List<CheckpointSummary>> run : byRun.entrySet()) {
            List<Long> steps = run.getValue().stream().map(CheckpointSummary::step).toList();
            sb.append(String.format("%nrun '%s': %d checkpoint(s), steps %s%n", run.getKey(), steps.size(),
                    CheckpointErrors.listed(steps)));
            for (CheckpointSummary s : run.getValue()) {
                if (s.metadataRows() == 0) {
                    sb.append(String.format("  step %d%n", s.step()));
                } else {
                    sb.append(String.format("  step %d  written %s  optimizer %s (state format %d)%n", s.step(),
                            s.createdAtMillis() < 0 ? "?" : Instant.ofEpochMilli(s.createdAtMillis()), s.optimizerType(),
                            s.optimizerFormatVersion()));
                    sb.append(String.format("    parameters      %6d tensors  sha256 %s%n", s.parameterRows(),
                            s.parametersDigest()));
                    sb.append(String.format("    optimizer state %6d tensors  sha256 %s%n", s.optimizerStateRows(),
                            s.optimizerStateDigest()));
                    sb.append(String.format("    config                          sha256 %s%n", s.configDigest()));
                    sb.append(String.format("    compatibility                   %s%n", s.compatibilityDigest()));
                }
                if (s.formatVersion() > CheckpointTable.FORMAT_VERSION) {
                    sb.append("    NEWER FORMAT: ").append(s.problem().orElseThrow())
                            .append("; read it with a Lather that reads format ").append(s.formatVersion()).append('\n');
                } else {
                    s.problem().ifPresent(p -> sb.append("    INCOMPLETE: ").append(p)
                            .append("; latest() skips it; delete it with ")
                            .append(CheckpointErrors.deleteStatement(path, s.runId(), s.step())).append('\n'));
                }
            }
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------------------------------------ table

    private Dataset<Row> table() {
        return spark.read().format("delta").load(path);
    }

    private static Column[] schemaColumns() {
        String[] names = CheckpointTable.SCHEMA.fieldNames();
        Column[] cols = new Column[names.length];
        for (int i = 0; i < names.length; i++) {
            cols[i] = col(names[i]);
        }
        return cols;
    }

    /**
     * Checks what is at the path.
     *
     * @return true for a checkpoint table, false when nothing is there yet (missing or empty directory)
     * @throws CheckpointException NOT_A_DELTA_TABLE, NOT_A_CHECKPOINT_TABLE
     */
    private boolean open() {
        if (!DeltaTable.isDeltaTable(spark, path)) {
            if (existsNonEmpty()) {
                throw CheckpointErrors.notADeltaTable(path);
            }
            return false;
        }
        StructType actual = table().schema();
        List<String> problems = new ArrayList<>();
        for (StructField f : CheckpointTable.SCHEMA.fields()) {
            Optional<StructField> a = Arrays.stream(actual.fields()).filter(x -> x.name().equals(f.name()))
                    .findFirst();
            if (a.isEmpty()) {
                problems.add(f.name() + " (missing)");
            } else if (!a.get().dataType().sql().equals(f.dataType().sql())) {
                // sql() leaves out nullability, which Delta may store differently from what was written
                problems.add(f.name() + " (" + a.get().dataType().sql() + ", expected " + f.dataType().sql() + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw CheckpointErrors.notACheckpointTable(path, problems, List.of(actual.fieldNames()));
        }
        return true;
    }

    private boolean existsNonEmpty() {
        try {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
            FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.exists(p)) {
                return false;
            }
            FileStatus status = fs.getFileStatus(p);
            return !status.isDirectory() || fs.listStatus(p).length > 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot inspect checkpoint directory " + path, e);
        }
    }
}
