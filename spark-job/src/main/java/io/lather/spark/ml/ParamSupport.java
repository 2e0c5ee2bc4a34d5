package io.lather.spark.ml;

import io.lather.optimizer.config.OptimizerConfigParser;
import io.lather.optimizer.config.Presets;
import java.io.Serializable;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.param.StringArrayParam;
import scala.Function1;
import scala.runtime.AbstractFunction1;

/**
 * Definitions of the shared params (name, doc, validator, default) and the checks their setters run, so that both
 * estimators declare them identically. Param validators are Spark's last line of defence (they also guard values set
 * through a {@code ParamMap}); the setters check first and throw {@link LatherMlException}s that say what to do.
 */
final class ParamSupport {
    private ParamSupport() {}

    static final List<String> ACTIVATIONS = List.of("relu", "tanh", "gelu", "sigmoid");
    static final List<String> STATISTICS = List.of("global", "partition");

    static final int DEFAULT_HIDDEN = 64;
    static final int DEFAULT_EPOCHS = 10;
    static final int DEFAULT_BATCH = 64;
    static final long DEFAULT_SEED = 42L;

    /** A Spark param validator (must be serializable: params travel with the stage to executors). */
    static final class Check extends AbstractFunction1<Object, Object> implements Serializable {
        private static final long serialVersionUID = 1L;
        private final SerializablePredicate<Object> predicate;

        Check(SerializablePredicate<Object> predicate) {
            this.predicate = predicate;
        }

        @Override
        public Object apply(Object value) {
            return value != null && predicate.test(value);
        }
    }

    /** A serializable {@link Predicate}. */
    interface SerializablePredicate<T> extends Predicate<T>, Serializable {}

    /**
     * A validator of values of {@code type}; typed for whichever param it is given to (Spark's primitive params take a
     * {@code Function1<Object, Object>} since Scala erases {@code Int} and {@code Double} to {@code Object}).
     */
    @SuppressWarnings("unchecked")
    static <T, V> Function1<V, Object> check(Class<T> type, SerializablePredicate<T> p) {
        return (Function1<V, Object>) (Function1<?, ?>) new Check(v -> type.isInstance(v) && p.test(type.cast(v)));
    }

    static IntArrayParam hiddenLayers(Params owner) {
        return new IntArrayParam(owner, "hiddenLayers", "widths of the MLP's hidden layers, input side first; empty = none "
                + "(model.hidden_sizes; default [" + DEFAULT_HIDDEN + "]; each >= 1)",
                check(int[].class, a -> Arrays.stream(a).allMatch(w -> w >= 1)));
    }

    static Param<String> activation(Params owner) {
        return new Param<String>(owner, "activation", "activation after each hidden layer: " + String.join(", ", ACTIVATIONS)
                + " (model.activation; default relu)", check(String.class, s -> ACTIVATIONS.contains(s)));
    }

    static Param<String> optimizer(Params owner) {
        return new Param<String>(owner, "optimizer", "optimizer preset: " + String.join(", ", Presets.NAMES)
                + " (optimizer; default shampoo)", check(String.class, s -> Presets.NAMES.contains(s)));
    }

    static StringArrayParam optimizerOptions(Params owner) {
        return new StringArrayParam(owner, "optimizerOptions", "extra optimizer settings as key=value entries, e.g. "
                + "beta2=0.99 or optimizer.precondition_frequency=20 (the optimizer. prefix may be left out; keys in "
                + "conf/README.md; default none)", check(String[].class, a -> Arrays.stream(a).allMatch(e -> e != null && e.indexOf('=') > 0)));
    }

    static DoubleParam learningRate(Params owner) {
        return new DoubleParam(owner, "learningRate", "peak learning rate, > 0 (optimizer.lr; default: unset = the preset's "
                + "own, 1e-3 for most presets)", check(Double.class, d -> d > 0 && Double.isFinite(d)));
    }

    static IntParam maxSteps(Params owner) {
        return new IntParam(owner, "maxSteps", "optimizer steps, >= 0; 0 = derive from epochs (train.steps; default 0)",
                check(Integer.class, i -> i >= 0));
    }

    static IntParam epochs(Params owner) {
        return new IntParam(owner, "epochs", "passes over the training rows when maxSteps = 0, >= 1 (train.epochs; "
                + "default " + DEFAULT_EPOCHS + ")", check(Integer.class, i -> i >= 1));
    }

    static IntParam partitions(Params owner) {
        return new IntParam(owner, "partitions", "data partitions P, one gradient task each per step, >= 0; 0 = Spark's "
                + "default parallelism (train.partitions; default 0)", check(Integer.class, i -> i >= 0));
    }

    static IntParam batchPerPartition(Params owner) {
        return new IntParam(owner, "batchPerPartition", "rows per partition per step b, >= 1; the global batch is P*b "
                + "(train.batch_per_partition; default " + DEFAULT_BATCH + ")", check(Integer.class, i -> i >= 1));
    }

    static LongParam seed(Params owner) {
        return new LongParam(owner, "seed", "seed of the parameter initialisation and of the per-epoch shuffles (run.seed; "
                + "default " + DEFAULT_SEED + ")", check(Long.class, l -> true));
    }

