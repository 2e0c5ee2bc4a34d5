package io.lather.spark.metrics;

import io.lather.datasets.spark.LatherSparkSessions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/** Shared fixtures: one local Spark session with Delta for every test class of the package, and synthetic rows. */
final class TestRows {

    private TestRows() {}

    /** The session is shared (Spark allows one per JVM) and never stopped: the JVM ends after the tests. */
    static SparkSession spark() {
        return LatherSparkSessions.local("lather-metrics-tests", 2,
                Path.of(System.getProperty("java.io.tmpdir"), "lather-metrics-tests"));
    }

    /**
     * A plausible row: the loss decays with the step, evaluation every 10th step (NaN otherwise), 100 ms steps split
     * 5/60/10/20/5, timestamps 150 ms apart from {@code t0}.
     */
    static StepMetrics row(String runId, long step, long t0) {
        boolean eval = step % 10 == 0;
        double loss = 2.3 * Math.exp(-step / 40.0) + 0.05;
        return new StepMetrics(runId, step, step * 0.01, loss, eval ? loss * 1.1 : Double.NaN,
                eval ? 1 - loss / 2.5 : Double.NaN, 1e-3, 256, 100.0, 5.0, 60.0, 10.0, 20.0, 5.0, step % 10 == 1 ? 4 : 0,
                step % 10 == 1 ? 1 : 0, t0 + 150 * step);
    }

    static List<StepMetrics> rows(String runId, long from, long to, long t0) {
        List<StepMetrics> rows = new ArrayList<>();
        for (long s = from; s <= to; s++) {
            rows.add(row(runId, s, t0));
        }
        return rows;
    }
}
