package io.lather.optimizer.golden;

import com.fasterxml.jackson.databind.JsonNode;
import io.lather.optimizer.config.DiagonalConfig;
import io.lather.optimizer.config.EigendecomposedShampooConfig;
import io.lather.optimizer.config.EigendecompositionConfig;
import io.lather.optimizer.config.EigenvalueCorrectedShampooConfig;
import io.lather.optimizer.config.FactorStatisticsConfig;
import io.lather.optimizer.config.InverseExponentOverride;
import io.lather.optimizer.config.IterateAveragingConfig;
import io.lather.optimizer.config.NvidiaSoapConfig;
import io.lather.optimizer.config.OptimizerConfig;
import io.lather.optimizer.config.PerFactorEigenvalueCorrectedShampooConfig;
import io.lather.optimizer.config.Precision;
import io.lather.optimizer.config.PreconditionerConfig;
import io.lather.optimizer.config.RankDeficiencyConfig;
import io.lather.optimizer.config.RootComputationConfig;
import io.lather.optimizer.config.RootInvShampooConfig;
import io.lather.optimizer.config.ShampooConfig;
import io.lather.optimizer.config.WeightDecayType;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Translates the reference's recorded constructor arguments (the golden files' {@code effective_param_group} for
 * DistributedShampoo, {@code effective_hyperparameters} for NVIDIA SOAP) into Lather configs. Every field is read and
 * either mapped or rejected with an error naming it: an unsupported option fails the scenario instead of being
 * silently ignored.
 */
final class ReferenceConfigs {
    private ReferenceConfigs() {}

    static OptimizerConfig of(GoldenScenario s) {
        JsonNode opt = s.root.get("optimizer");
        if (s.group.equals("ds")) {
            return shampoo(opt.get("effective_param_group"));
        }
        return soap(s.group, opt.get("effective_hyperparameters"));
    }

    private static ShampooConfig shampoo(JsonNode g) {
        Set<String> known = Set.of("lr", "betas", "beta3", "epsilon", "weight_decay", "peak_lr", "weight_decay_type",
                "max_preconditioner_dim", "precondition_frequency", "start_preconditioning_step", "use_bias_correction",
                "iterate_averaging_config", "grafting_config", "use_pin_memory", "distributed_config", "preconditioner_config");
        rejectUnknown("param group", g, known);
        ShampooConfig.Builder b = ShampooConfig.builder()
                .lr(g.get("lr").asDouble())
                .betas(g.get("betas").get(0).asDouble(), g.get("betas").get(1).asDouble())
                .beta3(g.get("beta3").asDouble())
                .epsilon(g.get("epsilon").asDouble())
                .weightDecay(g.get("weight_decay").asDouble())
                .weightDecayType(WeightDecayType.parse("weight_decay_type", g.get("weight_decay_type").asText().replace("WeightDecayType.", "")))
                .maxPreconditionerDim(g.get("max_preconditioner_dim").asLong())
                .preconditionFrequency(g.get("precondition_frequency").asInt())
                .startPreconditioningStep(g.get("start_preconditioning_step").asInt())
                .useBiasCorrection(g.get("use_bias_correction").asBoolean());
        if (g.get("peak_lr").asDouble() != g.get("lr").asDouble()) {
            throw unsupported("peak_lr different from lr");
        }
        JsonNode dist = g.get("distributed_config");
        if (!dist.get("__class__").asText().equals("SingleDeviceDistributedConfig")) {
            throw unsupported("distributed_config " + dist.get("__class__").asText());
        }
        b.targetParameterDimensionality(dist.get("target_parameter_dimensionality").asInt());
        b.iterateAveraging(averaging(g.get("iterate_averaging_config")));
        JsonNode graft = g.get("grafting_config");
        if (graft != null && !graft.isNull()) {
            b.grafting(diagonal(graft));
        }
        b.preconditioner(preconditioner(g.get("preconditioner_config")));
        return b.build();
    }

    private static IterateAveragingConfig averaging(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        String cls = n.get("__class__").asText();
        return switch (cls) {
            case "GeneralizedPrimalAveragingConfig" -> new IterateAveragingConfig.GeneralizedPrimalAveraging(
                    n.get("eval_interp_coeff").asDouble(), n.get("train_interp_coeff").asDouble());
            case "ScheduleFreeConfig" -> new IterateAveragingConfig.ScheduleFree(n.get("train_interp_coeff").asDouble(),
                    n.get("eval_coeff_lr_power").asDouble());
            default -> throw unsupported("iterate_averaging_config " + cls);
        };
    }

