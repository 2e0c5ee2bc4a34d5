package io.lather.spark.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * spark-submit for real, {@code --master local[2]}: Spark's launcher and {@code org.apache.spark.deploy.SparkSubmit} in
 * a child JVM whose classpath is Spark's jars only (from a {@link SparkHome} built from the test classpath), the
 * application coming from {@code lather-job.jar}, Spark settings from {@code conf/spark-local.conf}, and
 * {@code OPENBLAS_CORETYPE} / {@code OMP_NUM_THREADS} exported to the driver as docs/SPARK_SUBMIT.md tells users to
 * ({@link SubmittedTraining#DRIVER_ENV}). Trains the
 * {@link SubmittedTraining} slice and checks the exit code, the printed digests, the checkpoint and metrics Delta
 * tables, and (when the standalone test has already run for this jar) that the standalone cluster produced
 * bitwise the same parameters and optimizer state.
 */
class SparkSubmitLocalIT {
    static final String MODE = "local";
    private static Path dir;
    private static SparkHome home;
    private static SparkSession reader;

    @BeforeAll
    static void distribution() {
        dir = SubmitSupport.freshDir(SubmitSupport.itDir().resolve(MODE));
        home = SparkHome.create(dir.resolve("spark-home"), ClasspathSplit.of(SubmitSupport.jobJar()).sparkJars());
    }

    @AfterAll
    static void stopReader() {
        if (reader != null) {
            reader.stop();
        }
    }

    @Test
    void trainsTheJobJarOnLocal2() {
        long t0 = System.nanoTime();
        SparkSubmit.Result r = SubmittedTraining.submitLocal(home, dir);
        System.out.printf("spark-submit --master local[2]: exit %d after %.1f s%n", r.exitCode(), (System.nanoTime() - t0) / 1e9);
        SubmittedTraining.Digests d = SubmittedTraining.assertFinished(r);

        // the driver JVM was built by Spark's launcher from the properties file, on Spark's jars only
        List<String> cmd = r.driverCommand();
        assertTrue(cmd.contains("-Xmx8g"), () -> "spark.driver.memory = 8g of conf/spark-local.conf not applied: " + cmd);
        assertTrue(cmd.contains("--add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED"),
                () -> "spark.driver.extraJavaOptions not applied: " + cmd);
        List<String> cp = List.of(cmd.get(cmd.indexOf("-cp") + 1).split(java.io.File.pathSeparator));
        assertTrue(cp.contains(home.home().resolve("jars") + "/*"), () -> "driver classpath without $SPARK_HOME/jars/*: " + cp);
        // only the distribution (and Spark 4's relative spark.driver.defaultExtraClassPath hive-jackson/*): no module
        // classes, not the job jar (spark-submit loads that itself)
        assertTrue(cp.stream().allMatch(e -> e.startsWith(home.home() + "/") || e.equals("hive-jackson/*")),
                () -> "driver classpath " + cp);

        reader = SubmittedTraining.readerSession();
        SubmittedTraining.assertTablesHoldRun(reader, dir.resolve("data"), d);
        SubmittedTraining.store(MODE, d);
        Optional<SubmittedTraining.Digests> standalone = SubmittedTraining.stored(SparkSubmitStandaloneIT.MODE);
        standalone.ifPresent(s -> assertEquals(s, d, "standalone cluster vs local[2]: same data order and ordered reduction "
                + "must give bitwise identical parameters and optimizer state"));
        System.out.println("local[2] digests " + d + (standalone.isPresent() ? ", equal to the standalone run's"
                : " (no standalone result for this jar yet; SparkSubmitStandaloneIT compares)"));
    }
}