    static Param<String> checkpointLocation(Params owner) {
        return new Param<String>(owner, "checkpointLocation", "base directory (path or URI) of the Delta tables fit writes: "
                + "data/<run id>, checkpoints, metrics; empty = a new temporary directory on the driver, which only works "
                + "with a local master (default empty)", check(String.class, s -> true));
    }

    static IntParam checkpointInterval(Params owner) {
        return new IntParam(owner, "checkpointInterval", "write a checkpoint every this many steps, >= 0; 0 = only after "
                + "the last step (checkpoint.every; default 0)", check(Integer.class, i -> i >= 0));
    }

    static Param<String> statistics(Params owner) {
        return new Param<String>(owner, "statistics", "Kronecker-factor statistics from the global gradient (global, the "
                + "reference algorithm) or from partition gradients (partition) (train.statistics; default global)",
                check(String.class, s -> STATISTICS.contains(s)));
    }

    /** Sets the documented defaults of the shared params. */
    static void setDefaults(LatherParams p) {
        p.setDefault(p.hiddenLayers(), new int[] {DEFAULT_HIDDEN});
        p.setDefault(p.activation(), "relu");
        p.setDefault(p.optimizer(), "shampoo");
        p.setDefault(p.optimizerOptions(), new String[0]);
        p.setDefault(p.maxSteps(), 0);
        p.setDefault(p.epochs(), DEFAULT_EPOCHS);
        p.setDefault(p.partitions(), 0);
        p.setDefault(p.batchPerPartition(), DEFAULT_BATCH);
        p.setDefault(p.seed(), DEFAULT_SEED);
        p.setDefault(p.checkpointLocation(), "");
        p.setDefault(p.checkpointInterval(), 0);
        p.setDefault(p.statistics(), "global");
    }

    // ------------------------------------------------------------------------------------------------ setter checks

    static String oneOf(String stage, String param, String value, List<String> options) {
        Objects.requireNonNull(value, param);
        if (!options.contains(value)) {
            throw MlErrors.notOneOf(stage, param, value, options, Presets.didYouMean(value, options));
        }
        return value;
    }

    static int atLeast(String stage, String param, int value, int min) {
        if (value < min) {
            throw MlErrors.badParam(stage, param, value, "must be an integer >= " + min);
        }
        return value;
    }

    static double positive(String stage, String param, double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw MlErrors.badParam(stage, param, value, "must be a finite number > 0");
        }
        return value;
    }

    static int[] widths(String stage, int[] widths) {
        for (int w : widths) {
            if (w < 1) {
                throw MlErrors.badParam(stage, "hiddenLayers", Arrays.toString(widths), "every width must be >= 1; "
                        + "give an empty list for no hidden layer");
            }
        }
        return widths.clone();
    }

    /** {@code ,} followed by {@code key=}: where one entry of a comma-separated option list ends. */
    private static final Pattern ENTRY_SPLIT = Pattern.compile(",(?=\\s*[A-Za-z_][A-Za-z0-9_.]*\\s*=)");

    /**
     * Splits and checks option entries. An entry may itself be a comma-separated list ({@code "beta2=0.99,epsilon=1e-10"});
     * it is split only before {@code key=}, so values that contain commas (such as
     * {@code preconditioner.inverse_exponent_override=2:0=0,1=0.25}) stay whole.
     */
    static String[] options(String stage, String... entries) {
        List<String> out = new ArrayList<>();
        for (String e : entries) {
            Objects.requireNonNull(e, "optimizerOptions entry");
            for (String part : ENTRY_SPLIT.split(e)) {
                if (part.isBlank()) {
                    continue;
                }
                option(stage, part);
                out.add(part.trim());
            }
        }
        return out.toArray(new String[0]);
    }

    /** The options of a map, checked. */
    static String[] options(String stage, Map<String, String> options) {
        return options.entrySet().stream().map(e -> e.getKey().trim() + "=" + e.getValue().trim())
                .peek(e -> option(stage, e)).toArray(String[]::new);
    }

    /**
     * One {@code key=value} entry as a full {@code optimizer.*} key and its value; the key must be a known optimizer key.
     */
    static Map.Entry<String, String> option(String stage, String entry) {
        int eq = entry.indexOf('=');
        if (eq <= 0) {
            throw MlErrors.badOptimizerOption(stage, entry);
        }
        String key = entry.substring(0, eq).trim();
        String value = entry.substring(eq + 1).trim();
        String full = key.startsWith("optimizer.") ? key : "optimizer." + key;
        if (key.equals("optimizer")) {
            throw MlErrors.badParam(stage, "optimizerOptions", entry, "the preset is chosen with the optimizer param. "
                    + "Fix: use setOptimizer(\"" + value + "\").");
        }
        List<String> known = OptimizerConfigParser.keys().stream().map(OptimizerConfigParser.Key::name)
                .collect(Collectors.toList());
        if (!known.contains(full)) {
            throw MlErrors.badParam(stage, "optimizerOptions", "'" + entry + "'", "'" + full + "' is not an optimizer setting"
                    + Presets.didYouMean(full, known) + ". Fix: use a key listed in conf/README.md.");
        }
        return new AbstractMap.SimpleImmutableEntry<>(full, value);
    }
}
