package io.lather.spark.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lather.datasets.spark.LatherSparkSessions;
import io.lather.spark.checkpoint.Checkpoint;
import io.lather.spark.checkpoint.DeltaCheckpointStore;
import io.lather.spark.metrics.DeltaMetricsSink;
import io.lather.spark.metrics.StepMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;

/**
 * The job both spark-submit tests run: the shipped {@code conf/jobs/fashion-mnist-mlp.conf} (Shampoo on an MLP) cut
 * down to a small Fashion-MNIST slice with {@code --set}: 1024 training and 256 evaluation rows, hidden layer 16,
 * 2 partitions of 32 rows, 6 steps, and preconditioner refreshes every 2 steps (the preset's 10 would never refresh in
 * 6 steps, so the driver's eigendecompositions, the part that needs OPENBLAS_CORETYPE on the driver, would not run).
 * Also what the tests check afterwards: the printed digests, the checkpoint and metrics Delta tables, and the same
 * digests in both deploy modes.
 */
final class SubmittedTraining {
    /** run.id of conf/jobs/fashion-mnist-mlp.conf. */
    static final String RUN_ID = "fashion-mnist-mlp";
    static final long STEPS = 6;
    static final List<String> OVERRIDES = List.of("data.limit=1024", "data.test_limit=256", "model.hidden_sizes=16",
            "train.steps=" + STEPS, "train.partitions=2", "train.batch_per_partition=32", "optimizer.precondition_frequency=2");

    /**
     * What docs/SPARK_SUBMIT.md tells users to export before spark-submit, for the driver JVM: the OpenBLAS kernel set
     * (the driver's eigendecompositions) and one OpenMP thread. The thread count changes ND4J's float results, and
     * Spark gives executors OMP_NUM_THREADS = spark.task.cpus = 1 (conf/spark-cluster.conf states it), so local-mode
     * tasks, which run in the driver JVM, must use 1 as well for local and cluster runs to be bitwise comparable.
     */
    static final Map<String, String> DRIVER_ENV = Map.of("OPENBLAS_CORETYPE", "Haswell", "OMP_NUM_THREADS", "1");

    private static final Pattern PARAMETERS = Pattern.compile("(?m)^parameters sha256 ([0-9a-f]{64})$");
    private static final Pattern OPTIMIZER = Pattern.compile("(?m)^optimizer  sha256 ([0-9a-f]{64})$");
    private static final Pattern FINISHED = Pattern.compile("(?m)^run " + RUN_ID + " finished at step " + STEPS + ": ");

    private SubmittedTraining() {}

    /** The final digests a run prints (and its checkpoint holds). */
    record Digests(String parameters, String optimizer) {}

    /** The application part of the spark-submit command line: job file and overrides. */
    static List<String> applicationArgs(Path dataDir) {
        List<String> args = new ArrayList<>();
        args.add(SubmitSupport.root().resolve("conf/jobs/fashion-mnist-mlp.conf").toString());
        // absolute: executors run in their own working directories (a Worker's app dir) and write the Delta files
        args.add("--set");
        args.add("data.dir=" + dataDir.toAbsolutePath());
        for (String o : OVERRIDES) {
            args.add("--set");
            args.add(o);
        }
        return args;
    }

    /** spark-submit arguments for {@code --master local[2]} with conf/spark-local.conf. */
    static List<String> localSubmitArgs(Path dataDir) {
        List<String> args = new ArrayList<>(List.of("--master", "local[2]", "--deploy-mode", "client",
                "--class", "io.lather.spark.TrainJob",
                "--properties-file", SubmitSupport.root().resolve("conf/spark-local.conf").toString(),
                // test-only: unpack ND4J's natives into the build tree's cache, not ~/.javacpp (defaultJavaOptions is
                // prepended to the file's extraJavaOptions instead of replacing them)
                "--conf", "spark.driver.defaultJavaOptions=-Dorg.bytedeco.javacpp.cachedir=" + SubmitSupport.javacppCacheDir(),
                SubmitSupport.jobJar().toString()));
        args.addAll(applicationArgs(dataDir));
        return args;
    }

    /** spark-submit arguments for a standalone master in client mode with conf/spark-cluster.conf. */
    static List<String> standaloneSubmitArgs(String masterUrl, Path dataDir) {
        String cache = "-Dorg.bytedeco.javacpp.cachedir=" + SubmitSupport.javacppCacheDir();
        List<String> args = new ArrayList<>(List.of("--master", masterUrl, "--deploy-mode", "client",
                "--class", "io.lather.spark.TrainJob",
                "--properties-file", SubmitSupport.root().resolve("conf/spark-cluster.conf").toString(),
                "--total-executor-cores", "2", "--executor-memory", "1g",
                // one host on loopback (the file leaves the driver address to the site)
                "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
                // no UI port to contend for on a shared machine
                "--conf", "spark.ui.enabled=false",
                "--conf", "spark.driver.defaultJavaOptions=" + cache,
                "--conf", "spark.executor.defaultJavaOptions=" + cache,
                SubmitSupport.jobJar().toString()));
        args.addAll(applicationArgs(dataDir));
        return args;
    }

