package io.lather.spark.ml;

import io.lather.datasets.LatherTableInfo;
import io.lather.datasets.sources.FeatureSpec;
import io.lather.datasets.sources.LabelSpec;
import io.lather.datasets.sources.Loaders;
import io.lather.datasets.sources.SourceMapping;
import io.lather.models.ModelSpec;
import io.lather.models.Precision;
import io.lather.models.Task;
import io.lather.spark.checkpoint.Checkpoint;
import io.lather.spark.checkpoint.DeltaCheckpointStore;
import io.lather.spark.config.JobConfig;
import io.lather.spark.train.TrainResult;
import io.lather.spark.train.Trainer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.BinaryAttribute;
import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code fit} does for both estimators:
 * <ol>
 *   <li>assemble the job settings from the params and validate them (and the model section, with placeholder
 *       dimensions) before any data is written, so a bad preset or option fails in milliseconds;</li>
 *   <li>write the training rows (features vector + label) to a new Lather Delta table {@code <base>/data/<run id>} with
 *       the datasets module's DataFrame loader, which validates them (nulls, NaN, ragged vectors, class labels);</li>
 *   <li>run the {@link Trainer} with no evaluation table; checkpoints go to {@code <base>/checkpoints}, metrics to
 *       {@code <base>/metrics};</li>
 *   <li>read the final parameters from the run's newest checkpoint and check they have the digest the trainer
 *       reported.</li>
 * </ol>
 */
final class LatherFit {
    private LatherFit() {}

    private static final Logger LOG = LoggerFactory.getLogger(LatherFit.class);

    /** The result of a fit: the model content and what the run did. */
    record Fitted(ModelState state, LatherTrainingSummary summary) {}

    /**
     * @param stage the estimator's uid (error messages, run id)
     * @param task classification or regression
     * @param featuresCol the vector column
     * @param labelCol the numeric label column
     * @param model the {@code model.*} settings except input and output sizes (filled from the data)
     * @param params the estimator (optimizer, training and location params)
     */
    record Request(String stage, Task task, String featuresCol, String labelCol, Map<String, String> model, LatherParams params) {}

    static Fitted fit(Request r, Dataset<?> dataset) {
        SparkSession spark = dataset.sparkSession();
        String runId = runId(r.stage());
        // validate everything before anything is created or written (the base directory is filled in after)
        JobConfig preliminary = config(r.stage(), settings(r, runId, "lather-ml-pending"));
        try {
            // the sizes come from the data; any valid placeholder checks the rest of the model section now
            preliminary.model(1, r.task() == Task.CLASSIFICATION ? 2 : 0);
        } catch (RuntimeException e) {
            throw MlErrors.invalidSettings(r.stage(), "the model params are invalid", e);
        }
        String base = base(r.params().getCheckpointLocation());
        preliminary = preliminary.with(Map.of("data.dir", base));

        String tablePath = base + "/data/" + runId;
        LabelSpec labels = r.task() == Task.CLASSIFICATION ? classLabels(dataset, r.labelCol()) : LabelSpec.regression();
        SourceMapping mapping = SourceMapping.of(FeatureSpec.column(r.featuresCol()), r.labelCol(), labels);
        LatherTableInfo table = Loaders.dataFrame(spark, dataset.toDF(), "Spark ML fit input of " + r.stage() + " (run "
                + runId + ")", mapping, tablePath, true);
        LOG.info("{}: {}", r.stage(), table.describe());
        if (r.task() == Task.CLASSIFICATION && table.properties().numClasses() < 2) {
            throw MlErrors.tooFewClasses(r.stage(), r.labelCol(), table.properties().numClasses());
        }

        JobConfig config = preliminary.with(Map.of("data.train", table.path()));
        ModelSpec spec;
        try {
            spec = config.model(table.properties().numFeatures(), table.properties().numClasses());
        } catch (RuntimeException e) {
            throw MlErrors.invalidSettings(r.stage(), "the model params do not fit the data", e);
        }
        Precision precision = config.get("model.precision").equals("float64") ? Precision.FLOAT64 : Precision.FLOAT32;
        TrainResult result;
        try (PrintStream progress = new PrintStream(new LogLines(r.stage()), true, StandardCharsets.UTF_8)) {
            result = new Trainer(spark, config, progress).run(false);
        }
        Checkpoint last = new DeltaCheckpointStore(spark, config.checkpointDir(), DeltaCheckpointStore.KEEP_ALL)
                .requireLatest(runId);
        ModelState state = ModelState.of(spec, precision, last.parameters(), "checkpoint of run " + runId + " in "
                + config.checkpointDir());
        if (last.metadata().step() != result.steps() || !state.digest().equals(result.parameterDigest())) {
            // the newest valid checkpoint is not the one this fit wrote last: never hand out other parameters
            throw new LatherMlException(r.stage() + ": the newest checkpoint of run " + runId + " (step "
                    + last.metadata().step() + ", parameter digest " + state.digest() + ") is not the final state the "
                    + "trainer reported (step " + result.steps() + ", digest " + result.parameterDigest() + "). Fix: check "
                    + "that no other job writes run " + runId + " in " + config.checkpointDir() + ", then fit again.");
        }
        LatherTrainingSummary summary = new LatherTrainingSummary(runId, result.steps(), result.trainLoss(),
                result.parameterDigest(), result.optimizerDigest(), base, table.path(), config.checkpointDir(),
                config.metricsTable(), result.wallMillis(), result.examples(), config.values());
        LOG.info("{}: run {} finished: {} steps, last training loss {}, parameters {}", r.stage(), runId, result.steps(),
                result.trainLoss(), result.parameterDigest());
        return new Fitted(state, summary);
    }

