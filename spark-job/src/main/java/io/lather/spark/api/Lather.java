package io.lather.spark.api;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.when;

import io.delta.tables.DeltaTable;
import io.lather.datasets.fashionmnist.FashionMnist;
import io.lather.models.CustomModelFactory;
import io.lather.spark.checkpoint.CheckpointSummary;
import io.lather.spark.checkpoint.DeltaCheckpointStore;
import io.lather.spark.config.JobConfig;
import io.lather.spark.metrics.DeltaMetricsSink;
import io.lather.spark.metrics.MetricsSchema;
import io.lather.spark.metrics.StepMetrics;
import io.lather.spark.train.TrainResult;
import io.lather.spark.train.TrainingData;
import io.lather.spark.train.Trainer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Static entry points for Zeppelin notes and Scala shells: everything the notes under {@code notebooks/} do besides
 * presentation. Settings are the job keys of {@link JobConfig} (see {@link JobConfig#describeKeys()},
 * {@code conf/README.md}); from Scala pass them as {@code Map("run.id" -> "...", ...).asJava}.
 *
 * <p>Progress lines of a run go to {@code System.out} at the time of the call (Zeppelin redirects it to the
 * paragraph's output while a paragraph runs).
 */
public final class Lather {
    /** Package of the classes {@link #replModelFactory} generates. */
    static final String REPL_PACKAGE = "lather.repl";

    /** Generated REPL factory class name → the REPL class loader that can load it (see {@link #train}). */
    private static final Map<String, ClassLoader> REPL_FACTORY_LOADERS = new ConcurrentHashMap<>();

    private Lather() {}

    // ------------------------------------------------------------------------------------------------ data

    /**
     * Loads Fashion-MNIST from Debian's {@code dataset-fashion-mnist} package into two Lather Delta tables, or keeps
     * them when identical tables are already there.
     *
     * @param spark a session with Delta enabled
     * @param dataDir base directory; the tables go to {@code <dataDir>/fashion-mnist[-<train>-<test>]/{train,test}}
     * @param trainRows the first this many training examples; 0 or less = all 60,000
     * @param testRows the first this many test examples; 0 or less = all 10,000
     * @return the train and test tables ({@code path()}, {@code properties()}, {@code describe()})
     */
    public static FashionMnist.Tables loadFashionMnist(SparkSession spark, String dataDir, int trainRows, int testRows) {
        return TrainingData.fashionMnist(spark, dataDir, Math.max(trainRows, 0), Math.max(testRows, 0));
    }

    // ------------------------------------------------------------------------------------------------ training

    /**
     * The validated configuration of a settings map (defaults filled in), e.g. to find its tables.
     *
     * @param settings job keys and values
     * @return the configuration
     * @throws io.lather.spark.config.JobConfigException naming a bad key or value and the fix
     */
    public static JobConfig config(Map<String, String> settings) {
        return JobConfig.of(settings);
    }

    /**
     * Trains a new run to its last step, as {@code bin/lather train} does. The run id ({@code run.id}) must not have
     * checkpoints yet.
     *
     * @param spark a session with Delta enabled
     * @param settings job keys and values ({@code run.id}, {@code data.*}, {@code model.*}, {@code optimizer},
     *     {@code optimizer.*}, {@code train.*}, ...)
     * @return the run's summary
     */
    public static TrainResult train(SparkSession spark, Map<String, String> settings) {
        return run(spark, settings, false, OptionalLong.empty());
    }

    /**
     * Continues a run from its newest valid checkpoint, as {@code --resume} does; the settings that fix what a run
     * computes must equal the original ones (a constant-learning-rate run may be given more steps).
     *
     * @param spark a session with Delta enabled
     * @param settings the run's settings
     * @return the run's summary after its last step
     */
    public static TrainResult resume(SparkSession spark, Map<String, String> settings) {
        return run(spark, settings, true, OptionalLong.empty());
    }

    /**
     * Continues a run from its checkpoint at a given step, as {@code --resume-step} does.
     *
     * @param spark a session with Delta enabled
     * @param settings the run's settings
     * @param step a step with a checkpoint ({@link #checkpoints} lists them)
     * @return the run's summary after its last step
     */
    public static TrainResult resumeFrom(SparkSession spark, Map<String, String> settings, long step) {
        return run(spark, settings, true, OptionalLong.of(step));
    }

    private static TrainResult run(SparkSession spark, Map<String, String> settings, boolean resume, OptionalLong step) {
        JobConfig config = JobConfig.of(settings);
        ClassLoader replLoader = REPL_FACTORY_LOADERS.get(config.values().getOrDefault("model.factory_class", ""));
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        if (replLoader != null) {
            // the driver builds the model too, with the context loader: make sure it is the one that sees the REPL's
            // classes, whatever the notebook server set on this thread
            thread.setContextClassLoader(replLoader);
        }
        try {
            return new Trainer(spark, config, System.out).run(resume, step);
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    // ------------------------------------------------------------------------------------------------ metrics

    /**
     * The metrics table path of a settings map ({@code metrics.table}, default {@code <data.dir>/metrics}).
     *
     * @param settings job keys and values
     * @return the path
     */
    public static String metricsTable(Map<String, String> settings) {
        return JobConfig.of(settings).metricsTable();
    }

    /**
     * The checkpoint table path of a settings map ({@code checkpoint.dir}, default {@code <data.dir>/checkpoints}).
     *
     * @param settings job keys and values
     * @return the path
     */
    public static String checkpointDir(Map<String, String> settings) {
        return JobConfig.of(settings).checkpointDir();
    }

    /**
     * The metrics of one or more runs as a DataFrame with the metrics table's columns ({@code docs/METRICS.md}): one
     * row per run and step, ordered by run then step; {@code eval_loss}/{@code eval_accuracy} are null at steps
     * without evaluation.
     *
     * @param spark a session with Delta enabled
     * @param metricsTable the metrics table ({@link #metricsTable(Map)})
     * @param runIds the runs, at least one
     * @return the rows
     * @throws io.lather.spark.metrics.MetricsException naming a missing table or run (and the runs present)
     */
    public static Dataset<Row> metrics(SparkSession spark, String metricsTable, String... runIds) {
        if (runIds.length == 0) {
            throw new IllegalArgumentException("metrics(spark, table, runIds...) needs at least one run id; "
                    + "DeltaMetricsSink.runIds(spark, table) lists the runs in a table");
        }
        List<Row> rows = new ArrayList<>();
        for (List<StepMetrics> run : DeltaMetricsSink.readRuns(spark, metricsTable, List.of(runIds)).values()) {
            for (StepMetrics m : run) {
                rows.add(RowFactory.create(m.runId(), m.step(), m.epoch(), m.trainLoss(), nullIfNaN(m.evalLoss()),
                        nullIfNaN(m.evalAccuracy()), m.learningRate(), m.examples(), m.stepMs(), m.dataMs(), m.gradientMs(),
                        m.reduceMs(), m.optimizerMs(), m.overheadMs(), m.eigendecompositions(),
                        m.eigendecompositionsSkipped(), m.timestampMillis()));
            }
        }
        return spark.createDataFrame(rows, MetricsSchema.SCHEMA);
    }

    /**
     * The metrics of the run a settings map describes ({@code run.id} in {@code metrics.table}).
     *
     * @param spark a session with Delta enabled
     * @param settings the run's settings
     * @return the rows, ordered by step
     */
    public static Dataset<Row> metrics(SparkSession spark, Map<String, String> settings) {
        JobConfig c = JobConfig.of(settings);
        return metrics(spark, c.metricsTable(), c.runId());
    }

    private static Double nullIfNaN(double v) {
        return Double.isNaN(v) ? null : v;
    }

    // ------------------------------------------------------------------------------------------------ checkpoints

    /** Columns of {@link #checkpoints}. */
    private static final StructType CHECKPOINTS = new StructType(new StructField[] {
        DataTypes.createStructField("run_id", DataTypes.StringType, false),
        DataTypes.createStructField("step", DataTypes.LongType, false),
        DataTypes.createStructField("created_at", DataTypes.TimestampType, true),
        DataTypes.createStructField("optimizer_type", DataTypes.StringType, true),
        DataTypes.createStructField("parameter_count", DataTypes.IntegerType, false),
        DataTypes.createStructField("optimizer_state_count", DataTypes.IntegerType, false),
        DataTypes.createStructField("parameters_sha256", DataTypes.StringType, true),
        DataTypes.createStructField("optimizer_state_sha256", DataTypes.StringType, true),
        DataTypes.createStructField("complete", DataTypes.BooleanType, false),
        DataTypes.createStructField("problem", DataTypes.StringType, true),
    });

    /**
     * The checkpoints currently in a checkpoint table, one row per run and step (what {@code lather inspect} lists):
     * {@code run_id, step, created_at, optimizer_type, parameter_count, optimizer_state_count, parameters_sha256,
     * optimizer_state_sha256, complete, problem}. Row counts are checked, tensor data is not read.
     *
     * @param spark a session with Delta enabled
     * @param checkpointDir the checkpoint table ({@link #checkpointDir(Map)})
     * @return the rows, ordered by run then step; empty when the table does not exist yet
     */
    public static Dataset<Row> checkpoints(SparkSession spark, String checkpointDir) {
        List<Row> rows = new ArrayList<>();
        for (CheckpointSummary s : new DeltaCheckpointStore(spark, checkpointDir, DeltaCheckpointStore.KEEP_ALL).list()) {
            rows.add(RowFactory.create(s.runId(), s.step(), s.createdAtMillis() < 0 ? null : new Timestamp(s.createdAtMillis()),
                    s.optimizerType(), s.parameterCount(), s.optimizerStateCount(), s.parametersDigest(),
                    s.optimizerStateDigest(), s.complete(), s.problem().orElse(null)));
        }
        return spark.createDataFrame(rows, CHECKPOINTS);
    }

    /**
     * The Delta history of a checkpoint table, oldest first: {@code version, timestamp, operation, user_metadata,
     * run_id, step, predicate}. Each checkpoint is one commit whose user metadata is
     * {@code lather checkpoint run_id=<r> step=<t>} ({@code run_id}/{@code step} are parsed from it; null for other
     * commits); retention shows as {@code DELETE} commits whose {@code predicate} names the steps removed. Read any
     * version back with {@link #checkpointTableAsOf} (Delta time travel).
     *
     * @param spark a session with Delta enabled
     * @param checkpointDir the checkpoint table
     * @return the history
     */
    public static Dataset<Row> checkpointHistory(SparkSession spark, String checkpointDir) {
        Dataset<Row> h = DeltaTable.forPath(spark, checkpointDir).history();
        String tag = "^lather checkpoint run_id=([A-Za-z0-9._-]+) step=([0-9]+)";
        return h.select(col("version"), col("timestamp"), col("operation"), col("userMetadata").as("user_metadata"),
                        when(col("userMetadata").rlike(tag), regexp_extract(col("userMetadata"), tag, 1)).as("run_id"),
                        when(col("userMetadata").rlike(tag), regexp_extract(col("userMetadata"), tag, 2).cast("long"))
                                .as("step"),
                        col("operationParameters").getItem("predicate").as("predicate"))
                .orderBy("version");
    }

    /**
     * A checkpoint table as it was at a Delta version (time travel), with the columns of
     * {@code docs/CHECKPOINT_FORMAT.md}; checkpoints that retention deleted later are still there.
     *
     * @param spark a session with Delta enabled
     * @param checkpointDir the checkpoint table
     * @param version a version listed by {@link #checkpointHistory}
     * @return the table's rows at that version
     */
    public static Dataset<Row> checkpointTableAsOf(SparkSession spark, String checkpointDir, long version) {
        return spark.read().format("delta").option("versionAsOf", version).load(checkpointDir);
    }

    // ------------------------------------------------------------------------------------------------ REPL models

    /**
     * Makes a model factory defined in a Scala REPL (a Zeppelin {@code %spark} paragraph, {@code spark-shell}) usable
     * as a {@code custom} model: returns the class name to set as {@code model.factory_class}
     * (with {@code model.type = custom}, {@code model.input_dim}, {@code model.output_dim}, {@code model.task}).
     *
     * <p>A class defined in the REPL cannot be named directly: it has no no-argument constructor (it is an inner
     * class of the REPL's line wrapper). This serializes {@code factory} and writes a small top-level class that
     * carries it into the REPL's class output directory, from which Spark executors load REPL classes
     * ({@link ReplModelFactory}). The name contains a digest of the serialized factory: calling this again with an
     * equal factory returns the same name, a changed factory gets a new one.
     *
     * @param spark the REPL's session ({@code spark.repl.class.outputDir} must be set, as Zeppelin and spark-shell do)
     * @param factory the factory; it and everything it refers to must be {@link Serializable}
     * @return the binary name of the generated class
     * @throws LatherApiException when the factory is not serializable or too large, or the session is not a REPL's
     */
    public static String replModelFactory(SparkSession spark, CustomModelFactory factory) {
        String userClass = factory.getClass().getName();
        if (!(factory instanceof Serializable)) {
            throw ApiErrors.replFactoryNotSerializable(userClass, userClass + " does not implement java.io.Serializable", null);
        }
        byte[] serialized;
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream(); ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(factory);
            out.flush();
            serialized = bytes.toByteArray();
        } catch (NotSerializableException e) {
            throw ApiErrors.replFactoryNotSerializable(userClass, "it refers to a " + e.getMessage() + ", which is not", e);
        } catch (IOException e) {
            throw ApiErrors.replFactoryNotSerializable(userClass, e.toString(), e);
        }
        String payload = Base64.getEncoder().encodeToString(serialized);
        if (payload.length() > ReplClassFile.MAX_CONSTANT_BYTES) {
            throw ApiErrors.replFactoryTooLarge(userClass, payload.length(), ReplClassFile.MAX_CONSTANT_BYTES);
        }
        String outputDir = spark.sparkContext().getConf().get("spark.repl.class.outputDir", null);
        if (outputDir == null || outputDir.isEmpty()) {
            throw ApiErrors.notInRepl();
        }
        String name = REPL_PACKAGE + ".ReplModel_" + sha256(payload).substring(0, 32);
        Path file = Path.of(outputDir).resolve(name.replace('.', '/') + ".class");
        if (!Files.isRegularFile(file)) {
            byte[] classFile = ReplClassFile.write(name, ReplModelFactory.class.getName(), payload);
            try {
                Files.createDirectories(file.getParent());
                // write then rename: an executor fetching the class never reads a half-written file
                Path tmp = Files.createTempFile(file.getParent(), "ReplModel", ".tmp");
                Files.write(tmp, classFile);
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw ApiErrors.io("write", file.toString(), e);
            }
        }
        ClassLoader loader = factory.getClass().getClassLoader();
        try {
            Class<?> c = Class.forName(name, true, loader);
            // read the factory back exactly as an executor will, so a problem shows here and not inside a Spark task
            ((ReplModelFactory) c.getConstructor().newInstance()).delegate();
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
            throw ApiErrors.replDirNotVisible(name, outputDir, e);
        } catch (ReflectiveOperationException e) {
            throw ApiErrors.replFactoryUnreadable(name, e.toString(), e);
        }
        REPL_FACTORY_LOADERS.put(name, loader);
        return name;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