    /** Runs the job with spark-submit on local[2] in {@code dir} and returns the result (not yet checked). */
    static SparkSubmit.Result submitLocal(SparkHome home, Path dir) {
        return SparkSubmit.run(home, localSubmitArgs(dir.resolve("data")), DRIVER_ENV,
                dir.resolve("run"), Duration.ofMinutes(30));
    }

    /** Asserts a successful run and returns the digests it printed. */
    static Digests assertFinished(SparkSubmit.Result r) {
        assertEquals(0, r.exitCode(), () -> "the job failed\n" + r.describe());
        assertTrue(FINISHED.matcher(r.stdout()).find(), () -> "no 'run " + RUN_ID + " finished at step " + STEPS + "' line\n" + r.describe());
        Matcher p = PARAMETERS.matcher(r.stdout());
        Matcher o = OPTIMIZER.matcher(r.stdout());
        assertTrue(p.find(), () -> "no 'parameters sha256 <64 hex>' line\n" + r.describe());
        assertTrue(o.find(), () -> "no 'optimizer  sha256 <64 hex>' line\n" + r.describe());
        return new Digests(p.group(1), o.group(1));
    }

    /**
     * Reads the run's checkpoint and metrics Delta tables in this JVM: the newest checkpoint is at the last step and
     * holds exactly the parameters and optimizer state whose digests the job printed; the metrics table has one row
     * per step.
     */
    static void assertTablesHoldRun(SparkSession spark, Path dataDir, Digests printed) {
        DeltaCheckpointStore store = new DeltaCheckpointStore(spark, dataDir.resolve("checkpoints").toString(),
                DeltaCheckpointStore.KEEP_ALL);
        // TABLE_NOT_FOUND / UNKNOWN_RUN (listing the runs present) if the job did not write it
        Checkpoint c = store.requireLatest(RUN_ID);
        assertEquals(STEPS, c.metadata().step(), "step of the newest checkpoint");
        assertEquals(printed.parameters(), DeltaCheckpointStore.parameterDigest(c.parameters()),
                "digest of the checkpoint's parameters vs the printed one");
        assertEquals(printed.optimizer(), DeltaCheckpointStore.optimizerStateDigest(c.optimizerState()),
                "digest of the checkpoint's optimizer state vs the printed one");
        List<StepMetrics> rows = DeltaMetricsSink.readRun(spark, dataDir.resolve("metrics").toString(), RUN_ID);
        assertEquals(STEPS, rows.size(), "metrics rows of the run");
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(i + 1, rows.get(i).step(), "metrics row " + i);
        }
    }

    /** A local[1] session in the test JVM for reading the tables the submitted job wrote. */
    static SparkSession readerSession() {
        SparkSession s = LatherSparkSessions.local("lather-submit-it-reader", 1, SubmitSupport.itDir().resolve("reader"));
        s.sparkContext().setLogLevel("ERROR");
        return s;
    }

    // ---- results shared between the two test classes (each may run alone, in any order) ----

    /**
     * Stores a mode's digests, keyed by the job jar's SHA-256 and the overrides, so that a result from another build
     * or another configuration is never compared.
     */
    static void store(String mode, Digests d) {
        Properties p = new Properties();
        p.setProperty("key", resultKey());
        p.setProperty("parameters", d.parameters());
        p.setProperty("optimizer", d.optimizer());
        Path file = resultFile(mode);
        try {
            Files.createDirectories(file.getParent());
            try (Writer w = Files.newBufferedWriter(file)) {
                p.store(w, "digests of the spark-submit " + mode + " run of this job jar");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The digests a mode stored for this jar and configuration, if any. */
    static Optional<Digests> stored(String mode) {
        Path file = resultFile(mode);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!resultKey().equals(p.getProperty("key"))) {
            return Optional.empty();
        }
        return Optional.of(new Digests(p.getProperty("parameters"), p.getProperty("optimizer")));
    }

    private static Path resultFile(String mode) {
        // outside itDir's per-class directories, which each class wipes
        return SubmitSupport.itDir().resolve("results").resolve(mode + ".properties");
    }

    private static String cachedKey;

    private static synchronized String resultKey() {
        if (cachedKey == null) {
            try (InputStream in = Files.newInputStream(SubmitSupport.jobJar())) {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                byte[] buf = new byte[1 << 20];
                for (int n; (n = in.read(buf)) > 0; ) {
                    md.update(buf, 0, n);
                }
                cachedKey = HexFormat.of().formatHex(md.digest()) + " " + String.join(" ", OVERRIDES) + " " + new TreeMap<>(DRIVER_ENV);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        return cachedKey;
    }
}
