package io.lather.spark.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lather.optimizer.config.OptimizerConfig;
import io.lather.optimizer.config.Presets;
import io.lather.spark.TrainJob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Assembly, precedence and validation of job settings. */
class JobConfigTest {
    @TempDir
    Path dir;

    private Path job(String text) throws IOException {
        Path p = dir.resolve("my-job.conf");
        Files.writeString(p, text);
        return p;
    }

    @Test
    void precedenceIsDefaultsThenFileThenSparkConfThenSet() throws IOException {
        Path file = job("train.batch_per_partition = 32\ntrain.partitions = 3\noptimizer = adamw\noptimizer.lr = 0.01\n");
        JobConfig c = JobConfig.load(file, Map.of("spark.lather.train.partitions", "5", "spark.executor.memory", "2g",
                "spark.lather.optimizer.lr", "0.02"), List.of("optimizer.lr=0.03"));
        assertEquals("32", c.get("train.batch_per_partition")); // file over default
        assertEquals("5", c.get("train.partitions")); // Spark conf over file
        assertEquals("0.03", c.get("optimizer.lr")); // --set over Spark conf
        assertEquals("global", c.get("train.statistics")); // default
        assertEquals("my-job", c.runId()); // file base name
        assertEquals(0.03, c.optimizer().lr(), 0.0);
    }

    @Test
    void unknownKeysAreRejectedWithASuggestion() throws IOException {
        Path file = job("train.batch_per_partion = 32\n");
        JobConfigException e = assertThrows(JobConfigException.class, () -> JobConfig.load(file, Map.of(), List.of()));
        assertTrue(e.getMessage().contains("train.batch_per_partion"), e.getMessage());
        assertTrue(e.getMessage().contains("train.batch_per_partition"), e.getMessage());
        assertTrue(e.getMessage().contains("conf/README.md"), e.getMessage());

        JobConfigException set = assertThrows(JobConfigException.class,
                () -> JobConfig.load(null, Map.of(), List.of("optimiser.lr=0.1")));
        assertTrue(set.getMessage().contains("optimizer.lr"), set.getMessage());

        JobConfigException spark = assertThrows(JobConfigException.class,
                () -> JobConfig.load(null, Map.of("spark.lather.eval.evry", "10"), List.of()));
        assertTrue(spark.getMessage().contains("eval.every"), spark.getMessage());
    }

    @Test
    void valuesAreValidatedWithTheKeyAndTheRange() {
        JobConfigException batch = assertThrows(JobConfigException.class, () -> JobConfig.of(Map.of("train.batch_per_partition", "0")));
        assertTrue(batch.getMessage().startsWith("train.batch_per_partition = 0"), batch.getMessage());
        assertTrue(batch.getMessage().contains(">= 1"), batch.getMessage());

        JobConfigException stats = assertThrows(JobConfigException.class, () -> JobConfig.of(Map.of("train.statistics", "partitions")));
        assertTrue(stats.getMessage().contains("global, partition"), stats.getMessage());
        assertTrue(stats.getMessage().contains("partition"), stats.getMessage());

        JobConfigException notNumber = assertThrows(JobConfigException.class, () -> JobConfig.of(Map.of("train.steps", "ten")));
        assertTrue(notNumber.getMessage().contains("train.steps = ten"), notNumber.getMessage());

        JobConfigException run = assertThrows(JobConfigException.class, () -> JobConfig.of(Map.of("run.id", "my run")));
        assertTrue(run.getMessage().contains("run.id"), run.getMessage());

        // the optimizer section is validated by the optimizer module, its message passes through
        JobConfigException lr = assertThrows(JobConfigException.class, () -> JobConfig.of(Map.of("optimizer.lr", "-1")));
        assertTrue(lr.getMessage().contains("lr"), lr.getMessage());
        JobConfigException preset = assertThrows(JobConfigException.class, () -> JobConfig.of(Map.of("optimizer", "shampo")));
        assertTrue(preset.getMessage().contains("shampoo"), preset.getMessage());
    }

    @Test
    void everyPresetIsAccepted() {
        for (String preset : Presets.NAMES) {
            OptimizerConfig o = JobConfig.of(Map.of("optimizer", preset)).optimizer();
            assertTrue(o.lr() > 0, preset);
        }
    }

    @Test
    void compatibilityDigestCoversWhatARunComputesAndNothingElse() {
        JobConfig base = JobConfig.of(Map.of("optimizer", "shampoo"));
        String d = base.compatibilityDigest();
        // what a resumed run may change: logging, evaluation, checkpoint cadence, the master
        assertEquals(d, base.with(Map.of("eval.every", "7", "train.log_every", "3", "checkpoint.every", "9",
                "spark.master", "local[2]")).compatibilityDigest());
        // what it may not
        for (Map<String, String> change : List.of(Map.of("optimizer.lr", "0.5"), Map.of("model.hidden_sizes", "8"),
                Map.of("train.partitions", "3"), Map.of("run.seed", "1"), Map.of("train.batch_per_partition", "7"),
                Map.of("train.statistics", "partition"), Map.of("optimizer", "eshampoo"))) {
            assertNotEquals(d, base.with(change).compatibilityDigest(), change.toString());
        }
        assertEquals(base.compatibilitySettings(), JobConfig.compatibilitySubset(JobConfig.parseRendered(base.render())));
    }

    @Test
    void describeKeysListsEveryJobKeyWithADescription() {
        for (JobConfig.JobKey k : JobConfig.describeKeys()) {
            assertTrue(!k.description().isBlank(), k.name());
            // each default must itself validate
            JobConfig.of(Map.of(k.name(), k.defaultValue().isEmpty() && k.name().equals("run.id") ? "x" : k.defaultValue()));
        }
    }

    @Test
    void commandLineArguments() {
        TrainJob.Arguments a = TrainJob.Arguments.parse(new String[] {"job.conf", "--set", "a=1", "--set=b=2", "--resume"});
        assertEquals(Path.of("job.conf"), a.jobFile());
        assertEquals(List.of("a=1", "b=2"), a.overrides());
        assertTrue(a.resume());
        TrainJob.Arguments s = TrainJob.Arguments.parse(new String[] {"job.conf", "--resume-step", "40"});
        assertEquals(40, s.resumeStep().getAsLong());
        assertTrue(s.resume());
        assertThrows(JobConfigException.class, () -> TrainJob.Arguments.parse(new String[] {"job.conf", "--resum"}));
        assertThrows(JobConfigException.class, () -> TrainJob.Arguments.parse(new String[] {"--resume"}));
        assertThrows(JobConfigException.class, () -> TrainJob.Arguments.parse(new String[] {"job.conf", "--resume-step", "x"}));
        JobConfigException e = assertThrows(JobConfigException.class, () -> JobConfig.load(null, Map.of(), List.of("novalue")));
        assertTrue(e.getMessage().contains("key=value"), e.getMessage());
    }

    @Test
    void missingJobFileNamesThePath() {
        JobConfigException e = assertThrows(JobConfigException.class,
                () -> JobConfig.load(dir.resolve("nope.conf"), Map.of(), List.of()));
        assertTrue(e.getMessage().contains("nope.conf"), e.getMessage());
    }
}
