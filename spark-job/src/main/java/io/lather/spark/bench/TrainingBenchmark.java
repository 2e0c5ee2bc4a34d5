package io.lather.spark.bench;

import io.lather.datasets.LatherTable;
import io.lather.datasets.fashionmnist.FashionMnist;
import io.lather.datasets.spark.LatherSparkSessions;
import io.lather.spark.config.JobConfig;
import io.lather.spark.metrics.DeltaMetricsSink;
import io.lather.spark.metrics.StepMetrics;
import io.lather.spark.train.TrainResult;
import io.lather.spark.train.TrainingData;
import io.lather.spark.train.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The end-to-end training benchmark: one job configuration trained with several optimizers one after the other in the
 * same JVM and Spark session (so every ratio is measured side by side), and optionally Spark MLlib's
 * {@link MultilayerPerceptronClassifier} (L-BFGS, the JVM baseline a Spark shop has today) with the same layers on the
 * same tables and partitions. Prints a Markdown table: wall-clock of the training loop, throughput, final test accuracy,
 * time to reach a target test accuracy, and each time as a ratio to the first optimizer's.
 *
 * <pre>
 * bin/lather bench-train [--job conf/jobs/fashion-mnist-mlp.conf] [--presets adamw,shampoo,eshampoo,per-factor-ema]
 *                        [--warmup-steps 40] [--mllib-iterations 100] [--target-accuracy 0.85] [--set key=value]...
 *                        [--out file.md]
 * </pre>
 *
 * <p>Before the timed runs every preset trains {@code --warmup-steps} steps untimed (its own run id, one evaluation at its
 * end), so that JIT compilation, ND4J and Spark start-up and the first touch of the cached partitions are not charged to
 * whichever trainer happens to run first: without it the first trainer in a JVM took ~20 s longer. Some order effect
 * remains (docs/BENCHMARKS.md §2), so the documented results are two runs in opposite orders.
 */
public final class TrainingBenchmark {
    private TrainingBenchmark() {}

    /** One row of the result table. */
    record Row(String trainer, long steps, double seconds, double examplesPerSecond, double testAccuracy, double secondsToTarget,
            String note) {}

