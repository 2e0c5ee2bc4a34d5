package io.lather.gpucheck;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.util.MutableURLClassLoader;

/**
 * The RAPIDS Accelerator's explain API ({@code com.nvidia.spark.rapids.ExplainPlan.explainPotentialGpuPlan}), called
 * on a CPU-only session: it tags a query's physical plan the way the plugin would on a GPU executor and reports, per
 * operator and expression, whether it would run on the GPU and if not why. No GPU, CUDA or native library is touched.
 *
 * <p>Why a separate class loader instead of a test dependency: the jar's POM names a parent that Maven Central does not
 * hold, so Maven cannot resolve it as a dependency (the build fetches the bare jar with {@code dependency:get}). Why not
 * the plugin itself ({@code spark.plugins=com.nvidia.spark.SQLPlugin} with {@code spark.rapids.sql.mode=explainOnly}):
 * that puts the 1 GB jar on the application class path and runs the plugin's driver and executor start-up next to a
 * 1.5 GB native library. The explain API needs no plugin start-up.
 *
 * <p>The jar keeps most classes in per-Spark-version directories ({@code spark401/}, {@code spark-shared/}); its
 * {@code ShimLoader} adds those directories to the first mutable URL class loader it finds from the thread's context
 * class loader, so the call runs with this loader as the context class loader.
 */
final class RapidsExplain {

  /** System property naming the RAPIDS jar (set by gpu-check/pom.xml to the local repository's copy). */
  static final String JAR_PROPERTY = "lather.rapids.jar";

  private static RapidsExplain shared;

  private final MutableURLClassLoader loader;
  private final Method explain;

