package io.lather.gpucheck;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/** The project's {@code conf/spark-gpu.conf}, read the way {@code spark-submit --properties-file} reads it. */
final class GpuConf {

  /** System property naming the file (set by gpu-check/pom.xml). */
  static final String FILE_PROPERTY = "lather.gpu.conf";

  private GpuConf() {}

  /** @return the file's location */
  static Path path() {
    String p = System.getProperty(FILE_PROPERTY);
    if (p == null || p.isBlank()) {
      throw new IllegalStateException("System property " + FILE_PROPERTY + " is not set. Cause: the test was started "
          + "outside Maven. Fix: pass -D" + FILE_PROPERTY + "=<repository>/conf/spark-gpu.conf.");
    }
    return Path.of(p);
  }

  /**
   * Parses the file as Java properties, which is what Spark's {@code Utils.getPropertiesFromFile} does (values are
   * trimmed there too).
   *
   * @return key → trimmed value, sorted by key
   */
  static Map<String, String> properties() {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(path(), StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + path(), e);
    }
    Map<String, String> out = new TreeMap<>();
    p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k).trim()));
    return out;
  }
}