    /** The job settings of a fit (everything but the training table). */
    static Map<String, String> settings(Request r, String runId, String base) {
        LatherParams p = r.params();
        Map<String, String> m = new LinkedHashMap<>();
        m.put("run.id", runId);
        m.put("run.seed", Long.toString(p.getSeed()));
        m.put("data.dir", base);
        m.put("data.test", "none");
        r.model().forEach((k, v) -> m.put("model." + k, v));
        m.putAll(p.optimizerSettings());
        m.put("train.steps", Integer.toString(p.getMaxSteps()));
        m.put("train.epochs", Integer.toString(p.getEpochs()));
        m.put("train.partitions", Integer.toString(p.getPartitions()));
        m.put("train.batch_per_partition", Integer.toString(p.getBatchPerPartition()));
        m.put("train.statistics", p.getStatistics());
        m.put("eval.every", "0");
        m.put("checkpoint.every", Integer.toString(p.getCheckpointInterval()));
        // progress goes to the log at INFO; ten lines per epoch is plenty there
        m.put("train.log_every", "10");
        return m;
    }

    /** Validates the settings as a job config; errors name the param's job key and say what to change. */
    static JobConfig config(String stage, Map<String, String> settings) {
        try {
            return JobConfig.of(settings);
        } catch (RuntimeException e) {
            throw MlErrors.invalidSettings(stage, "the training params are invalid", e);
        }
    }

    /** K from the label column's ML attribute (StringIndexer sets it) when present, else from the data (max + 1). */
    private static LabelSpec classLabels(Dataset<?> dataset, String labelCol) {
        Attribute a = Attribute.fromStructField(dataset.schema().apply(labelCol));
        if (a instanceof BinaryAttribute) {
            return LabelSpec.classes(2);
        }
        if (a instanceof NominalAttribute n && n.getNumValues().isDefined() && (Integer) n.getNumValues().get() >= 2) {
            return LabelSpec.classes((Integer) n.getNumValues().get());
        }
        return LabelSpec.classes();
    }

    /** A run id unique to this fit: the stage's uid (made id-safe), the time and a random suffix. */
    static String runId(String stage) {
        String safe = stage.replaceAll("[^A-Za-z0-9._-]", "_");
        return safe + "-" + System.currentTimeMillis() + "-" + String.format("%04x", ThreadLocalRandom.current().nextInt(1 << 16));
    }

    private static String base(String location) {
        if (!location.isEmpty()) {
            return io.lather.datasets.LatherTable.qualify(location);
        }
        try {
            return Files.createTempDirectory("lather-ml-").toAbsolutePath().toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for the fit's Delta tables; set the "
                    + "checkpointLocation param", e);
        }
    }

    /** A stream that sends each line of the trainer's progress output to the log. */
    private static final class LogLines extends OutputStream {
        private final String stage;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LogLines(String stage) {
            this.stage = stage;
        }

        @Override
        public void write(int b) {
            if (b == '\n') {
                flushLine();
            } else {
                line.write(b);
            }
        }

        @Override
        public void close() {
            flushLine();
        }

        private void flushLine() {
            if (line.size() > 0) {
                LOG.info("{}: {}", stage, line.toString(StandardCharsets.UTF_8));
                line.reset();
            }
        }
    }
}
