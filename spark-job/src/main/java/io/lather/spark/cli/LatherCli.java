package io.lather.spark.cli;

import io.lather.datasets.spark.LatherSparkSessions;
import io.lather.spark.TrainJob;
import io.lather.spark.checkpoint.DeltaCheckpointStore;
import io.lather.spark.metrics.ReportRenderer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * The {@code bin/lather} command line:
 * <pre>
 *   lather train  &lt;job.conf&gt; [--set key=value]... [--resume | --resume-step &lt;step&gt;]
 *   lather inspect &lt;checkpoint dir&gt;
 *   lather report &lt;run id&gt;... [--metrics &lt;metrics table&gt;] [--out &lt;dir&gt;]
 *   lather datasets ...           (the datasets module's loaders; `lather datasets --help`)
 * </pre>
 */
public final class LatherCli {
    static final String USAGE = String.join("\n",
            "usage: lather train <job.conf> [--set key=value]... [--resume | --resume-step <step>]",
            "       lather inspect <checkpoint dir>",
            "       lather report <run id>... [--metrics <metrics table>] [--out <dir>]",
            "       lather datasets <command> ...",
            "       lather bench-train [--presets a,b,...] [--mllib-iterations n] [--set key=value]... [--out file.md]");

    private LatherCli() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "train":
                return TrainJob.run(rest, System.out, System.err);
            case "inspect":
                if (rest.length != 1) {
                    System.err.println(USAGE);
                    return 2;
                }
                return withSession(spark -> {
                    System.out.print(new DeltaCheckpointStore(spark, rest[0], Integer.MAX_VALUE).inspectReport());
                    return 0;
                });
            case "report":
                return report(rest);
            case "bench-train":
                try {
                    io.lather.spark.bench.TrainingBenchmark.main(rest);
                    return 0;
                } catch (java.io.IOException | RuntimeException e) {
                    System.err.println("error: " + e.getMessage());
                    return 1;
                }
            case "datasets":
                io.lather.datasets.DatasetsCli.main(rest);
                return 0;
            default:
                System.err.println("unknown command '" + args[0] + "'\n" + USAGE);
                return 2;
        }
    }

    private static int report(String[] args) {
        String metrics = "lather-data/metrics";
        String outDir = "lather-report";
        List<String> runs = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--metrics" -> metrics = args[++i];
                case "--out" -> outDir = args[++i];
                default -> runs.add(args[i]);
            }
        }
        if (runs.isEmpty()) {
            System.err.println(USAGE);
            return 2;
        }
        String m = metrics;
        String o = outDir;
        return withSession(spark -> {
            List<Path> files = ReportRenderer.render(spark, m, runs, Path.of(o));
            files.forEach(f -> System.out.println("wrote " + f));
            return 0;
        });
    }

    private interface SessionAction {
        int apply(SparkSession spark);
    }

    private static int withSession(SessionAction action) {
        SparkSession spark = LatherSparkSessions.local("lather-cli", 2);
        try {
            return action.apply(spark);
        } catch (RuntimeException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        } finally {
            spark.stop();
        }
    }
}