    private static DiagonalConfig diagonal(JsonNode n) {
        String cls = n.get("__class__").asText();
        return switch (cls) {
            case "SGDPreconditionerConfig", "SGDGraftingConfig" -> new DiagonalConfig.Sgd();
            case "AdaGradPreconditionerConfig", "AdaGradGraftingConfig" -> new DiagonalConfig.AdaGrad(n.get("epsilon").asDouble());
            case "RMSpropPreconditionerConfig", "RMSpropGraftingConfig" -> new DiagonalConfig.RmsProp(n.get("beta2").asDouble(),
                    n.get("epsilon").asDouble(), n.path("drop_weighting_factor_on_gsquare").asBoolean(false));
            case "AdamPreconditionerConfig", "AdamGraftingConfig" -> new DiagonalConfig.Adam(n.get("beta2").asDouble(),
                    n.get("epsilon").asDouble(), n.path("drop_weighting_factor_on_gsquare").asBoolean(false));
            default -> throw unsupported("diagonal preconditioner " + cls);
        };
    }

    private static PreconditionerConfig preconditioner(JsonNode n) {
        String cls = n.get("__class__").asText();
        if (cls.startsWith("SGD") || cls.startsWith("AdaGrad") || cls.startsWith("RMSprop") || cls.startsWith("Adam")) {
            return diagonal(n);
        }
        Set<String> known = Set.of("__class__", "amortized_computation_config", "num_tolerated_failed_amortized_computations",
                "factor_matrix_dtype", "use_trace_scaling", "drop_weighting_factor_on_gsquare", "inverse_exponent_override",
                "inv_factor_matrix_dtype", "factor_matrix_eigenvectors_dtype", "factor_matrix_eigenvalues_dtype",
                "corrected_eigenvalues_dtype", "ignored_basis_change_dims", "trace_scaling_exponent", "use_symmetric_packing");
        rejectUnknown(cls, n, known);
        FactorStatisticsConfig stats = new FactorStatisticsConfig(n.path("drop_weighting_factor_on_gsquare").asBoolean(false),
                dtype(n.get("factor_matrix_dtype")), n.path("num_tolerated_failed_amortized_computations").asInt(3),
                n.path("use_trace_scaling").asBoolean(false), n.path("trace_scaling_exponent").asDouble(0.5));
        JsonNode am = n.get("amortized_computation_config");
        return switch (cls) {
            case "RootInvShampooPreconditionerConfig", "RootInvKLShampooPreconditionerConfig" -> new RootInvShampooConfig(stats,
                    rootComputation(am), exponentOverride(n.get("inverse_exponent_override")), cls.contains("KL"),
                    dtype(n.get("inv_factor_matrix_dtype")));
            case "EigendecomposedShampooPreconditionerConfig", "EigendecomposedKLShampooPreconditionerConfig" ->
                    new EigendecomposedShampooConfig(stats, eigendecomposition(am), exponentOverride(n.get("inverse_exponent_override")),
                            cls.contains("KL"), dtype(n.get("factor_matrix_eigenvectors_dtype")), dtype(n.get("factor_matrix_eigenvalues_dtype")));
            case "PerFactorEigenvalueCorrectedShampooPreconditionerConfig", "PerFactorEigenvalueCorrectedKLShampooPreconditionerConfig" ->
                    new PerFactorEigenvalueCorrectedShampooConfig(stats, eigendecomposition(am),
                            exponentOverride(n.get("inverse_exponent_override")), cls.contains("KL"),
                            dtype(n.get("factor_matrix_eigenvectors_dtype")), dtype(n.get("factor_matrix_eigenvalues_dtype")));
            case "EigenvalueCorrectedShampooPreconditionerConfig" -> new EigenvalueCorrectedShampooConfig(stats, eigendecomposition(am),
                    ignoredDims(n.get("ignored_basis_change_dims")), ecExponents(n.get("inverse_exponent_override")),
                    dtype(n.get("factor_matrix_eigenvectors_dtype")), dtype(n.get("corrected_eigenvalues_dtype")));
            default -> throw unsupported("preconditioner_config " + cls);
        };
    }

    private static RankDeficiencyConfig rank(JsonNode am) {
        JsonNode r = am.get("rank_deficient_stability_config");
        if (r == null || r.isNull()) {
            return RankDeficiencyConfig.defaults();
        }
        String cls = r.get("__class__").asText();
        if (cls.equals("PerturbationConfig")) {
            return new RankDeficiencyConfig.Perturbation(r.get("perturb_before_computation").asBoolean());
        }
        if (cls.equals("PseudoInverseConfig")) {
            JsonNode rtol = r.get("rank_rtol");
            return new RankDeficiencyConfig.PseudoInverse(r.get("rank_atol").asDouble(), rtol == null || rtol.isNull() ? Double.NaN : rtol.asDouble());
        }
        throw unsupported("rank_deficient_stability_config " + cls);
    }

    private static RootComputationConfig rootComputation(JsonNode am) {
        String cls = am.get("__class__").asText();
        if (cls.equals("EigenConfig")) {
            if (am.path("tolerance").asDouble(0) != 0) {
                throw unsupported("EigenConfig with a tolerance");
            }
            return new RootComputationConfig.Eigen(rank(am), am.path("retry_double_precision").asBoolean(true));
        }
        if (cls.equals("CoupledNewtonConfig")) {
            return new RootComputationConfig.CoupledNewton(am.get("max_iterations").asInt(), am.get("tolerance").asDouble());
        }
        throw unsupported("amortized_computation_config " + cls);
    }

