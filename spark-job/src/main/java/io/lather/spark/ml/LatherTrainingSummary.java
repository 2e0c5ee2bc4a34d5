package io.lather.spark.ml;

import io.lather.spark.metrics.DeltaMetricsSink;
import io.lather.spark.metrics.StepMetrics;
import java.io.Serializable;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;

/**
 * What a {@code fit} did: the Lather run it started, how far it went, and where its tables are. Saved with the model, so
 * a loaded model still names the run, checkpoint and metrics that produced it.
 *
 * @param runId the run id (checkpoints and metrics are keyed by it)
 * @param steps optimizer steps taken
 * @param trainLoss mean training loss of the last step's batch
 * @param parameterDigest SHA-256 of the final parameters, as the checkpoint store computes it
 *     ({@link io.lather.spark.checkpoint.DeltaCheckpointStore#parameterDigest}); the model's parameters have this digest
 * @param optimizerDigest SHA-256 of the final optimizer state
 * @param checkpointLocation the base directory of the fit's tables (the {@code checkpointLocation} param, or the
 *     temporary directory chosen)
 * @param trainTable the Lather Delta table the training rows were written to
 * @param checkpointTable the checkpoint Delta table (resume the run with {@code TrainJob}/{@code bin/lather} and these
 *     settings, or inspect it with {@code lather inspect})
 * @param metricsTable the metrics Delta table (one row per step; {@link #metrics(SparkSession)})
 * @param wallMillis wall time of the training loop, excluding data loading
 * @param examples training examples processed
 * @param settings every job setting of the run ({@link io.lather.spark.config.JobConfig#values()}), sorted by key
 */
public record LatherTrainingSummary(String runId, long steps, double trainLoss, String parameterDigest, String optimizerDigest,
        String checkpointLocation, String trainTable, String checkpointTable, String metricsTable, long wallMillis,
        long examples, Map<String, String> settings) implements Serializable {

    /** Copies the settings into a sorted, unmodifiable map. */
    public LatherTrainingSummary {
        Objects.requireNonNull(runId, "runId");
        settings = Collections.unmodifiableMap(new TreeMap<>(settings));
    }

    /**
     * The run's per-step metrics (loss, learning rate, timings) from its metrics table.
     *
     * @param spark a session with Delta enabled
     * @return one row per step, in step order
     */
    public List<StepMetrics> metrics(SparkSession spark) {
        return DeltaMetricsSink.readRun(spark, metricsTable, runId);
    }
}
