package io.lather.spark.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A relative metrics path (as in the default job: lather-data/metrics) works and means the working directory. */
class RelativePathTest {
    @Test
    void relativePathIsResolvedAgainstTheWorkingDirectory() throws IOException {
        String relative = "target/relative-metrics-" + System.nanoTime();
        try {
            DeltaMetricsSink sink = new DeltaMetricsSink(TestRows.spark(), relative);
            assertEquals(Path.of(relative).toAbsolutePath().normalize().toString(), sink.path());
            TestRows.rows("r", 1, 3, 1000).forEach(sink::add);
            sink.flush();
            assertEquals(3, DeltaMetricsSink.readRun(TestRows.spark(), relative, "r").size());
            assertTrue(Files.isDirectory(Path.of(relative, "_delta_log")));
        } finally {
            try (Stream<Path> files = Files.walk(Path.of(relative))) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
