package io.lather.spark;

import io.lather.datasets.spark.LatherSparkSessions;
import io.lather.spark.config.JobConfig;
import io.lather.spark.config.JobConfigException;
import io.lather.spark.train.TrainResult;
import io.lather.spark.train.Trainer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * The training job: {@code TrainJob <job.conf> [--set key=value]... [--resume | --resume-step N]}. Entry point for {@code spark-submit}
 * ({@code --class io.lather.spark.TrainJob}) and for {@code bin/lather train}. Under spark-submit the master and the
 * Spark settings come from spark-submit; otherwise the job creates a session with {@code spark.master} from the job
 * config (default {@code local[*]}) and Delta enabled. Exit code 0 on success, 2 on a configuration or data error
 * (the message says what to fix), 1 on any other failure.
 */
public final class TrainJob {
    private TrainJob() {}

    /** Parsed command line. */
    public record Arguments(Path jobFile, List<String> overrides, boolean resume, OptionalLong resumeStep) {
        static final String USAGE = "usage: train <job.conf> [--set key=value]... [--resume | --resume-step <step>]";

        /** Parses {@code <job.conf> [--set k=v]... [--resume | --resume-step N]}. */
        public static Arguments parse(String[] args) {
            Path file = null;
            List<String> sets = new ArrayList<>();
            boolean resume = false;
            OptionalLong resumeStep = OptionalLong.empty();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--resume")) {
                    resume = true;
                } else if (a.equals("--resume-step")) {
                    if (i + 1 >= args.length || !args[i + 1].matches("[0-9]+")) {
                        throw new JobConfigException("--resume-step needs a checkpoint step (lather inspect lists them); " + USAGE);
                    }
                    resume = true;
                    resumeStep = OptionalLong.of(Long.parseLong(args[++i]));
                } else if (a.equals("--set")) {
                    if (i + 1 >= args.length) {
                        throw new JobConfigException("--set needs key=value");
                    }
                    sets.add(args[++i]);
                } else if (a.startsWith("--set=")) {
                    sets.add(a.substring("--set=".length()));
                } else if (a.startsWith("--")) {
                    throw new JobConfigException("unknown option " + a + "; " + USAGE);
                } else if (file == null) {
                    file = Path.of(a);
                } else {
                    throw new JobConfigException("unexpected argument '" + a + "'; " + USAGE);
                }
            }
            if (file == null) {
                throw new JobConfigException("missing job file; " + USAGE);
            }
            return new Arguments(file, sets, resume, resumeStep);
        }
    }

    /** spark-submit entry point. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the job and returns the process exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            Arguments a = Arguments.parse(args);
            SparkConf existing = new SparkConf();
            Map<String, String> sparkConf = new LinkedHashMap<>();
            for (Tuple2<String, String> kv : existing.getAll()) {
                sparkConf.put(kv._1(), kv._2());
            }
            JobConfig config = JobConfig.load(a.jobFile(), sparkConf, a.overrides());
            SparkSession.Builder builder = LatherSparkSessions.withDelta(SparkSession.builder().appName("lather-" + config.runId()));
            if (!existing.contains("spark.master")) {
                builder.master(config.get("spark.master"));
            }
            SparkSession spark = builder.getOrCreate();
            try {
                TrainResult r = new Trainer(spark, config, out).run(a.resume(), a.resumeStep());
                out.println(summary(r));
            } finally {
                spark.stop();
            }
            return 0;
        } catch (JobConfigException | io.lather.spark.train.TrainingException | io.lather.datasets.LatherDataException
                | io.lather.spark.checkpoint.CheckpointException | io.lather.spark.metrics.MetricsException e) {
            // configuration, data, checkpoint or metrics-table problems: the message names the problem and the fix
            err.println("error: " + e.getMessage());
            return 2;
        } catch (io.lather.optimizer.OptimizerInputException | io.lather.optimizer.NumericalFailureException e) {
            // non-finite gradients or repeated matrix-function failures; the newest checkpoint is intact
            err.println("error: training stopped: " + e.getMessage());
            return 1;
        }
    }

    /** The final lines printed by a run: losses, accuracy, time, and the checkpoint digests. */
    public static String summary(TrainResult r) {
        return String.format(Locale.ROOT, "run %s finished at step %d: train loss %.4f, eval loss %.4f, eval accuracy %.2f%%, %.1f s, %.0f ex/s%n"
                + "parameters sha256 %s%noptimizer  sha256 %s", r.runId(), r.steps(), r.trainLoss(), r.evalLoss(), 100 * r.evalAccuracy(),
                r.wallMillis() / 1000.0, r.examples() / Math.max(r.wallMillis() / 1000.0, 1e-9), r.parameterDigest(), r.optimizerDigest());
    }
}
