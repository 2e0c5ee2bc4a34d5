package io.lather.datasets;

import io.lather.datasets.fashionmnist.FashionMnist;
import io.lather.datasets.sources.FeatureSpec;
import io.lather.datasets.sources.LabelSpec;
import io.lather.datasets.sources.Loaders;
import io.lather.datasets.sources.SourceMapping;
import io.lather.datasets.spark.LatherSparkSessions;
import io.lather.datasets.synthetic.KroneckerConfig;
import io.lather.datasets.synthetic.KroneckerLeastSquares;
import io.lather.datasets.synthetic.TeacherStudent;
import io.lather.datasets.synthetic.TeacherStudentConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;

/**
 * Command line for writing Lather tables: {@code DatasetsCli <command> [options]}; run without
 * arguments for the list. Prints one line per table written or kept.
 *
 * <p>Exit status: 0 success, 1 a data problem (the {@link LatherDataException} message is printed:
 * problem, example row, cause, fix), 2 a usage error. The Spark session is {@code local[*]} with Delta,
 * unless {@code spark.master} is set (e.g. by {@code spark-submit}), in which case that master is used.
 */
public final class DatasetsCli {

  private DatasetsCli() {}

  static final String USAGE = """
      usage: lather-datasets <command> [options]

        fashion-mnist --out DIR [--source-dir DIR] [--limit N] [--test-limit N]
                      [--partitions N] [--overwrite]
            Fashion-MNIST from Debian's dataset-fashion-mnist into DIR/train and DIR/test.
        libsvm  --in PATH --out TABLE [--num-features N] [LABELS] [--split NAME] [--overwrite]
        csv     --in PATH --out TABLE --label COL FEATURES [LABELS] [SPLIT] [--target-columns A,B]
                [--no-header] [--delimiter D] [--overwrite]
        parquet --in PATH --out TABLE --label COL FEATURES [LABELS] [SPLIT] [--overwrite]
        delta   --in PATH --out TABLE --label COL FEATURES [LABELS] [SPLIT] [--overwrite]
        synthetic-mlp --out DIR --rows N [--test-rows N] --input-dim D [--hidden 64,64]
                      [--activation tanh|relu] [--outputs K] [--task classification|regression]
                      [--noise S] [--seed S] [--partitions P] [--overwrite]
        synthetic-kronecker --out DIR --rows N [--test-rows N] --m M --n N [--kappa-l K]
                      [--kappa-r K] [--noise S] [--seed S] [--partitions P] [--overwrite]
        validate --table PATH

        FEATURES: --features A,B,C | --feature-prefix P | --feature-range FIRST:LAST
                  | --feature-column C (an MLlib vector or array column)
        LABELS:   --task classification (default) [--num-classes K] | --task regression
                  | --index-labels (distinct values -> 0..K-1, e.g. text or -1/+1 labels)
        SPLIT:    --split NAME (default train) | --split-column C
      """;

  /** Raised for command-line mistakes; printed with the usage text. */
  static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  /**
   * Entry point.
   *
   * @param args the command and its options
   */
  public static void main(String[] args) {
    Supplier<SparkSession> spark = () -> {
      if (System.getProperty("spark.master") != null) {
        return LatherSparkSessions.withDelta(SparkSession.builder().appName("lather-datasets"))
            .getOrCreate();
      }
      SparkSession local = LatherSparkSessions.local("lather-datasets",
          Math.max(1, Runtime.getRuntime().availableProcessors()));
      // Spark logs every job at INFO by default, which buries the one line per table this
      // command prints; under spark-submit the cluster's logging configuration is left alone.
      local.sparkContext().setLogLevel("WARN");
      return local;
    };
    System.exit(run(args, System.out, System.err, spark));
  }

