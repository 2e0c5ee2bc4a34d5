package io.lather.spark.config;

import io.lather.models.ModelSpec;
import io.lather.optimizer.config.OptimizerConfig;
import io.lather.optimizer.config.OptimizerConfigParser;
import io.lather.optimizer.config.Presets;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The complete configuration of a training job: one flat, typed {@code key = value} map assembled from (in increasing
 * precedence) built-in defaults, a job file (Java properties syntax: {@code key = value} lines, {@code #} comments),
 * Spark conf entries {@code spark.lather.<key>}, and command-line {@code --set key=value}. Every key is known: an
 * unknown key is an error with a "did you mean" suggestion; every value is parsed and validated here (model and
 * optimizer sections by their own modules), so a bad job fails before Spark reads any data. The key table is in
 * {@code conf/README.md} and {@link #describeKeys()}.
 */
public final class JobConfig {
    /** Prefix of Lather settings inside a Spark conf. */
    public static final String SPARK_PREFIX = "spark.lather.";

    private static final Map<String, JobKey> KEYS = new LinkedHashMap<>();

    private static void key(String name, String dflt, String description) {
        KEYS.put(name, new JobKey(name, dflt, description));
    }

    static {
        key("run.id", "", "run identifier: checkpoints, metrics and --resume are keyed by it (default: the job file's base name)");
        key("run.seed", "42", "seed of the parameter initialisation and of the per-epoch shuffles");
        key("data.dir", "lather-data", "base directory for derived tables (datasets, checkpoints, metrics)");
        key("data.train", "fashion-mnist", "training table: a Lather Delta table path, or 'fashion-mnist' (loaded from Debian's package)");
        key("data.test", "", "evaluation table: a path, 'fashion-mnist', or 'none' (default: the test split of a fashion-mnist training set, else none)");
        key("data.limit", "0", "use only this many training rows (0 = all); for fashion-mnist the first rows of the file");
        key("data.test_limit", "0", "use only this many evaluation rows (0 = all)");
        key("model.type", "mlp", "mlp, cnn, logistic_regression, autoencoder or custom; the other model.* keys are the model's own (models module)");
        key("model.precision", "float32", "training precision of parameters, gradients and optimizer state: float32 or float64");
        key("train.partitions", "0", "P: data partitions, one gradient task each per step (0 = Spark's default parallelism)");
        key("train.batch_per_partition", "64", "b: rows per partition per step; the global batch is P·b");
        key("train.steps", "0", "steps to train (0 = derive from train.epochs)");
        key("train.epochs", "1", "passes over the training rows when train.steps = 0");
        key("train.statistics", "global", "Kronecker-factor statistics from the global gradient (global, the reference algorithm) or from partition gradients (partition)");
        key("train.lr_schedule", "constant", "constant, cosine (to train.min_lr_ratio·lr) or linear (to train.min_lr_ratio·lr), after train.warmup_steps of linear warm-up");
        key("train.warmup_steps", "0", "steps of linear learning-rate warm-up from 0");
        key("train.min_lr_ratio", "0.0", "final learning rate of the cosine/linear schedule as a fraction of optimizer.lr");
        key("train.log_every", "1", "print a progress line every this many steps");
        key("eval.every", "50", "evaluate on the evaluation table every this many steps (0 = only at the end)");
        key("eval.batch", "2048", "rows per evaluation chunk on an executor");
        key("checkpoint.every", "100", "write a checkpoint every this many steps (0 = only at the end)");
        key("checkpoint.dir", "", "checkpoint Delta table (default: <data.dir>/checkpoints)");
        key("checkpoint.keep", "3", "checkpoints kept per run (older ones are deleted after a new one commits)");
        key("metrics.table", "", "metrics Delta table (default: <data.dir>/metrics)");
        key("spark.master", "local[*]", "Spark master used when the job creates its own session (bin/lather); ignored under spark-submit");
    }

    /** Settings that change what a run computes; resume refuses a checkpoint whose values differ. */
    private static final List<String> COMPATIBILITY_PREFIXES = List.of("run.seed", "data.train", "data.limit", "model.",
            "optimizer", "train.partitions", "train.batch_per_partition", "train.statistics", "train.lr_schedule",
            "train.warmup_steps", "train.min_lr_ratio");

    private final TreeMap<String, String> values;

    private JobConfig(TreeMap<String, String> values) {
        this.values = values;
    }

    /** A recognised key. */
    public record JobKey(String name, String defaultValue, String description) {}

    /** Every non-model, non-optimizer key with its default and meaning. */
    public static List<JobKey> describeKeys() {
        return List.copyOf(KEYS.values());
    }

    /**
     * Assembles and validates a configuration.
     *
     * @param jobFile the job file, or null
     * @param sparkConf Spark conf entries (only {@code spark.lather.*} are read), or an empty map
     * @param overrides {@code --set} values in command-line order
     * @throws JobConfigException naming the key, the value and the fix
     */
    public static JobConfig load(Path jobFile, Map<String, String> sparkConf, List<String> overrides) {
        TreeMap<String, String> v = new TreeMap<>();
        KEYS.values().forEach(k -> v.put(k.name(), k.defaultValue()));
        if (jobFile != null) {
            v.putAll(readFile(jobFile));
            v.putIfAbsent("run.id", "");
            if (v.get("run.id").isEmpty()) {
                String base = jobFile.getFileName().toString();
                v.put("run.id", base.contains(".") ? base.substring(0, base.lastIndexOf('.')) : base);
            }
        }
        sparkConf.forEach((k, val) -> {
            if (k.startsWith(SPARK_PREFIX)) {
                v.put(k.substring(SPARK_PREFIX.length()), val.trim());
            }
        });
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (eq <= 0) {
                throw new JobConfigException("--set " + o + ": expected key=value, e.g. --set optimizer.lr=3e-4");
            }
            v.put(o.substring(0, eq).trim(), o.substring(eq + 1).trim());
        }
        JobConfig c = new JobConfig(v);
        c.validate();
        return c;
    }

    /** A configuration from explicit key/value pairs on top of the defaults (tests, notebooks, the Estimator). */
    public static JobConfig of(Map<String, String> settings) {
        TreeMap<String, String> v = new TreeMap<>();
        KEYS.values().forEach(k -> v.put(k.name(), k.defaultValue()));
        v.putAll(settings);
        if (v.get("run.id").isEmpty()) {
            v.put("run.id", "lather-run");
        }
        JobConfig c = new JobConfig(v);
        c.validate();
        return c;
    }

    /** A copy with some values replaced (validated). */
    public JobConfig with(Map<String, String> changes) {
        TreeMap<String, String> v = new TreeMap<>(values);
        v.putAll(changes);
        JobConfig c = new JobConfig(v);
        c.validate();
        return c;
    }

    private static Map<String, String> readFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new JobConfigException("job file " + file.toAbsolutePath() + " does not exist; pass the path of a job config such as "
                    + "conf/jobs/fashion-mnist-mlp.conf");
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new JobConfigException("cannot read job file " + file + ": " + e.getMessage());
        }
        Map<String, String> out = new LinkedHashMap<>();
        p.stringPropertyNames().forEach(k -> out.put(k.trim(), p.getProperty(k).trim()));
        return out;
    }

    private void validate() {
        for (String k : values.keySet()) {
            if (KEYS.containsKey(k) || k.startsWith("model.") || OptimizerConfigParser.isOptimizerKey(k)) {
                continue;
            }
            List<String> candidates = new ArrayList<>(KEYS.keySet());
            OptimizerConfigParser.keys().forEach(x -> candidates.add(x.name()));
            throw new JobConfigException("unknown setting '" + k + "'" + Presets.didYouMean(k, candidates)
                    + "; see conf/README.md for every key");
        }
        if (runId().isEmpty() || !runId().matches("[A-Za-z0-9._-]+")) {
            throw new JobConfigException("run.id = '" + runId() + "'; must be non-empty and use only letters, digits, '.', '_' and '-'");
        }
        positiveOrZero("train.partitions");
        positive("train.batch_per_partition");
        positiveOrZero("train.steps");
        double epochs = number("train.epochs");
        if (!(epochs > 0) || Double.isInfinite(epochs)) {
            throw new JobConfigException("train.epochs = " + get("train.epochs") + "; must be a number > 0 (fractions allowed, e.g. 0.5)");
        }
        positiveOrZero("eval.every");
        positive("eval.batch");
        positiveOrZero("checkpoint.every");
        positive("checkpoint.keep");
        positive("train.log_every");
        positiveOrZero("train.warmup_steps");
        positiveOrZero("data.limit");
        positiveOrZero("data.test_limit");
        oneOf("train.statistics", "global", "partition");
        oneOf("train.lr_schedule", "constant", "cosine", "linear");
        oneOf("model.precision", "float32", "float64");
        double ratio = number("train.min_lr_ratio");
        if (!(ratio >= 0 && ratio <= 1)) {
            throw new JobConfigException("train.min_lr_ratio = " + get("train.min_lr_ratio") + "; must be in [0, 1]");
        }
        optimizer(); // validates the optimizer section
        if (statistics().equals("partition") && optimizer() instanceof io.lather.optimizer.config.NvidiaSoapConfig) {
            throw new JobConfigException("train.statistics = partition is not available with optimizer = nvidia-soap; use global");
        }
    }

    private void positive(String k) {
        if (integer(k) < 1) {
            throw new JobConfigException(k + " = " + get(k) + "; must be an integer >= 1");
        }
    }

    private void positiveOrZero(String k) {
        if (integer(k) < 0) {
            throw new JobConfigException(k + " = " + get(k) + "; must be an integer >= 0");
        }
    }

    private void oneOf(String k, String... options) {
        String v = get(k);
        for (String o : options) {
            if (o.equals(v)) {
                return;
            }
        }
        throw new JobConfigException(k + " = " + v + "; must be one of " + String.join(", ", options)
                + Presets.didYouMean(v, List.of(options)));
    }

    /** The raw value of a key (defaults included). */
    public String get(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new JobConfigException("setting '" + key + "' is not set");
        }
        return v;
    }

    /** An integer value. */
    public long integer(String key) {
        try {
            return Long.parseLong(get(key));
        } catch (NumberFormatException e) {
            throw new JobConfigException(key + " = " + get(key) + "; must be an integer");
        }
    }

    /** A numeric value. */
    public double number(String key) {
        try {
            return Double.parseDouble(get(key));
        } catch (NumberFormatException e) {
            throw new JobConfigException(key + " = " + get(key) + "; must be a number");
        }
    }

    /** Every value, sorted by key. */
    public Map<String, String> values() {
        return java.util.Collections.unmodifiableMap(values);
    }

    /** The run id. */
    public String runId() {
        return values.get("run.id");
    }

    /** The optimizer configuration ({@code optimizer} + {@code optimizer.*}). */
    public OptimizerConfig optimizer() {
        try {
            return OptimizerConfigParser.parse(values);
        } catch (io.lather.optimizer.config.ConfigException e) {
            throw new JobConfigException(e.getMessage());
        }
    }

    /**
     * The model spec from the {@code model.*} keys; {@code input_dim} and the class count default to the training
     * table's {@code lather.num_features} / {@code lather.num_classes} when not given.
     */
    public ModelSpec model(long tableFeatures, long tableClasses) {
        Map<String, String> m = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith("model.") && !k.equals("model.precision")) {
                m.put(k.substring("model.".length()), v);
            }
        });
        String type = m.getOrDefault("type", "mlp");
        if (!m.containsKey("input_dim") && !type.equals("cnn") && !type.equals("custom")) {
            m.put("input_dim", Long.toString(tableFeatures));
        }
        if (tableClasses > 0) {
            if (type.equals("mlp") && !m.containsKey("output_dim")) {
                m.put("output_dim", Long.toString(tableClasses));
            }
            if ((type.equals("logistic_regression") || type.equals("cnn")) && !m.containsKey("classes")) {
                m.put("classes", Long.toString(tableClasses));
            }
        }
        try {
            return ModelSpec.fromConfig(m);
        } catch (RuntimeException e) {
            throw new JobConfigException("model section: " + e.getMessage());
        }
    }

    /** {@code global} or {@code partition}. */
    public String statistics() {
        return get("train.statistics");
    }

    /** The checkpoint table path. */
    public String checkpointDir() {
        String v = get("checkpoint.dir");
        return v.isEmpty() ? Path.of(get("data.dir"), "checkpoints").toString() : v;
    }

    /** The metrics table path. */
    public String metricsTable() {
        String v = get("metrics.table");
        return v.isEmpty() ? Path.of(get("data.dir"), "metrics").toString() : v;
    }

    /** The settings that must not change across a resume. */
    public Map<String, String> compatibilitySettings() {
        return compatibilitySubset(values);
    }

    /** The subset of any settings map that must not change across a resume (model, optimizer, data order, schedule). */
    public static Map<String, String> compatibilitySubset(Map<String, String> settings) {
        Map<String, String> out = new TreeMap<>();
        settings.forEach((k, v) -> {
            for (String p : COMPATIBILITY_PREFIXES) {
                if (k.equals(p) || (p.endsWith(".") ? k.startsWith(p) : k.startsWith(p + "."))) {
                    out.put(k, v);
                }
            }
        });
        // a decaying schedule is a function of the run's length, so its length is fixed too; with a constant
        // learning rate a run may be extended (resumed with more steps or epochs)
        if (!"constant".equals(settings.getOrDefault("train.lr_schedule", "constant"))) {
            for (String k : List.of("train.steps", "train.epochs")) {
                if (settings.containsKey(k)) {
                    out.put(k, settings.get(k));
                }
            }
        }
        return out;
    }

    /** SHA-256 of {@link #compatibilitySettings()}. */
    public String compatibilityDigest() {
        return sha256(render(compatibilitySettings()));
    }

    /** Every value as sorted {@code key = value} lines (what checkpoints record). */
    public String render() {
        return render(values);
    }

    /** Parses lines written by {@link #render()}. */
    public static Map<String, String> parseRendered(String text) {
        Map<String, String> out = new TreeMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf(" = ");
            if (eq > 0) {
                out.put(line.substring(0, eq), line.substring(eq + 3));
            }
        }
        return out;
    }

    private static String render(Map<String, String> m) {
        StringBuilder sb = new StringBuilder();
        m.forEach((k, v) -> sb.append(k).append(" = ").append(v).append('\n'));
        return sb.toString();
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return render();
    }
}