  private RapidsExplain(Path jar) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("RAPIDS Accelerator jar not found at " + jar + ". Cause: it is fetched by the "
          + "gpu-check build (maven-dependency-plugin:2.8:get, phase generate-test-resources), which did not run or "
          + "was skipped. Fix: run the tests through Maven (mvn -pl gpu-check -am verify), or fetch it with bin/fetch-rapids "
          + "and pass -D" + JAR_PROPERTY + "=<path to rapids-4-spark_2.13-<version>.jar>.");
    }
    try {
      loader = new MutableURLClassLoader(new URL[] {jar.toUri().toURL()}, RapidsExplain.class.getClassLoader());
      Class<?> plan = Class.forName("com.nvidia.spark.rapids.ExplainPlan", true, loader);
      explain = plan.getMethod("explainPotentialGpuPlan", Dataset.class, String.class);
    } catch (MalformedURLException | ReflectiveOperationException e) {
      throw new IllegalStateException("Cannot load com.nvidia.spark.rapids.ExplainPlan from " + jar
          + ". Cause: " + e + ". Fix: check that the file is the RAPIDS Accelerator jar for Scala 2.13 (re-fetch it with "
          + "bin/fetch-rapids if it is truncated).", e);
    }
  }

  /** @return the explainer over the jar named by {@value #JAR_PROPERTY}, loaded once per JVM */
  static synchronized RapidsExplain shared() {
    if (shared == null) {
      String jar = System.getProperty(JAR_PROPERTY);
      if (jar == null || jar.isBlank()) {
        throw new IllegalStateException("System property " + JAR_PROPERTY + " is not set. Cause: the test was started "
            + "outside Maven. Fix: pass -D" + JAR_PROPERTY + "=<path to rapids-4-spark_2.13-<version>.jar>.");
      }
      shared = new RapidsExplain(Path.of(jar));
    }
    return shared;
  }

  /** The class loader holding the RAPIDS jar (for other reflective checks). */
  ClassLoader loader() {
    return loader;
  }

  /**
   * Runs {@code ExplainPlan.explainPotentialGpuPlan(query, mode)}.
   *
   * @param query the query whose physical plan is explained (its session's {@code spark.rapids.*} settings apply)
   * @param mode {@code "ALL"} (every operator and expression) or {@code "NOT_ON_GPU"} (only what stays on the CPU)
   * @return RAPIDS' explain text
   */
  String explainText(Dataset<Row> query, String mode) {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try {
      return (String) explain.invoke(null, query, mode);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("RAPIDS explainPotentialGpuPlan failed: " + e.getCause(), e.getCause());
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  /**
   * The keys of every configuration entry RAPIDS declares ({@code RapidsConf.registeredConfs}: memory, SQL, shuffle,
   * ... settings; not the generated per-operator keys {@code spark.rapids.sql.exec.*} / {@code .expression.*}).
   *
   * @return the keys
   */
  Set<String> registeredConfKeys() {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try {
      // RapidsConf lives in the per-Spark-version part of the jar; the ShimLoader's class loader sees it.
      Class<?> shimLoader = Class.forName("com.nvidia.spark.rapids.ShimLoader", true, loader);
      ClassLoader shim = (ClassLoader) shimLoader.getMethod("getShimClassLoader").invoke(null);
      Class<?> conf = Class.forName("com.nvidia.spark.rapids.RapidsConf$", true, shim);
      Field field = conf.getDeclaredField("registeredConfs");
      field.setAccessible(true);
      scala.collection.Iterator<?> it = ((scala.collection.Iterable<?>) field.get(null)).iterator();
      Set<String> keys = new TreeSet<>();
      while (it.hasNext()) {
        Object entry = it.next();
        keys.add((String) entry.getClass().getMethod("key").invoke(entry));
      }
      return keys;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Cannot list RapidsConf's settings: " + e + ". Cause: RapidsConf's internals "
          + "changed in this RAPIDS release. Fix: update RapidsExplain.registeredConfKeys.", e);
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  /** @return the parsed {@code "ALL"} explanation of {@code query} */
  Explanation explain(Dataset<Row> query) {
    return Explanation.parse(explainText(query, "ALL"));
  }

  /** Where RAPIDS would run a node of the plan. */
  enum Placement {
    /** {@code will run on GPU}: replaced by its GPU version. */
    GPU,
    /** {@code could run on GPU}: supported, but stays on the CPU because its parent or children do not move. */
    COULD,
    /** {@code cannot run on GPU because ...}. */
    CPU
  }

  /**
   * One line of RAPIDS' explain output: {@code <indent><*|!|@|#><kind> <ClassName> [sql] <placement>}.
   *
   * @param depth nesting depth (two spaces per level)
   * @param kind {@code Exec}, {@code Expression}, {@code Partitioning}, ..., or empty when RAPIDS has no rule for the
   *     class at all
   * @param className simple class name of the Spark operator or expression
   * @param placement where it would run
   * @param reasons why not on the GPU (empty unless {@link Placement#CPU})
   * @param line the original line
   */
  record Node(int depth, String kind, String className, Placement placement, Set<String> reasons, String line) {
    /** @return whether this is a physical operator (a {@code SparkPlan}) rather than an expression etc. */
    boolean isOperator() {
      return className.endsWith("Exec");
    }

    /** @return e.g. {@code "FileSourceScanExec: GPU"}, the form the tests compare */
    String summary() {
      return className + ": " + placement;
    }
  }

  /**
   * A parsed explanation.
   *
   * @param nodes every line, in output (pre-order) order
   * @param text the raw text
   */
  record Explanation(List<Node> nodes, String text) {
    private static final Pattern LINE = Pattern.compile("^( *)([*!@#$])(\\w*) <([\\w$]+)> (.*)$");
    private static final String CANNOT = "cannot run on GPU because ";

    static Explanation parse(String text) {
      List<Node> nodes = new ArrayList<>();
      for (String line : text.split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        Matcher m = LINE.matcher(line);
        if (!m.matches()) {
          // Fail loudly: a format change in a new RAPIDS release must not make the assertions pass vacuously.
          throw new IllegalStateException("Unrecognised line in RAPIDS explain output: '" + line
              + "'. Cause: the output format changed (new RAPIDS release?). Fix: update RapidsExplain.Explanation.parse.");
        }
        String rest = m.group(5);
        Placement placement;
        Set<String> reasons = new LinkedHashSet<>();
        int cannot = rest.indexOf(CANNOT);
        if (cannot >= 0) {
          placement = Placement.CPU;
          for (String r : rest.substring(cannot + CANNOT.length()).split("; ")) {
            reasons.add(r.strip());
          }
        } else if (rest.endsWith("will run on GPU")) {
          placement = Placement.GPU;
        } else if (rest.endsWith("could run on GPU")) {
          placement = Placement.COULD;
        } else {
          throw new IllegalStateException("Unrecognised placement in RAPIDS explain line: '" + line + "'.");
        }
        nodes.add(new Node(m.group(1).length() / 2, m.group(3), m.group(4), placement, Set.copyOf(reasons), line));
      }
      return new Explanation(List.copyOf(nodes), text);
    }

    /** @return the physical operators, outermost first */
    List<Node> operators() {
      return nodes.stream().filter(Node::isOperator).toList();
    }

    /** @return {@link Node#summary()} of every operator, outermost first */
    List<String> operatorSummary() {
      return operators().stream().map(Node::summary).toList();
    }

    /** @return the operator named {@code className} (exactly one must exist) */
    Node operator(String className) {
      List<Node> found = operators().stream().filter(n -> n.className().equals(className)).toList();
      if (found.size() != 1) {
        throw new AssertionError("expected exactly one " + className + " in the explanation, found " + found.size()
            + ":\n" + text);
      }
      return found.get(0);
    }
  }
}
