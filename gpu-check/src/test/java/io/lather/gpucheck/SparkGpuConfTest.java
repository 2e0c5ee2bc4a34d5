package io.lather.gpucheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.plugin.SparkPlugin;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code conf/spark-gpu.conf} against the RAPIDS jar it names: settings RAPIDS would silently ignore (a misspelt key is
 * just an unknown property to Spark), the plugin class, the jar versions, pool fractions RAPIDS would reject at
 * start-up, GPU slots that do not match the cores, and a comment above every setting.
 */
class SparkGpuConfTest {

  private static Map<String, String> conf;

  @BeforeAll
  static void read() {
    conf = GpuConf.properties();
  }

  @Test
  void everyRapidsSettingIsOneRapidsKnows() {
    Set<String> known = RapidsExplain.shared().registeredConfKeys();
    // Sanity check of the listing itself, so that an empty list cannot make the test pass.
    assertTrue(known.contains("spark.rapids.sql.enabled") && known.size() > 100, known.toString());
    List<String> unknown = conf.keySet().stream()
        .filter(k -> k.startsWith("spark.rapids.") && !known.contains(k)).toList();
    assertEquals(List.of(), unknown, "settings RAPIDS " + System.getProperty("lather.rapids.version")
        + " does not declare (misspelt or removed)");
  }

  @Test
  void pluginClassIsInTheRapidsJar() throws Exception {
    assertEquals("com.nvidia.spark.SQLPlugin", conf.get("spark.plugins"));
    Class<?> plugin = Class.forName(conf.get("spark.plugins"), false, RapidsExplain.shared().loader());
    assertTrue(SparkPlugin.class.isAssignableFrom(plugin), plugin.getName());
  }

  @Test
  void jarsAreTheTestedRapidsReleaseAndTheCudaJobJar() {
    String version = System.getProperty("lather.rapids.version");
    assertEquals(List.of("target/rapids/rapids-4-spark_2.13-" + version + ".jar", "spark-job/target/lather-job-cuda.jar"),
        List.of(conf.get("spark.jars").split(",")));
  }

  @Test
  void gpuMemoryPoolFractionsAreOrderedAsRapidsRequires() {
    double min = Double.parseDouble(conf.get("spark.rapids.memory.gpu.minAllocFraction"));
    double alloc = Double.parseDouble(conf.get("spark.rapids.memory.gpu.allocFraction"));
    double max = Double.parseDouble(conf.get("spark.rapids.memory.gpu.maxAllocFraction"));
    assertTrue(0 < min && min <= alloc && alloc <= max && max <= 1, min + " <= " + alloc + " <= " + max);
  }

  @Test
  void gpuShareGivesEveryCoreATaskSlot() {
    double executorGpus = Double.parseDouble(conf.get("spark.executor.resource.gpu.amount"));
    double taskShare = Double.parseDouble(conf.get("spark.task.resource.gpu.amount"));
    int cores = Integer.parseInt(conf.get("spark.executor.cores"));
    // Spark runs at most executorGpus / taskShare tasks per executor; fewer than the cores would leave cores idle.
    assertEquals(cores, executorGpus / taskShare, 0.0);
    assertTrue(conf.get("spark.executor.resource.gpu.discoveryScript").endsWith("getGpusResources.sh"));
  }

  @Test
  void everySettingHasACommentAboveIt() throws IOException {
    List<String> lines = Files.readAllLines(GpuConf.path());
    List<String> bare = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (!line.isEmpty() && !line.startsWith("#") && (i == 0 || !lines.get(i - 1).strip().startsWith("#"))) {
        bare.add((i + 1) + ": " + line);
      }
    }
    assertEquals(List.of(), bare, "settings without a comment line directly above them");
  }
}
