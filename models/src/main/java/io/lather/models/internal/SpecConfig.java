package io.lather.models.internal;

import io.lather.models.Activation;
import io.lather.models.AutoencoderSpec;
import io.lather.models.CnnSpec;
import io.lather.models.CustomSpec;
import io.lather.models.LogisticRegressionSpec;
import io.lather.models.MlpSpec;
import io.lather.models.ModelSpec;
import io.lather.models.Task;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The config codec of {@link ModelSpec}: flat string maps with a {@code type} key and snake_case keys per type.
 * Keys, defaults and ranges are documented on each spec record; this class is the only place that spells them.
 */
public final class SpecConfig {
    /** The stable type names, in documentation order. */
    public static final List<String> TYPE_NAMES = List.of(MlpSpec.TYPE, CnnSpec.TYPE, LogisticRegressionSpec.TYPE,
            AutoencoderSpec.TYPE, CustomSpec.TYPE);

    private static final Map<String, List<String>> KEYS = Map.of(
            MlpSpec.TYPE, List.of("type", "input_dim", "hidden_sizes", "activation", "output_dim", "task"),
            CnnSpec.TYPE, List.of("type", "channels", "height", "width", "conv1_filters", "conv2_filters", "kernel_size",
                    "pool_size", "dense_units", "classes", "activation"),
            LogisticRegressionSpec.TYPE, List.of("type", "input_dim", "classes"),
            AutoencoderSpec.TYPE, List.of("type", "input_dim", "hidden_sizes", "bottleneck", "activation"),
            CustomSpec.TYPE, List.of("type", "factory_class", "input_dim", "output_dim", "task"));

    private SpecConfig() {
    }

    /**
     * Reads a spec; see {@link ModelSpec#fromConfig(Map)}.
     *
     * @param config keys and values
     * @return the spec
     */
    public static ModelSpec parse(Map<String, String> config) {
        String type = config.containsKey("type") ? config.get("type").trim() : null;
        if (type == null) {
            throw ModelErrors.missingType(TYPE_NAMES);
        }
        List<String> keys = KEYS.get(type);
        if (keys == null) {
            throw ModelErrors.unknownType(type, TYPE_NAMES);
        }
        TreeSet<String> unknown = new TreeSet<>(config.keySet());
        unknown.removeAll(keys);
        if (!unknown.isEmpty()) {
            throw ModelErrors.unknownKeys(type, unknown, keys);
        }
        Reader r = new Reader(type, config, keys);
        return switch (type) {
            case MlpSpec.TYPE -> new MlpSpec(r.integer("input_dim"), r.integers("hidden_sizes", ""),
                    Activation.fromConfigName(type, "activation", r.text("activation", "relu")), r.integer("output_dim"),
                    Task.fromConfigName(type, "task", r.text("task", "classification"), Task.CLASSIFICATION, Task.REGRESSION));
            case CnnSpec.TYPE -> new CnnSpec(r.integer("channels", 1), r.integer("height"), r.integer("width"),
                    r.integer("conv1_filters", 8), r.integer("conv2_filters", 16), r.integer("kernel_size", 5),
                    r.integer("pool_size", 2), r.integer("dense_units", 64), r.integer("classes"),
                    Activation.fromConfigName(type, "activation", r.text("activation", "relu")));
            case LogisticRegressionSpec.TYPE -> new LogisticRegressionSpec(r.integer("input_dim"), r.integer("classes"));
            case AutoencoderSpec.TYPE -> new AutoencoderSpec(r.integer("input_dim"), r.integers("hidden_sizes", ""),
                    r.integer("bottleneck"), Activation.fromConfigName(type, "activation", r.text("activation", "relu")));
            case CustomSpec.TYPE -> new CustomSpec(r.text("factory_class", null), r.integer("input_dim"),
                    r.integer("output_dim"), Task.fromConfigName(type, "task", r.text("task", "classification"), Task.values()));
            default -> throw new IllegalStateException("type list and switch disagree: " + type);
        };
    }

    /**
     * Writes a spec; see {@link ModelSpec#toConfig()}.
     *
     * @param spec the spec
     * @return keys and values, every key of the type present
     */
    public static Map<String, String> render(ModelSpec spec) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("type", spec.typeName());
        if (spec instanceof MlpSpec s) {
            m.put("input_dim", Integer.toString(s.inputDim()));
            m.put("hidden_sizes", join(s.hiddenSizes()));
            m.put("activation", s.activation().configName());
            m.put("output_dim", Integer.toString(s.outputDim()));
            m.put("task", s.task().configName());
        } else if (spec instanceof CnnSpec s) {
            m.put("channels", Integer.toString(s.channels()));
            m.put("height", Integer.toString(s.height()));
            m.put("width", Integer.toString(s.width()));
            m.put("conv1_filters", Integer.toString(s.conv1Filters()));
            m.put("conv2_filters", Integer.toString(s.conv2Filters()));
            m.put("kernel_size", Integer.toString(s.kernelSize()));
            m.put("pool_size", Integer.toString(s.poolSize()));
            m.put("dense_units", Integer.toString(s.denseUnits()));
            m.put("classes", Integer.toString(s.classes()));
            m.put("activation", s.activation().configName());
        } else if (spec instanceof LogisticRegressionSpec s) {
            m.put("input_dim", Integer.toString(s.inputDim()));
            m.put("classes", Integer.toString(s.classes()));
        } else if (spec instanceof AutoencoderSpec s) {
            m.put("input_dim", Integer.toString(s.inputDim()));
            m.put("hidden_sizes", join(s.hiddenSizes()));
            m.put("bottleneck", Integer.toString(s.bottleneck()));
            m.put("activation", s.activation().configName());
        } else if (spec instanceof CustomSpec s) {
            m.put("factory_class", s.factoryClass());
            m.put("input_dim", Integer.toString(s.inputDim()));
            m.put("output_dim", Integer.toString(s.outputDim()));
            m.put("task", s.task().configName());
        }
        return Collections.unmodifiableMap(m);
    }

    private static String join(int[] values) {
        return Arrays.stream(values).mapToObj(Integer::toString).collect(Collectors.joining(","));
    }

    /** Typed access to one type's keys, with defaults and the error messages of {@link ModelErrors}. */
    private record Reader(String type, Map<String, String> config, List<String> keys) {
        String text(String key, String defaultValue) {
            String v = config.get(key);
            if (v == null) {
                if (defaultValue == null) {
                    throw ModelErrors.missingKey(type, key, keys);
                }
                return defaultValue;
            }
            return v.trim();
        }

        int integer(String key) {
            return parseInt(key, text(key, null));
        }

        int integer(String key, int defaultValue) {
            return config.containsKey(key) ? parseInt(key, text(key, null)) : defaultValue;
        }

        int[] integers(String key, String defaultValue) {
            String raw = text(key, defaultValue);
            if (raw.isEmpty()) {
                return new int[0];
            }
            List<Integer> out = new ArrayList<>();
            for (String part : raw.split(",", -1)) {
                try {
                    out.add(Integer.parseInt(part.trim()));
                } catch (NumberFormatException e) {
                    throw ModelErrors.notAnIntegerList(type, key, raw);
                }
            }
            return out.stream().mapToInt(Integer::intValue).toArray();
        }

        private int parseInt(String key, String raw) {
            try {
                return Integer.parseInt(raw);
            } catch (NumberFormatException e) {
                throw ModelErrors.notAnInteger(type, key, raw);
            }
        }
    }
}