  /**
   * Runs one command.
   *
   * @param args the command and its options
   * @param out where results are printed
   * @param err where errors are printed
   * @param spark creates the session, called only by commands that need it
   * @return the exit status (0 ok, 1 data problem, 2 usage error)
   */
  public static int run(String[] args, PrintStream out, PrintStream err,
      Supplier<SparkSession> spark) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      out.print(USAGE);
      return args.length == 0 ? 2 : 0;
    }
    try {
      Options o = Options.parse(args);
      if (o.command.equals("validate")) {
        LatherTable.Opened t = LatherTable.open(spark.get(), o.required("table"));
        out.println("valid " + t.path() + "@v" + t.version() + ": " + t.summary().rows()
            + " rows, " + t.properties().numFeatures() + " features, splits "
            + t.summary().splitCounts());
        return 0;
      }
      for (LatherTableInfo t : dispatch(o, spark)) {
        out.println(t.describe());
      }
      return 0;
    } catch (UsageException e) {
      err.println("error: " + e.getMessage());
      err.print(USAGE);
      return 2;
    } catch (LatherDataException e) {
      err.println("error: " + e.getMessage());
      return 1;
    }
  }

  private static List<LatherTableInfo> dispatch(Options o, Supplier<SparkSession> spark) {
    switch (o.command) {
      case "fashion-mnist" -> {
        FashionMnist.Options options = new FashionMnist.Options(
            Path.of(o.get("source-dir", FashionMnist.DEFAULT_DIRECTORY.toString())),
            o.required("out"), o.intValue("limit", -1),
            o.intValue("test-limit", o.intValue("limit", -1)), o.flag("overwrite"),
            o.intValue("partitions", 0));
        FashionMnist.Tables t = FashionMnist.load(spark.get(), options);
        return List.of(t.train(), t.test());
      }
      case "libsvm" -> {
        return List.of(Loaders.libsvm(spark.get(), o.required("in"), o.intValue("num-features", 0),
            labels(o), o.get("split", "train"), o.required("out"), o.flag("overwrite")));
      }
      case "csv" -> {
        Loaders.CsvFormat format = new Loaders.CsvFormat(!o.flag("no-header"),
            o.get("delimiter", ","));
        return List.of(Loaders.csv(spark.get(), o.required("in"), format, mapping(o),
            o.required("out"), o.flag("overwrite")));
      }
      case "parquet" -> {
        return List.of(Loaders.parquet(spark.get(), o.required("in"), mapping(o),
            o.required("out"), o.flag("overwrite")));
      }
      case "delta" -> {
        return List.of(Loaders.delta(spark.get(), o.required("in"), mapping(o),
            o.required("out"), o.flag("overwrite")));
      }
      case "synthetic-mlp" -> {
        TeacherStudentConfig config = new TeacherStudentConfig(o.requiredInt("input-dim"),
            ints(o.get("hidden", "64")),
            TeacherStudentConfig.Activation.parse(o.get("activation", "tanh")),
            o.intValue("outputs", 10),
            TeacherStudentConfig.Task.parse(o.get("task", "classification")),
            o.doubleValue("noise", 0.0), o.longValue("seed", 0));
        String out = o.required("out");
        long rows = o.requiredLong("rows");
        long testRows = o.longValue("test-rows", 0);
        int partitions = o.intValue("partitions", defaultPartitions(spark));
        List<LatherTableInfo> result = new ArrayList<>();
        result.add(TeacherStudent.generate(spark.get(), config, "train", rows, partitions,
            out + "/train", o.flag("overwrite")));
        if (testRows > 0) {
          result.add(TeacherStudent.generate(spark.get(), config, "test", testRows, partitions,
              out + "/test", o.flag("overwrite")));
        }
        return result;
      }
      case "synthetic-kronecker" -> {
        KroneckerConfig config = new KroneckerConfig(o.requiredInt("m"), o.requiredInt("n"),
            o.doubleValue("kappa-l", 100), o.doubleValue("kappa-r", 100),
            o.doubleValue("noise", 0), o.longValue("seed", 0));
        String out = o.required("out");
        long rows = o.requiredLong("rows");
        long testRows = o.longValue("test-rows", 0);
        int partitions = o.intValue("partitions", defaultPartitions(spark));
        List<LatherTableInfo> result = new ArrayList<>();
        result.add(KroneckerLeastSquares.generate(spark.get(), config, "train", rows, partitions,
            out + "/train", o.flag("overwrite")));
        if (testRows > 0) {
          result.add(KroneckerLeastSquares.generate(spark.get(), config, "test", testRows,
              partitions, out + "/test", o.flag("overwrite")));
        }
        return result;
      }
      default -> throw new UsageException("unknown command '" + o.command + "'");
    }
  }

  private static int defaultPartitions(Supplier<SparkSession> spark) {
    return spark.get().sparkContext().defaultParallelism();
  }

  private static LabelSpec labels(Options o) {
    if (o.flag("index-labels")) {
      return LabelSpec.indexed();
    }
    String task = o.get("task", "classification");
    return switch (task) {
      case "regression" -> LabelSpec.regression();
      case "classification" -> LabelSpec.classes(o.intValue("num-classes", 0));
      default -> throw new UsageException("--task " + task + ": must be classification or "
          + "regression");
    };
  }

  private static SourceMapping mapping(Options o) {
    List<FeatureSpec> specs = new ArrayList<>();
    if (o.has("features")) {
      specs.add(FeatureSpec.columns(List.of(o.get("features", "").split(","))));
    }
    if (o.has("feature-prefix")) {
      specs.add(FeatureSpec.prefix(o.get("feature-prefix", "")));
    }
    if (o.has("feature-range")) {
      String[] ends = o.get("feature-range", "").split(":", -1);
      if (ends.length != 2) {
        throw new UsageException("--feature-range must be FIRST:LAST");
      }
      specs.add(FeatureSpec.range(ends[0], ends[1]));
    }
    if (o.has("feature-column")) {
      specs.add(FeatureSpec.column(o.get("feature-column", "")));
    }
    if (specs.size() != 1) {
      throw new UsageException("give exactly one of --features, --feature-prefix, "
          + "--feature-range, --feature-column");
    }
    SourceMapping m = SourceMapping.of(specs.get(0), o.required("label"), labels(o));
    if (o.has("split-column")) {
      m = m.withSplitColumn(o.get("split-column", ""));
    } else {
      m = m.withSplit(o.get("split", "train"));
    }
    if (o.has("target-columns")) {
      m = m.withTarget(FeatureSpec.columns(List.of(o.get("target-columns", "").split(","))));
    }
    return m;
  }

  private static List<Integer> ints(String csv) {
    List<Integer> out = new ArrayList<>();
    if (csv.isBlank()) {
      return out;
    }
    for (String part : csv.split(",")) {
      try {
        out.add(Integer.parseInt(part.trim()));
      } catch (NumberFormatException e) {
        throw new UsageException("'" + csv + "' is not a comma-separated list of integers");
      }
    }
    return out;
  }

  private static final Set<String> LABEL_OPTIONS = Set.of("task", "num-classes", "index-labels");
  private static final Set<String> MAPPING_OPTIONS = Set.of("in", "out", "label", "features",
      "feature-prefix", "feature-range", "feature-column", "split", "split-column",
      "target-columns", "overwrite", "task", "num-classes", "index-labels");

  /** The options each command accepts; anything else is a usage error before any work starts. */
  private static final Map<String, Set<String>> ALLOWED = Map.of(
      "fashion-mnist", Set.of("out", "source-dir", "limit", "test-limit", "partitions",
          "overwrite"),
      "libsvm", union(Set.of("in", "out", "num-features", "split", "overwrite"), LABEL_OPTIONS),
      "csv", union(MAPPING_OPTIONS, Set.of("no-header", "delimiter")),
      "parquet", MAPPING_OPTIONS,
      "delta", MAPPING_OPTIONS,
      "synthetic-mlp", Set.of("out", "rows", "test-rows", "input-dim", "hidden", "activation",
          "outputs", "task", "noise", "seed", "partitions", "overwrite"),
      "synthetic-kronecker", Set.of("out", "rows", "test-rows", "m", "n", "kappa-l", "kappa-r",
          "noise", "seed", "partitions", "overwrite"),
      "validate", Set.of("table"));

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> u = new HashSet<>(a);
    u.addAll(b);
    return Set.copyOf(u);
  }

  /** Parsed {@code --key value} options and {@code --flag}s. */
  private static final class Options {
    private static final Set<String> FLAGS = Set.of("overwrite", "index-labels", "no-header");

    final String command;
    private final Map<String, String> values = new HashMap<>();

    private Options(String command) {
      this.command = command;
    }

    static Options parse(String[] args) {
      Options o = new Options(args[0]);
      Set<String> allowed = ALLOWED.get(o.command);
      if (allowed == null) {
        throw new UsageException("unknown command '" + o.command + "'");
      }
      for (int i = 1; i < args.length; i++) {
        String a = args[i];
        if (!a.startsWith("--") || a.length() == 2) {
          throw new UsageException("unexpected argument '" + a + "'");
        }
        String key = a.substring(2);
        if (!allowed.contains(key)) {
          throw new UsageException(o.command + " does not take --" + key);
        }
        if (FLAGS.contains(key)) {
          o.values.put(key, "true");
        } else if (i + 1 >= args.length) {
          throw new UsageException("--" + key + " needs a value");
        } else {
          o.values.put(key, args[++i]);
        }
      }
      return o;
    }

    boolean has(String key) {
      return values.containsKey(key);
    }

    boolean flag(String key) {
      return has(key);
    }

    String get(String key, String fallback) {
      return has(key) ? values.get(key) : fallback;
    }

    String required(String key) {
      if (!has(key)) {
        throw new UsageException(command + " needs --" + key);
      }
      return values.get(key);
    }

    long requiredLong(String key) {
      required(key);
      return longValue(key, 0);
    }

    int requiredInt(String key) {
      required(key);
      return intValue(key, 0);
    }

    int intValue(String key, int fallback) {
      long v = longValue(key, fallback);
      if (v != (int) v) {
        throw new UsageException("--" + key + " " + v + ": too large");
      }
      return (int) v;
    }

    long longValue(String key, long fallback) {
      if (!has(key)) {
        return fallback;
      }
      try {
        return Long.parseLong(values.get(key));
      } catch (NumberFormatException e) {
        throw new UsageException("--" + key + " " + values.get(key) + ": not an integer");
      }
    }

    double doubleValue(String key, double fallback) {
      if (!has(key)) {
        return fallback;
      }
      try {
        return Double.parseDouble(values.get(key));
      } catch (NumberFormatException e) {
        throw new UsageException("--" + key + " " + values.get(key) + ": not a number");
      }
    }
  }
}
