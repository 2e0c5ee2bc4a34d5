package io.lather.datasets.spark;

import io.lather.datasets.DataErrors;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * Builds Spark sessions with Delta Lake enabled, for tests, the CLI and local runs. Shared by every
 * Lather module so that they all talk to Delta the same way.
 *
 * <p>{@code getOrCreate} semantics apply: if a session is already active in the JVM it is returned (Spark
 * allows one SparkContext per JVM), with the runtime settings applied; static settings such as the
 * master or the extensions of the existing session stay as they were.
 */
public final class LatherSparkSessions {

  private LatherSparkSessions() {}

  /**
   * The settings that enable Delta Lake in a session: the SQL extension (Delta commands, time travel)
   * and the catalog (path-based {@code delta.`path`} tables).
   *
   * @return an ordered map of Spark configuration key to value
   */
  public static Map<String, String> deltaSettings() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension");
    m.put("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
    return m;
  }

  /**
   * A {@code local[threads]} session with Delta enabled and the working files under the system's
   * temporary directory ({@code <java.io.tmpdir>/lather-spark}).
   *
   * @param appName the application name shown in logs
   * @param threads number of local executor threads, ≥ 1
   * @return the session
   */
  public static SparkSession local(String appName, int threads) {
    return local(appName, threads, Path.of(System.getProperty("java.io.tmpdir"), "lather-spark"));
  }

  /**
   * A {@code local[threads]} session with Delta enabled, set up for a small machine:
   * <ul>
   *   <li>the web UI is off (no port to bind, less memory);</li>
   *   <li>driver bound to 127.0.0.1 (no dependence on the host's network name or interfaces);</li>
   *   <li>{@code threads} shuffle partitions and Delta snapshot partitions: the defaults (200 and 50)
   *       make every small shuffle and every Delta log replay run hundreds of empty tasks;</li>
   *   <li>the SQL warehouse under {@code workDir/spark-warehouse}, so nothing is created in the
   *       current directory.</li>
   * </ul>
   *
   * @param appName the application name shown in logs
   * @param threads number of local executor threads, ≥ 1
   * @param workDir directory for Spark's warehouse
   * @return the session
   */
  public static SparkSession local(String appName, int threads, Path workDir) {
    if (threads < 1) {
      throw DataErrors.invalidConfig("threads", threads, ">= 1");
    }
    SparkSession.Builder b = SparkSession.builder()
        .master("local[" + threads + "]")
        .appName(appName)
        .config("spark.ui.enabled", "false")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", String.valueOf(threads))
        .config("spark.default.parallelism", String.valueOf(threads))
        .config("spark.databricks.delta.snapshotPartitions", String.valueOf(threads))
        .config("spark.sql.warehouse.dir",
            workDir.resolve("spark-warehouse").toAbsolutePath().toString());
    deltaSettings().forEach(b::config);
    return b.getOrCreate();
  }

  /**
   * Adds the Delta settings to a builder, for sessions whose master comes from elsewhere (e.g.
   * {@code spark-submit}).
   *
   * @param builder a session builder
   * @return the same builder
   */
  public static SparkSession.Builder withDelta(SparkSession.Builder builder) {
    deltaSettings().forEach(builder::config);
    return builder;
  }
}
