package io.lather.spark.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lather.datasets.spark.LatherSparkSessions;
import io.lather.spark.config.JobConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Spark properties files {@code conf/spark-local.conf} and {@code conf/spark-cluster.conf}, read the way
 * spark-submit reads them ({@link Properties}): they stay in step with the build (the JVM module options of the root
 * pom, Delta's session settings) and their commented {@code spark.lather.*} examples are valid job settings. No Spark.
 */
class SparkConfFilesTest {
    private static Properties load(String name) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(SubmitSupport.root().resolve("conf").resolve(name), StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p;
    }

    /** The root pom's lather.jvm.module.options, split into options. */
    private static List<String> pomModuleOptions() throws IOException {
        String pom = Files.readString(SubmitSupport.root().resolve("pom.xml"));
        Matcher m = Pattern.compile("<lather.jvm.module.options>(.*?)</lather.jvm.module.options>", Pattern.DOTALL).matcher(pom);
        assertTrue(m.find(), "root pom.xml has no <lather.jvm.module.options>");
        return List.of(m.group(1).trim().split("\\s+"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"spark-local.conf", "spark-cluster.conf"})
    void javaOptionsAreTheBuildsModuleOptions(String file) throws IOException {
        Properties p = load(file);
        List<String> expected = pomModuleOptions();
        for (String key : List.of("spark.driver.extraJavaOptions", "spark.executor.extraJavaOptions")) {
            String v = p.getProperty(key);
            assertTrue(v != null, file + " has no " + key);
            List<String> opts = Arrays.asList(v.trim().split("\\s+"));
            assertEquals(expected, opts, file + ": " + key + " differs from the root pom's lather.jvm.module.options");
            // spark-submit refuses -Xmx in extraJavaOptions ("Not allowed to specify max heap")
            assertTrue(opts.stream().noneMatch(o -> o.startsWith("-Xmx")), file + ": " + key + " sets -Xmx");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"spark-local.conf", "spark-cluster.conf"})
    void executorsGetTheOpenBlasCoreTypeAndSessionsGetDelta(String file) throws IOException {
        Properties p = load(file);
        assertEquals("Haswell", p.getProperty("spark.executorEnv.OPENBLAS_CORETYPE"), file);
        // SubmittedTraining.DRIVER_ENV: the thread count local-mode drivers export, so that results match
        assertEquals(SubmittedTraining.DRIVER_ENV.get("OMP_NUM_THREADS"), p.getProperty("spark.executorEnv.OMP_NUM_THREADS"), file);
        LatherSparkSessions.deltaSettings().forEach((k, v) -> assertEquals(v, p.getProperty(k), file + ": " + k));
        for (String k : p.stringPropertyNames()) {
            assertTrue(k.startsWith("spark."), file + ": '" + k + "' is not a Spark property (a comment that lost its '#'?)");
            // Properties has no trailing comments: "value # why" would make "# why" part of the value
            assertFalse(p.getProperty(k).contains("#"), file + ": value of " + k + " contains '#': " + p.getProperty(k));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"spark-local.conf", "spark-cluster.conf"})
    void commentedLatherExamplesAreValidJobSettings(String file) throws IOException {
        Map<String, String> examples = new LinkedHashMap<>();
        Pattern example = Pattern.compile("^#\\s*(spark\\.lather\\.\\S+)\\s+(\\S+)\\s*$");
        for (String line : Files.readAllLines(SubmitSupport.root().resolve("conf").resolve(file))) {
            Matcher m = example.matcher(line);
            if (m.matches()) {
                examples.put(m.group(1), m.group(2));
            }
        }
        assertFalse(examples.isEmpty(), file + " shows no spark.lather.* example");
        // throws JobConfigException naming the key (with a did-you-mean) if an example is not a valid setting
        Map<String, String> sparkConf = new LinkedHashMap<>(examples);
        sparkConf.put(JobConfig.SPARK_PREFIX + "run.id", "conf-example"); // without a job file the run id has no default
        JobConfig c = JobConfig.load(null, sparkConf, List.of());
        examples.forEach((k, v) -> assertEquals(v, c.get(k.substring(JobConfig.SPARK_PREFIX.length())), k));
    }

    @ParameterizedTest
    @ValueSource(strings = {"spark-local.conf", "spark-cluster.conf"})
    void everySettingHasACommentAbove(String file) throws IOException {
        // "comment every line's why": each property line follows a comment line or another property of the same group
        List<String> lines = Files.readAllLines(SubmitSupport.root().resolve("conf").resolve(file));
        boolean continuation = false;
        String previous = "";
        for (String line : lines) {
            String t = line.trim();
            boolean property = !t.isEmpty() && !t.startsWith("#") && !continuation;
            if (property) {
                String prev = previous;
                assertTrue(prev.startsWith("#") || prev.startsWith("spark."), () -> file + ": no comment above '" + t + "'");
            }
            continuation = !t.startsWith("#") && t.endsWith("\\");
            if (!t.isEmpty()) {
                previous = property ? t : (t.startsWith("#") ? t : previous);
            } else {
                previous = "";
            }
        }
    }
}
