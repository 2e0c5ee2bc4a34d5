package io.lather.optimizer.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * Builds an {@link OptimizerConfig} from flat {@code key = value} settings, as found in job config files, on the
 * command line ({@code --set optimizer.lr=3e-4}) or in Spark conf ({@code spark.lather.optimizer.lr}).
 *
 * <p>{@code optimizer} names a preset ({@link Presets}); every other key overrides one field of it. Keys are
 * typed and closed: an unknown key is an error with a "did you mean" suggestion, a malformed value names the key
 * and the expected form, and the resulting records validate ranges. {@link #keys()} lists every key with its
 * meaning (the source of {@code conf/README.md}'s table).
 */
public final class OptimizerConfigParser {
    /** The key naming the preset. */
    public static final String PRESET_KEY = "optimizer";

    private static final Map<String, Key> KEYS = new LinkedHashMap<>();

    /** A recognised key. */
    public record Key(String name, String description) {}

    private record Def(String description, BiConsumer<Draft, String> apply) {}

    private static final Map<String, Def> DEFS = new LinkedHashMap<>();

    private static void def(String key, String description, BiConsumer<Draft, String> apply) {
        DEFS.put(key, new Def(description, apply));
        KEYS.put(key, new Key(key, description));
    }

    static {
        def("optimizer", "preset: " + String.join(", ", Presets.NAMES) + " (default shampoo)", (d, v) -> { });
        def("optimizer.lr", "learning rate (peak)", (d, v) -> d.lr = dbl("optimizer.lr", v));
        def("optimizer.beta1", "gradient EMA β1 in [0, 1); 0 disables it", (d, v) -> d.beta1 = dbl("optimizer.beta1", v));
        def("optimizer.beta2", "factor / second-moment EMA β2 in [0, 1] (1 = accumulation)", (d, v) -> d.beta2 = dbl("optimizer.beta2", v));
        def("optimizer.beta3", "weight of the current filtered gradient, -1 = β1", (d, v) -> d.beta3 = dbl("optimizer.beta3", v));
        def("optimizer.epsilon", "ε (ridge before eigendecompositions, denominators); 0 only with pseudo_inverse",
                (d, v) -> d.epsilon = dbl("optimizer.epsilon", v));
        def("optimizer.weight_decay", "weight decay >= 0", (d, v) -> d.weightDecay = dbl("optimizer.weight_decay", v));
        def("optimizer.weight_decay_type", "l2, decoupled, corrected or independent",
                (d, v) -> d.weightDecayType = WeightDecayType.parse("optimizer.weight_decay_type", v));
        def("optimizer.max_preconditioner_dim", "block side / merge threshold (integer >= 1 or inf)",
                (d, v) -> d.maxDim = v.trim().equalsIgnoreCase("inf") ? ShampooConfig.UNLIMITED_DIM : lng("optimizer.max_preconditioner_dim", v));
        def("optimizer.target_parameter_dimensionality", "stop merging dims at this many (integer >= 1 or inf)",
                (d, v) -> d.targetDim = v.trim().equalsIgnoreCase("inf") ? Integer.MAX_VALUE : integer("optimizer.target_parameter_dimensionality", v));
        def("optimizer.precondition_frequency", "F: amortized computation every F steps",
                (d, v) -> d.frequency = integer("optimizer.precondition_frequency", v));
        def("optimizer.start_preconditioning_step", "S: first step using Shampoo (-1 = F, never = grafting only)",
                (d, v) -> d.start = v.trim().equalsIgnoreCase("never") ? ShampooConfig.NEVER : integer("optimizer.start_preconditioning_step", v));
        def("optimizer.use_bias_correction", "bias-correct β1 and β2 statistics", (d, v) -> d.biasCorrection = bool("optimizer.use_bias_correction", v));
        def("optimizer.check_gradients_finite", "reject NaN/Inf gradients before they touch the state",
                (d, v) -> d.checkFinite = bool("optimizer.check_gradients_finite", v));
        def("optimizer.precision", "storage precision of all preconditioner state: float32 or float64",
                (d, v) -> d.precision = Precision.parse("optimizer.precision", v));
        def("optimizer.grafting", "none, sgd, adagrad, rmsprop or adam", (d, v) -> d.grafting = choice("optimizer.grafting", v,
                "none", "sgd", "adagrad", "rmsprop", "adam"));
        def("optimizer.grafting.beta2", "grafting β2", (d, v) -> d.graftBeta2 = dbl("optimizer.grafting.beta2", v));
        def("optimizer.grafting.epsilon", "grafting ε", (d, v) -> d.graftEpsilon = dbl("optimizer.grafting.epsilon", v));
        def("optimizer.averaging", "none, classic_momentum, gpa or schedule_free", (d, v) -> d.averaging = choice("optimizer.averaging", v,
                "none", "classic_momentum", "gpa", "schedule_free"));
        def("optimizer.averaging.momentum", "classic momentum μ", (d, v) -> d.momentum = dbl("optimizer.averaging.momentum", v));
        def("optimizer.averaging.dampening", "classic momentum dampening", (d, v) -> d.dampening = dbl("optimizer.averaging.dampening", v));
        def("optimizer.averaging.nesterov", "Nesterov form of classic momentum", (d, v) -> d.nesterov = bool("optimizer.averaging.nesterov", v));
        def("optimizer.averaging.eval_interp_coeff", "GPA μx", (d, v) -> d.evalInterp = dbl("optimizer.averaging.eval_interp_coeff", v));
        def("optimizer.averaging.train_interp_coeff", "GPA / Schedule-Free μy", (d, v) -> d.trainInterp = dbl("optimizer.averaging.train_interp_coeff", v));
        def("optimizer.averaging.eval_coeff_lr_power", "Schedule-Free lr power p", (d, v) -> d.lrPower = dbl("optimizer.averaging.eval_coeff_lr_power", v));
        def("optimizer.preconditioner", "root_inverse, eigendecomposed, eigenvalue_corrected, per_factor_eigenvalue_corrected, sgd, adagrad, rmsprop or adam",
                (d, v) -> d.preconditioner = choice("optimizer.preconditioner", v, "root_inverse", "eigendecomposed", "eigenvalue_corrected",
                        "per_factor_eigenvalue_corrected", "sgd", "adagrad", "rmsprop", "adam"));
        def("optimizer.preconditioner.kl", "KL-Shampoo factor update (root_inverse, eigendecomposed, per_factor_eigenvalue_corrected)",
                (d, v) -> d.kl = bool("optimizer.preconditioner.kl", v));
        def("optimizer.preconditioner.beta2", "β2 of a diagonal main preconditioner (rmsprop, adam)", (d, v) -> d.diagBeta2 = dbl("optimizer.preconditioner.beta2", v));
        def("optimizer.preconditioner.epsilon", "ε of a diagonal main preconditioner", (d, v) -> d.diagEpsilon = dbl("optimizer.preconditioner.epsilon", v));
        def("optimizer.preconditioner.inverse_exponent_override", "per order: '2:0.5' (all modes) or '2:0=0,1=0.25;3:0.1666' (per mode)",
                (d, v) -> d.exponentOverride = v);
        def("optimizer.preconditioner.ignored_basis_change_dims", "eigenvalue_corrected: modes not rotated, per order, e.g. '2:1;3:0,2'",
                (d, v) -> d.ignoredDims = v);
        def("optimizer.preconditioner.eigendecomposition", "eigh or qr", (d, v) -> d.eigendecomposition = choice(
                "optimizer.preconditioner.eigendecomposition", v, "eigh", "qr"));
        def("optimizer.preconditioner.tolerance", "adaptive eigenbasis criterion τ in [0, 1] (Purifying Shampoo); 0 = always recompute",
                (d, v) -> d.tolerance = dbl("optimizer.preconditioner.tolerance", v));
        def("optimizer.preconditioner.max_iterations", "QR iterations per amortized step", (d, v) -> d.qrIterations = integer("optimizer.preconditioner.max_iterations", v));
        def("optimizer.preconditioner.root_computation", "root_inverse: eigen, coupled_newton or coupled_higher_order",
                (d, v) -> d.rootComputation = choice("optimizer.preconditioner.root_computation", v, "eigen", "coupled_newton", "coupled_higher_order"));
        def("optimizer.preconditioner.rank_deficiency", "perturbation, perturbation_after or pseudo_inverse",
                (d, v) -> d.rank = choice("optimizer.preconditioner.rank_deficiency", v, "perturbation", "perturbation_after", "pseudo_inverse"));
        def("optimizer.preconditioner.num_tolerated_failed_amortized_computations", "failed amortized computations in a row before the step fails",
                (d, v) -> d.toleratedFailures = integer("optimizer.preconditioner.num_tolerated_failed_amortized_computations", v));
        def("optimizer.preconditioner.use_trace_scaling", "scale factors by trace^-p before the amortized computation",
                (d, v) -> d.traceScaling = bool("optimizer.preconditioner.use_trace_scaling", v));
        def("optimizer.preconditioner.trace_scaling_exponent", "p in (0, 1]", (d, v) -> d.traceExponent = dbl("optimizer.preconditioner.trace_scaling_exponent", v));
        def("optimizer.preconditioner.drop_weighting_factor_on_gsquare", "F ← β2 F + G Gᵀ without (1 − β2) and without bias correction",
                (d, v) -> d.dropWeighting = bool("optimizer.preconditioner.drop_weighting_factor_on_gsquare", v));
        def("optimizer.soap.version", "nvidia-soap: head or legacy", (d, v) -> d.soapVersion = NvidiaSoapConfig.Version.valueOf(
                choice("optimizer.soap.version", v, "head", "legacy").toUpperCase(Locale.ROOT)));
        def("optimizer.soap.shampoo_beta", "nvidia-soap factor EMA β", (d, v) -> d.shampooBeta = dbl("optimizer.soap.shampoo_beta", v));
        def("optimizer.soap.adam_warmup_steps", "nvidia-soap (legacy) Adam warm-up steps", (d, v) -> d.adamWarmup = integer("optimizer.soap.adam_warmup_steps", v));
        def("optimizer.soap.precondition_1d", "nvidia-soap (legacy) factor for 1-D tensors", (d, v) -> d.precondition1d = bool("optimizer.soap.precondition_1d", v));
        def("optimizer.soap.max_precond_dim", "nvidia-soap: modes longer than this are not rotated", (d, v) -> d.maxPrecondDim = lng("optimizer.soap.max_precond_dim", v));
        def("optimizer.soap.use_eigh", "nvidia-soap: refresh by eigh instead of power iteration + QR", (d, v) -> d.useEigh = bool("optimizer.soap.use_eigh", v));
        def("optimizer.soap.use_adaptive_criteria", "nvidia-soap (legacy): skip refreshes by the adaptive criterion",
                (d, v) -> d.adaptive = bool("optimizer.soap.use_adaptive_criteria", v));
        def("optimizer.soap.adaptive_update_tolerance", "nvidia-soap criterion tolerance", (d, v) -> d.adaptiveTol = dbl("optimizer.soap.adaptive_update_tolerance", v));
        def("optimizer.soap.power_iter_steps", "nvidia-soap power iterations per refresh", (d, v) -> d.powerIter = integer("optimizer.soap.power_iter_steps", v));
        def("optimizer.soap.max_update_rms", "nvidia-soap update RMS clip (0 = off)", (d, v) -> d.maxUpdateRms = dbl("optimizer.soap.max_update_rms", v));
        def("optimizer.soap.use_kl_shampoo", "nvidia-soap KL factor update", (d, v) -> d.soapKl = bool("optimizer.soap.use_kl_shampoo", v));
        def("optimizer.soap.nesterov", "nvidia-soap Nesterov inside Adam", (d, v) -> d.soapNesterov = bool("optimizer.soap.nesterov", v));
        def("optimizer.soap.weight_decay_method", "nvidia-soap: decoupled, independent, l2 or palm",
                (d, v) -> d.soapWdMethod = NvidiaSoapConfig.WeightDecayMethod.valueOf(choice("optimizer.soap.weight_decay_method", v,
                        "decoupled", "independent", "l2", "palm").toUpperCase(Locale.ROOT)));
        def("optimizer.soap.precondition_frequency", "nvidia-soap (legacy) refresh frequency", (d, v) -> d.soapFrequency = integer("optimizer.soap.precondition_frequency", v));
    }

    /** Keys that mean the same for NVIDIA SOAP as for the Shampoo family. */
    private static final java.util.Set<String> SHARED_KEYS = java.util.Set.of("optimizer.lr", "optimizer.beta1", "optimizer.beta2",
            "optimizer.epsilon", "optimizer.weight_decay");

    private OptimizerConfigParser() {}

    /** Every recognised key with its description, in documentation order. */
    public static List<Key> keys() {
        return List.copyOf(KEYS.values());
    }

    /** Whether a key belongs to the optimizer's namespace ({@code optimizer} or {@code optimizer.*}). */
    public static boolean isOptimizerKey(String key) {
        return key.equals(PRESET_KEY) || key.startsWith(PRESET_KEY + ".");
    }

    /**
     * Parses settings: the preset named by {@code optimizer} (default {@code shampoo}) with every other
     * {@code optimizer.*} key applied on top. Keys outside the namespace are ignored (the caller owns them).
     *
     * @throws ConfigException for an unknown key (with a suggestion), a malformed value, or an invalid result
     */
    public static OptimizerConfig parse(Map<String, String> settings) {
        Map<String, String> mine = new TreeMap<>();
        for (Map.Entry<String, String> e : settings.entrySet()) {
            if (isOptimizerKey(e.getKey())) {
                if (!DEFS.containsKey(e.getKey())) {
                    throw new ConfigException(e.getKey(), "unknown optimizer setting '" + e.getKey() + "'"
                            + Presets.didYouMean(e.getKey(), DEFS.keySet()) + "; see conf/README.md for the list of keys");
                }
                mine.put(e.getKey(), e.getValue().trim());
            }
        }
        String preset = mine.getOrDefault(PRESET_KEY, "shampoo");
        Draft d = Draft.of(Presets.get(preset, Double.NaN));
        for (String key : mine.keySet()) {
            boolean soapKey = key.startsWith("optimizer.soap.");
            boolean shared = key.equals(PRESET_KEY) || SHARED_KEYS.contains(key);
            if (d.soap && !soapKey && !shared) {
                throw new ConfigException(key, "setting '" + key + "' does not apply to the nvidia-soap preset; "
                        + "use optimizer.soap.* keys (see conf/README.md) or another preset");
            }
            if (!d.soap && soapKey) {
                throw new ConfigException(key, "setting '" + key + "' only applies to optimizer = nvidia-soap (the preset is '"
                        + preset + "')");
            }
        }
        for (String key : mine.keySet()) {
            DEFS.get(key).apply().accept(d, mine.get(key));
        }
        if (d.soap && d.soapVersion == NvidiaSoapConfig.Version.HEAD) {
            // HEAD has no refresh frequency or warm-up (it refreshes every step); the preset's legacy values of those
            // two fields do not carry over unless the user set them (then HEAD's validation names them)
            if (!mine.containsKey("optimizer.soap.precondition_frequency")) {
                d.soapFrequency = 1;
            }
            if (!mine.containsKey("optimizer.soap.adam_warmup_steps")) {
                d.adamWarmup = 0;
            }
        }
        return d.build();
    }

    private static double dbl(String key, String v) {
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(key, v, "must be a number");
        }
    }

    private static long lng(String key, String v) {
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(key, v, "must be an integer");
        }
    }

    private static int integer(String key, String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(key, v, "must be an integer");
        }
    }

    private static boolean bool(String key, String v) {
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new ConfigException(key, v, "must be true or false");
        };
    }

    private static String choice(String key, String v, String... options) {
        String s = v.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        for (String o : options) {
            if (o.equals(s)) {
                return o;
            }
        }
        throw new ConfigException(key, v, "must be one of " + String.join(", ", options) + Presets.didYouMean(v, List.of(options)));
    }

    /** Parses '2:0.5' or '2:0=0,1=0.25;3:0.1666'. */
    static InverseExponentOverride parseExponents(String v) {
        String key = "optimizer.preconditioner.inverse_exponent_override";
        Map<Integer, Map<Integer, Double>> out = new LinkedHashMap<>();
        if (v.isBlank()) {
            return InverseExponentOverride.none();
        }
        for (String part : v.split(";")) {
            String[] kv = part.split(":", 2);
            if (kv.length != 2) {
                throw new ConfigException(key, v, "must look like '2:0.5' or '2:0=0,1=0.25;3:0.1666'");
            }
            int order = integer(key, kv[0]);
            Map<Integer, Double> modes = new LinkedHashMap<>();
            if (kv[1].contains("=")) {
                for (String m : kv[1].split(",")) {
                    String[] me = m.split("=", 2);
                    modes.put(integer(key, me[0]), dbl(key, me[1]));
                }
            } else {
                modes.put(InverseExponentOverride.ALL_MODES, dbl(key, kv[1]));
            }
            out.put(order, modes);
        }
        return new InverseExponentOverride(out);
    }

    static String formatExponents(InverseExponentOverride o) {
        List<String> parts = new ArrayList<>();
        o.exponents().forEach((order, modes) -> {
            if (modes.size() == 1 && modes.containsKey(InverseExponentOverride.ALL_MODES)) {
                parts.add(order + ":" + modes.get(InverseExponentOverride.ALL_MODES));
            } else {
                List<String> ms = new ArrayList<>();
                modes.forEach((m, e) -> ms.add(m + "=" + e));
                parts.add(order + ":" + String.join(",", ms));
            }
        });
        return String.join(";", parts);
    }

    /** Parses '2:1;3:0,2'. */
    static Map<Integer, List<Integer>> parseIgnoredDims(String v) {
        String key = "optimizer.preconditioner.ignored_basis_change_dims";
        Map<Integer, List<Integer>> out = new LinkedHashMap<>();
        if (v.isBlank()) {
            return out;
        }
        for (String part : v.split(";")) {
            String[] kv = part.split(":", 2);
            if (kv.length != 2) {
                throw new ConfigException(key, v, "must look like '2:1;3:0,2'");
            }
            List<Integer> modes = new ArrayList<>();
            for (String m : kv[1].split(",")) {
                modes.add(integer(key, m));
            }
            out.put(integer(key, kv[0]), modes);
        }
        return out;
    }

    /** Every field of every config record, flat and mutable, so single keys can be overridden. */
    private static final class Draft {
        boolean soap;
        double lr;
        double beta1;
        double beta2;
        double beta3;
        double epsilon;
        double weightDecay;
        WeightDecayType weightDecayType;
        long maxDim;
        int targetDim;
        int frequency;
        int start;
        boolean biasCorrection;
        boolean checkFinite;
        Precision precision = Precision.FLOAT32;
        String grafting = "none";
        double graftBeta2 = 0.999;
        double graftEpsilon = 1e-8;
        String averaging = "none";
        double momentum = 0.9;
        double dampening = 0.0;
        boolean nesterov = false;
        double evalInterp = 0.9;
        double trainInterp = 0.8;
        double lrPower = 2.0;
        String preconditioner;
        boolean kl;
        double diagBeta2 = 0.999;
        double diagEpsilon = 1e-8;
        String exponentOverride = "";
        String ignoredDims = "";
        String eigendecomposition = "eigh";
        double tolerance = 0.0;
        int qrIterations = 1;
        String rootComputation = "eigen";
        String rank = "perturbation";
        int toleratedFailures = 3;
        boolean traceScaling;
        double traceExponent = 0.5;
        boolean dropWeighting;
        NvidiaSoapConfig.Version soapVersion = NvidiaSoapConfig.Version.HEAD;
        double shampooBeta = 0.95;
        int adamWarmup;
        boolean precondition1d;
        long maxPrecondDim = Long.MAX_VALUE;
        boolean useEigh;
        boolean adaptive;
        double adaptiveTol = 1e-7;
        int powerIter = 1;
        double maxUpdateRms;
        boolean soapKl;
        boolean soapNesterov;
        NvidiaSoapConfig.WeightDecayMethod soapWdMethod = NvidiaSoapConfig.WeightDecayMethod.DECOUPLED;
        int soapFrequency = 1;
        boolean soapCorrectBias = true;

        static Draft of(OptimizerConfig c) {
            Draft d = new Draft();
            if (c instanceof NvidiaSoapConfig n) {
                d.soap = true;
                d.soapVersion = n.version();
                d.lr = n.lr();
                d.beta1 = n.beta1();
                d.beta2 = n.beta2();
                d.shampooBeta = n.shampooBeta();
                d.epsilon = n.eps();
                d.weightDecay = n.weightDecay();
                d.soapWdMethod = n.weightDecayMethod();
                d.soapNesterov = n.nesterov();
                d.soapFrequency = n.preconditionFrequency();
                d.adamWarmup = n.adamWarmupSteps();
                d.precondition1d = n.precondition1d();
                d.maxPrecondDim = n.maxPrecondDim();
                d.soapCorrectBias = n.correctBias();
                d.useEigh = n.useEigh();
                d.adaptive = n.useAdaptiveCriteria();
                d.adaptiveTol = n.adaptiveUpdateTolerance();
                d.powerIter = n.powerIterSteps();
                d.maxUpdateRms = n.maxUpdateRms();
                d.soapKl = n.useKlShampoo();
                return d;
            }
            ShampooConfig s = (ShampooConfig) c;
            d.lr = s.lr();
            d.beta1 = s.beta1();
            d.beta2 = s.beta2();
            d.beta3 = s.beta3();
            d.epsilon = s.epsilon();
            d.weightDecay = s.weightDecay();
            d.weightDecayType = s.weightDecayType();
            d.maxDim = s.maxPreconditionerDim();
            d.targetDim = s.targetParameterDimensionality();
            d.frequency = s.preconditionFrequency();
            d.start = s.startPreconditioningStep();
            d.biasCorrection = s.useBiasCorrection();
            d.checkFinite = s.checkGradientsFinite();
            if (s.grafting() != null) {
                d.grafting = s.grafting().typeName();
                readDiagonal(s.grafting(), (b, e) -> { d.graftBeta2 = b; d.graftEpsilon = e; });
            }
            IterateAveragingConfig a = s.iterateAveraging();
            if (a instanceof IterateAveragingConfig.ClassicMomentum m) {
                d.averaging = m.typeName();
                d.momentum = m.momentum();
                d.dampening = m.dampening();
                d.nesterov = m.nesterov();
            } else if (a instanceof IterateAveragingConfig.GeneralizedPrimalAveraging g) {
                d.averaging = g.typeName();
                d.evalInterp = g.evalInterpCoeff();
                d.trainInterp = g.trainInterpCoeff();
            } else if (a instanceof IterateAveragingConfig.ScheduleFree f) {
                d.averaging = f.typeName();
                d.trainInterp = f.trainInterpCoeff();
                d.lrPower = f.evalCoeffLrPower();
            }
            PreconditionerConfig p = s.preconditioner();
            d.preconditioner = p.typeName();
            if (p instanceof DiagonalConfig dc) {
                readDiagonal(dc, (b, e) -> { d.diagBeta2 = b; d.diagEpsilon = e; });
                return d;
            }
            ShampooPreconditionerConfig sp = (ShampooPreconditionerConfig) p;
            FactorStatisticsConfig st = sp.statistics();
            d.precision = st.factorPrecision();
            d.toleratedFailures = st.numToleratedFailedAmortizedComputations();
            d.traceScaling = st.useTraceScaling();
            d.traceExponent = st.traceScalingExponent();
            d.dropWeighting = st.dropWeightingFactorOnGsquare();
            d.kl = sp.kl();
            d.rank = sp.rankDeficiency().typeName();
            if (sp instanceof RootInvShampooConfig r) {
                d.exponentOverride = formatExponents(r.inverseExponentOverride());
                d.rootComputation = r.rootComputation().typeName();
            } else if (sp instanceof EigendecomposedShampooConfig e) {
                d.exponentOverride = formatExponents(e.inverseExponentOverride());
                readEigen(d, e.eigendecomposition());
            } else if (sp instanceof PerFactorEigenvalueCorrectedShampooConfig f) {
                d.exponentOverride = formatExponents(f.inverseExponentOverride());
                readEigen(d, f.eigendecomposition());
            } else if (sp instanceof EigenvalueCorrectedShampooConfig ec) {
                readEigen(d, ec.eigendecomposition());
                List<String> parts = new ArrayList<>();
                ec.ignoredBasisChangeDims().forEach((o, ms) -> parts.add(o + ":" + String.join(",", ms.stream().map(String::valueOf).toList())));
                d.ignoredDims = String.join(";", parts);
                List<String> ex = new ArrayList<>();
                ec.inverseExponentOverride().forEach((o, e) -> ex.add(o + ":" + e));
                d.exponentOverride = String.join(";", ex);
            }
            return d;
        }

        private static void readEigen(Draft d, EigendecompositionConfig e) {
            d.eigendecomposition = e.typeName();
            d.tolerance = e.tolerance();
            if (e instanceof EigendecompositionConfig.Qr q) {
                d.qrIterations = q.maxIterations();
            }
        }

        private static void readDiagonal(DiagonalConfig c, BiConsumer<Double, Double> sink) {
            if (c instanceof DiagonalConfig.Adam a) {
                sink.accept(a.beta2(), a.epsilon());
            } else if (c instanceof DiagonalConfig.RmsProp r) {
                sink.accept(r.beta2(), r.epsilon());
            } else if (c instanceof DiagonalConfig.AdaGrad g) {
                sink.accept(0.999, g.epsilon());
            }
        }

        private static DiagonalConfig diagonal(String type, double beta2, double epsilon, boolean drop) {
            return switch (type) {
                case "sgd" -> new DiagonalConfig.Sgd();
                case "adagrad" -> new DiagonalConfig.AdaGrad(epsilon);
                case "rmsprop" -> new DiagonalConfig.RmsProp(beta2, epsilon, drop);
                case "adam" -> new DiagonalConfig.Adam(beta2, epsilon, drop);
                default -> null;
            };
        }

        OptimizerConfig build() {
            if (soap) {
                return new NvidiaSoapConfig(soapVersion, lr, beta1, beta2, shampooBeta, epsilon, weightDecay, soapWdMethod, soapNesterov,
                        soapFrequency, adamWarmup, precondition1d, maxPrecondDim, soapCorrectBias, soapCorrectBias, useEigh, adaptive,
                        adaptiveTol, powerIter, maxUpdateRms, soapKl);
            }
            RankDeficiencyConfig rd = switch (rank) {
                case "perturbation_after" -> new RankDeficiencyConfig.Perturbation(false);
                case "pseudo_inverse" -> new RankDeficiencyConfig.PseudoInverse(0.0, Double.NaN);
                default -> new RankDeficiencyConfig.Perturbation(true);
            };
            FactorStatisticsConfig stats = new FactorStatisticsConfig(dropWeighting, precision, toleratedFailures, traceScaling, traceExponent);
            EigendecompositionConfig eig = eigendecomposition.equals("qr") ? new EigendecompositionConfig.Qr(rd, tolerance, qrIterations)
                    : new EigendecompositionConfig.Eigh(rd, tolerance, true);
            PreconditionerConfig p = switch (preconditioner) {
                case "root_inverse" -> new RootInvShampooConfig(stats, switch (rootComputation) {
                    case "coupled_newton" -> new RootComputationConfig.CoupledNewton(100, 1e-6);
                    case "coupled_higher_order" -> new RootComputationConfig.CoupledHigherOrder(0.0, 1e-12, 100, 1e-8, 3);
                    default -> new RootComputationConfig.Eigen(rd, true);
                }, parseExponents(exponentOverride), kl, precision);
                case "eigendecomposed" -> new EigendecomposedShampooConfig(stats, eig, parseExponents(exponentOverride), kl, precision, precision);
                case "per_factor_eigenvalue_corrected" -> new PerFactorEigenvalueCorrectedShampooConfig(stats, eig,
                        parseExponents(exponentOverride), kl, precision, precision);
                case "eigenvalue_corrected" -> {
                    if (kl) {
                        throw new ConfigException("optimizer.preconditioner.kl", true,
                                "is not available for eigenvalue_corrected (use per_factor_eigenvalue_corrected with kl = true)");
                    }
                    Map<Integer, Double> ex = new LinkedHashMap<>();
                    if (!exponentOverride.isBlank()) {
                        for (String part : exponentOverride.split(";")) {
                            String[] kv = part.split(":", 2);
                            ex.put(integer("optimizer.preconditioner.inverse_exponent_override", kv[0]),
                                    dbl("optimizer.preconditioner.inverse_exponent_override", kv[1]));
                        }
                    }
                    yield new EigenvalueCorrectedShampooConfig(stats, eig, parseIgnoredDims(ignoredDims), ex, precision, precision);
                }
                default -> diagonal(preconditioner, diagBeta2, diagEpsilon, false);
            };
            IterateAveragingConfig avg = switch (averaging) {
                case "classic_momentum" -> new IterateAveragingConfig.ClassicMomentum(momentum, dampening, nesterov);
                case "gpa" -> new IterateAveragingConfig.GeneralizedPrimalAveraging(evalInterp, trainInterp);
                case "schedule_free" -> new IterateAveragingConfig.ScheduleFree(trainInterp, lrPower);
                default -> null;
            };
            return new ShampooConfig(lr, beta1, beta2, beta3, epsilon, weightDecay, weightDecayType, maxDim, targetDim, frequency, start,
                    biasCorrection, avg, diagonal(grafting, graftBeta2, graftEpsilon, false), p, checkFinite);
        }
    }
}
