package io.lather.spark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lather.spark.checkpoint.DeltaCheckpointStore;
import io.lather.spark.config.JobConfig;
import io.lather.spark.metrics.DeltaMetricsSink;
import io.lather.spark.metrics.StepMetrics;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Small end-to-end runs on a slice of the real Fashion-MNIST (Debian's package): 2,048 training rows in P = 2
 * partitions of b = 64, a 784-32-10 MLP, 16 steps; every preset trains; a run killed (SIGKILL of a separate JVM) right
 * after a checkpoint and resumed ends bitwise identical to an uninterrupted run.
 */
class TrainerEndToEndTest {
    private static final int STEPS = 16;

    @TempDir
    static Path data;

    private static SparkSession spark;

    @BeforeAll
    static void session() {
        spark = TrainTestSupport.spark();
    }

    private static Map<String, String> job(String runId, String preset) {
        Map<String, String> m = new HashMap<>();
        m.put("run.id", runId);
        m.put("data.dir", data.toString());
        m.put("data.train", "fashion-mnist");
        m.put("data.limit", "2048");
        m.put("data.test_limit", "512");
        m.put("model.type", "mlp");
        m.put("model.hidden_sizes", "32");
        m.put("model.activation", "relu");
        m.put("optimizer", preset);
        m.put("train.partitions", "2");
        m.put("train.batch_per_partition", "64");
        m.put("train.steps", "" + STEPS);
        m.put("train.log_every", "4");
        m.put("eval.every", "8");
        m.put("checkpoint.every", "4");
        return m;
    }

    private static TrainResult train(Map<String, String> settings, boolean resume) {
        return new Trainer(spark, JobConfig.of(settings), System.out).run(resume);
    }

    private static double meanLoss(List<StepMetrics> rows, int from, int to) {
        return rows.stream().filter(m -> m.step() >= from && m.step() <= to).mapToDouble(StepMetrics::trainLoss).average().orElseThrow();
    }

    @ParameterizedTest
    @ValueSource(strings = {"adamw", "shampoo", "eshampoo", "soap", "per-factor-ema", "kl-shampoo", "nvidia-soap"})
    void everyPresetLowersTheLoss(String preset) {
        TrainResult r = train(job("preset-" + preset, preset), false);
        List<StepMetrics> rows = DeltaMetricsSink.readRun(spark, data.resolve("metrics").toString(), "preset-" + preset);
        assertEquals(STEPS, rows.size(), "one metrics row per step");
        double first = meanLoss(rows, 1, 4);
        double last = meanLoss(rows, STEPS - 3, STEPS);
        // initial loss is ~ln 10 = 2.30; 16 steps of any working optimizer take it well below 90 % of that
        assertTrue(last < 0.9 * first, preset + ": mean loss of steps 1-4 " + first + ", of steps 13-16 " + last);
        assertTrue(r.evalAccuracy() > 0.3, preset + ": eval accuracy " + r.evalAccuracy());
        assertEquals(STEPS, r.steps());
        assertTrue(r.parameterDigest().matches("[0-9a-f]{64}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"eshampoo", "per-factor-ema"})
    void partitionStatisticsModeTrains(String preset) {
        Map<String, String> m = job("partition-" + preset, preset);
        m.put("train.statistics", "partition");
        train(m, false);
        List<StepMetrics> rows = DeltaMetricsSink.readRun(spark, data.resolve("metrics").toString(), "partition-" + preset);
        double first = meanLoss(rows, 1, 4);
        double last = meanLoss(rows, STEPS - 3, STEPS);
        assertTrue(last < 0.9 * first, preset + " partition mode: " + first + " -> " + last);
        assertTrue(rows.stream().mapToLong(StepMetrics::eigendecompositions).sum() > 0, "eigendecompositions were counted");
    }

    @Test
    void runsAreDeterministicAndSeedsMatter() {
        TrainResult a = train(job("det-a", "shampoo"), false);
        TrainResult b = train(job("det-b", "shampoo"), false);
        assertEquals(a.parameterDigest(), b.parameterDigest());
        assertEquals(a.optimizerDigest(), b.optimizerDigest());
        Map<String, String> other = job("det-c", "shampoo");
        other.put("run.seed", "43");
        assertNotEquals(a.parameterDigest(), train(other, false).parameterDigest());
    }

    @Test
    void startingAnExistingRunOrResumingAnIncompatibleOneIsAnError() {
        Map<String, String> m = job("guarded", "adamw");
        m.put("train.steps", "4");
        train(m, false);
        TrainingException again = assertThrows(TrainingException.class, () -> train(m, false));
        assertTrue(again.getMessage().contains("--resume"), again.getMessage());
        Map<String, String> changed = new HashMap<>(m);
        changed.put("model.hidden_sizes", "16");
        TrainingException incompatible = assertThrows(TrainingException.class, () -> train(changed, true));
        assertTrue(incompatible.getMessage().contains("model.hidden_sizes"), incompatible.getMessage());
        Map<String, String> fresh = job("never-ran", "adamw");
        TrainingException none = assertThrows(TrainingException.class, () -> train(fresh, true));
        assertTrue(none.getMessage().contains("never-ran"), none.getMessage());
    }

    /**
     * The uninterrupted run in this JVM; the interrupted one in a child JVM that is SIGKILLed as soon as it reports its
     * checkpoint at step 8; then {@code --resume} here. Parameters and optimizer state must be bitwise equal.
     */
    @Test
    void killedAndResumedRunEndsBitwiseIdentical() throws Exception {
        String preset = "per-factor-ema";
        TrainResult straight = train(job("straight", preset), false);

        Map<String, String> killed = job("killed", preset);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-") || a.startsWith("-Dorg.bytedeco") || a.startsWith("-Dspark.")) {
                cmd.add(a);
            }
        }
        cmd.add("-Xmx3g");
        // surefire passes these as system properties inside its booter, not as JVM arguments
        cmd.add("-Dspark.driver.bindAddress=127.0.0.1");
        cmd.add("-Dspark.driver.host=127.0.0.1");
        cmd.add("-Dspark.ui.enabled=false");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.lather.spark.TrainJob");
        Path conf = data.resolve("killed.conf");
        StringBuilder text = new StringBuilder();
        killed.forEach((k, v) -> text.append(k).append(" = ").append(v).append('\n'));
        text.append("spark.master = local[2]\n");
        Files.writeString(conf, text.toString());
        cmd.add(conf.toString());
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> seen = new ArrayList<>();
        boolean killedAfterCheckpoint = false;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                seen.add(line);
                if (line.startsWith("checkpoint at step 8:")) {
                    child.destroyForcibly(); // SIGKILL: no shutdown hooks, no final checkpoint
                    killedAfterCheckpoint = true;
                    break;
                }
            }
        } finally {
            child.destroyForcibly();
            child.waitFor(60, TimeUnit.SECONDS);
        }
        assertTrue(killedAfterCheckpoint, "child never reported its step-8 checkpoint:\n" + String.join("\n", seen));

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        TrainResult resumed = new Trainer(spark, JobConfig.of(killed), new PrintStream(log, true, StandardCharsets.UTF_8)).run(true);
        String printed = log.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("resumed run killed from its checkpoint at step"), printed);
        assertTrue(!printed.contains("from its checkpoint at step 16"), "the child got to the end before the kill:\n" + printed);
        assertEquals(straight.parameterDigest(), resumed.parameterDigest(), "parameters after resume");
        assertEquals(straight.optimizerDigest(), resumed.optimizerDigest(), "optimizer state after resume");
        // the metrics table has exactly one row per step again (rows after the checkpoint were truncated and redone)
        List<StepMetrics> rows = DeltaMetricsSink.readRun(spark, data.resolve("metrics").toString(), "killed");
        assertEquals(STEPS, rows.stream().mapToLong(StepMetrics::step).distinct().count());
        assertEquals(STEPS, rows.size());
        // and both runs' stored checkpoints agree at every common step
        DeltaCheckpointStore store = new DeltaCheckpointStore(spark, data.resolve("checkpoints").toString(), 3);
        for (long step : store.steps("killed")) {
            if (store.steps("straight").contains(step)) {
                assertEquals(DeltaCheckpointStore.parameterDigest(store.require("straight", step).parameters()),
                        DeltaCheckpointStore.parameterDigest(store.require("killed", step).parameters()), "step " + step);
            }
        }
        assertTrue(new File(conf.toString()).exists());
    }
}