    private static EigendecompositionConfig eigendecomposition(JsonNode am) {
        String cls = am.get("__class__").asText();
        return switch (cls) {
            case "EighEigendecompositionConfig" -> new EigendecompositionConfig.Eigh(rank(am), am.path("tolerance").asDouble(0),
                    am.path("retry_double_precision").asBoolean(true));
            case "QREigendecompositionConfig" -> new EigendecompositionConfig.Qr(rank(am), am.path("tolerance").asDouble(0),
                    am.get("max_iterations").asInt());
            default -> throw unsupported("amortized_computation_config " + cls);
        };
    }

    private static InverseExponentOverride exponentOverride(JsonNode n) {
        Map<Integer, Map<Integer, Double>> out = new LinkedHashMap<>();
        if (n != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                Map<Integer, Double> modes = new LinkedHashMap<>();
                if (e.getValue().isObject()) {
                    e.getValue().fields().forEachRemaining(m -> modes.put(Integer.parseInt(m.getKey()), m.getValue().asDouble()));
                } else {
                    modes.put(InverseExponentOverride.ALL_MODES, e.getValue().asDouble());
                }
                out.put(Integer.parseInt(e.getKey()), modes);
            }
        }
        return new InverseExponentOverride(out);
    }

    private static Map<Integer, Double> ecExponents(JsonNode n) {
        Map<Integer, Double> out = new LinkedHashMap<>();
        if (n != null) {
            n.fields().forEachRemaining(e -> out.put(Integer.parseInt(e.getKey()), e.getValue().asDouble()));
        }
        return out;
    }

    private static Map<Integer, List<Integer>> ignoredDims(JsonNode n) {
        Map<Integer, List<Integer>> out = new LinkedHashMap<>();
        if (n != null) {
            n.fields().forEachRemaining(e -> {
                List<Integer> modes = new ArrayList<>();
                e.getValue().forEach(m -> modes.add(m.asInt()));
                out.put(Integer.parseInt(e.getKey()), modes);
            });
        }
        return out;
    }

    private static Precision dtype(JsonNode n) {
        String s = n == null ? "torch.float32" : n.asText();
        return switch (s) {
            case "torch.float64" -> Precision.FLOAT64;
            case "torch.float32" -> Precision.FLOAT32;
            default -> throw unsupported("dtype " + s);
        };
    }

    private static NvidiaSoapConfig soap(String group, JsonNode h) {
        Set<String> known = Set.of("lr", "betas", "shampoo_beta", "eps", "weight_decay", "weight_decay_method", "nesterov",
                "precondition_frequency", "adam_warmup_steps", "precondition_1d", "correct_bias", "use_eigh", "use_adaptive_criteria",
                "adaptive_update_tolerance", "power_iter_steps", "max_update_rms", "use_kl_shampoo", "correct_shampoo_beta_bias",
                "fp32_matmul_prec", "qr_fp32_matmul_prec");
        rejectUnknown("SOAP hyperparameters", h, known);
        NvidiaSoapConfig.Version v = switch (group) {
            case "soap_head" -> NvidiaSoapConfig.Version.HEAD;
            case "soap_legacy" -> NvidiaSoapConfig.Version.LEGACY;
            default -> throw unsupported("scenario group " + group);
        };
        boolean correctBias = h.path("correct_bias").asBoolean(true);
        JsonNode csbb = h.get("correct_shampoo_beta_bias");
        return new NvidiaSoapConfig(v, h.get("lr").asDouble(), h.get("betas").get(0).asDouble(), h.get("betas").get(1).asDouble(),
                h.get("shampoo_beta").asDouble(), h.get("eps").asDouble(), h.get("weight_decay").asDouble(),
                NvidiaSoapConfig.WeightDecayMethod.valueOf(h.path("weight_decay_method").asText("decoupled").toUpperCase()),
                h.path("nesterov").asBoolean(false), h.path("precondition_frequency").asInt(1), h.path("adam_warmup_steps").asInt(0),
                h.path("precondition_1d").asBoolean(false), Long.MAX_VALUE, correctBias,
                csbb == null || csbb.isNull() ? correctBias : csbb.asBoolean(), h.path("use_eigh").asBoolean(false),
                h.path("use_adaptive_criteria").asBoolean(false), h.path("adaptive_update_tolerance").asDouble(1e-7),
                h.path("power_iter_steps").asInt(1), h.path("max_update_rms").asDouble(0.0), h.path("use_kl_shampoo").asBoolean(false));
    }

    private static void rejectUnknown(String what, JsonNode n, Set<String> known) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                throw unsupported(what + " field '" + f + "'");
            }
        }
    }

    static UnsupportedOperationException unsupported(String what) {
        return new UnsupportedOperationException("Lather does not support the reference option " + what);
    }
}
