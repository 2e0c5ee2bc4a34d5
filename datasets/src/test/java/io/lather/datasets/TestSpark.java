package io.lather.datasets;

import io.lather.datasets.spark.LatherSparkSessions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The one Spark session of the test JVM. Starting Spark takes seconds, so every test class shares it
 * (Surefire runs the classes in one JVM); Spark's shutdown hook stops it at exit.
 */
public final class TestSpark {

  private static SparkSession session;

  private TestSpark() {}

  /** @return the shared local[2] session with Delta enabled */
  public static synchronized SparkSession get() {
    if (session == null) {
      try {
        Path work = Files.createTempDirectory("lather-datasets-test");
        session = LatherSparkSessions.local("lather-datasets-test", 2, work);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteRecursively(work)));
        session.sparkContext().setLogLevel("WARN");
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return session;
  }

  private static void deleteRecursively(Path root) {
    try (var paths = Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException | RuntimeException ignored) {
      // Best effort at JVM exit: a leftover empty temp directory is harmless.
    }
  }
}