    public static void main(String[] args) throws IOException {
        Path job = Path.of("conf/jobs/fashion-mnist-mlp.conf");
        List<String> presets = List.of("adamw", "shampoo", "eshampoo", "per-factor-ema");
        int mllibIterations = 100;
        int warmupSteps = 40;
        double target = 0.85;
        List<String> sets = new ArrayList<>();
        Path outFile = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--job" -> job = Path.of(args[++i]);
                case "--presets" -> presets = List.of(args[++i].split(","));
                case "--warmup-steps" -> warmupSteps = Integer.parseInt(args[++i]);
                case "--mllib-iterations" -> mllibIterations = Integer.parseInt(args[++i]);
                case "--target-accuracy" -> target = Double.parseDouble(args[++i]);
                case "--set" -> sets.add(args[++i]);
                case "--out" -> outFile = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + "; usage: bench-train [--job f] "
                        + "[--presets a,b] [--warmup-steps n] [--mllib-iterations n] [--target-accuracy x] [--set k=v]... "
                        + "[--out file.md]");
            }
        }
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("--warmup-steps must be >= 0 (0 = no warm-up), got " + warmupSteps);
        }
        String stamp = Long.toString(Instant.now().getEpochSecond());
        JobConfig base = JobConfig.load(job, Map.of(), sets);
        SparkSession spark = LatherSparkSessions.withDelta(SparkSession.builder().appName("lather-bench-train"))
                .master(base.get("spark.master")).getOrCreate();
        PrintStream out = System.out;
        List<Row> rows = new ArrayList<>();
        try {
            for (String preset : presets) {
                if (warmupSteps > 0) {
                    List<String> w = new ArrayList<>(sets);
                    w.addAll(List.of("optimizer=" + preset, "run.id=bench-warmup-" + preset + "-" + stamp, "train.steps=" + warmupSteps,
                            "eval.every=0", "train.log_every=" + warmupSteps));
                    out.println("warm-up (untimed): " + preset + ", " + warmupSteps + " steps");
                    new Trainer(spark, JobConfig.load(job, Map.of(), w), out).run(false);
                }
            }
            for (String preset : presets) {
                List<String> s = new ArrayList<>(sets);
                s.add("optimizer=" + preset);
                s.add("run.id=bench-" + preset + "-" + stamp);
                JobConfig config = JobConfig.load(job, Map.of(), s);
                TrainResult r = new Trainer(spark, config, out).run(false);
                List<StepMetrics> m = DeltaMetricsSink.readRun(spark, config.metricsTable(), config.runId());
                rows.add(new Row("Lather " + preset, r.steps(), r.wallMillis() / 1000.0, r.examples() / (r.wallMillis() / 1000.0),
                        r.evalAccuracy(), secondsTo(m, target), "eval every " + config.get("eval.every") + " steps"));
            }
            if (mllibIterations > 0) {
                rows.add(mllib(spark, base, mllibIterations, out));
            }
        } finally {
            spark.stop();
        }
        String table = table(rows, target, job, sets, warmupSteps);
        out.println(table);
        if (outFile != null) {
            Files.writeString(outFile, table);
        }
    }

    /** Training-loop seconds until the first evaluation at or above the target accuracy (NaN if never). */
    static double secondsTo(List<StepMetrics> metrics, double target) {
        if (metrics.isEmpty()) {
            return Double.NaN;
        }
        long start = metrics.get(0).timestampMillis() - Math.round(metrics.get(0).stepMs());
        for (StepMetrics m : metrics) {
            if (!Double.isNaN(m.evalAccuracy()) && m.evalAccuracy() >= target) {
                return (m.timestampMillis() - start) / 1000.0;
            }
        }
        return Double.NaN;
    }

    /** MLlib's MLP classifier on the same tables, layers and partitions; L-BFGS with {@code iterations} iterations. */
    private static Row mllib(SparkSession spark, JobConfig config, int iterations, PrintStream out) {
        FashionMnist.Tables tables = fashionMnist(spark, config);
        int partitions = (int) (config.integer("train.partitions") > 0 ? config.integer("train.partitions")
                : spark.sparkContext().defaultParallelism());
        Dataset<org.apache.spark.sql.Row> train = vectors(LatherTable.open(spark, tables.train().path()).data()).repartition(partitions).cache();
        Dataset<org.apache.spark.sql.Row> test = vectors(LatherTable.open(spark, tables.test().path()).data()).cache();
        long n = train.count();
        test.count();
        int features = (int) LatherTable.open(spark, tables.train().path()).properties().numFeatures();
        int classes = (int) LatherTable.open(spark, tables.train().path()).properties().numClasses();
        List<Integer> layers = new ArrayList<>();
        layers.add(features);
        for (String h : config.get("model.hidden_sizes").split(",")) {
            layers.add(Integer.parseInt(h.trim()));
        }
        layers.add(classes);
        MultilayerPerceptronClassifier mlp = new MultilayerPerceptronClassifier()
                .setLayers(layers.stream().mapToInt(Integer::intValue).toArray()).setMaxIter(iterations).setSeed(config.integer("run.seed"))
                .setTol(0.0).setBlockSize(128);
        out.printf("Spark MLlib MultilayerPerceptronClassifier %s (sigmoid hidden units, L-BFGS), %d iterations, %d rows in %d partitions%n",
                layers, iterations, n, partitions);
        long t0 = System.nanoTime();
        MultilayerPerceptronClassificationModel model = mlp.fit(train);
        double seconds = (System.nanoTime() - t0) / 1e9;
        int done = model.summary().totalIterations();
        double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(model.transform(test));
        train.unpersist();
        test.unpersist();
        return new Row("Spark MLlib MLP (L-BFGS)", done, seconds, done * (double) n / seconds, accuracy, Double.NaN,
                done + " full-batch iterations; sigmoid hidden units (MLlib has no ReLU)");
    }

    private static Dataset<org.apache.spark.sql.Row> vectors(Dataset<org.apache.spark.sql.Row> table) {
        return table.select(org.apache.spark.ml.functions.array_to_vector(functions.col(LatherTable.FEATURES)).alias("features"),
                functions.col(LatherTable.LABEL).cast("double").alias("label"));
    }

    /** The Fashion-MNIST tables the Trainer used for this configuration (already loaded: this only opens them). */
    private static FashionMnist.Tables fashionMnist(SparkSession spark, JobConfig config) {
        return TrainingData.fashionMnist(spark, config.get("data.dir"), (int) config.integer("data.limit"),
                (int) config.integer("data.test_limit"));
    }

    static String table(List<Row> rows, double target, Path job, List<String> sets, int warmupSteps) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%n`%s`%s — one JVM, one Spark session, runs one after the other%s%n%n", job,
                sets.isEmpty() ? "" : " with --set " + String.join(" --set ", sets),
                warmupSteps > 0 ? ", after an untimed warm-up of " + warmupSteps + " steps per preset" : ", no warm-up"));
        sb.append(String.format(Locale.ROOT, "| trainer | steps / iterations | training s | ratio to %s | examples/s | test accuracy | s to %.0f%% test accuracy | note |%n",
                rows.isEmpty() ? "-" : rows.get(0).trainer(), 100 * target));
        sb.append("|---|---|---|---|---|---|---|---|\n");
        double first = rows.isEmpty() ? 1 : rows.get(0).seconds();
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.2f | %,.0f | %.2f%% | %s | %s |%n", r.trainer(), r.steps(), r.seconds(),
                    r.seconds() / first, r.examplesPerSecond(), 100 * r.testAccuracy(),
                    Double.isNaN(r.secondsToTarget()) ? "—" : String.format(Locale.ROOT, "%.1f", r.secondsToTarget()), r.note()));
        }
        return sb.toString();
    }
}
