package io.lather.optimizer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every config record validates at construction; errors name the field, the value and the valid range. */
class ConfigValidationTest {
    private static String message(Executable e) {
        return assertThrows(ConfigException.class, e).getMessage();
    }

    @Test
    void rangeErrorsNameFieldValueAndRange() {
        assertEquals("shampoo.beta2 = 1.2; must be in [0, 1]", message(() -> ShampooConfig.builder().beta2(1.2).build()));
        assertEquals("adam.beta2 = 1.2; must be in (0, 1]", message(() -> new DiagonalConfig.Adam(1.2, 1e-8, false)));
        assertEquals("shampoo.beta1 = 1.0; must be in [0, 1)", message(() -> ShampooConfig.builder().beta1(1.0).build()));
        assertEquals("shampoo.precondition_frequency = 0; must be an integer >= 1",
                message(() -> ShampooConfig.builder().preconditionFrequency(0).build()));
        assertEquals("eigh.tolerance = 1.5; must be in [0, 1]", message(() -> EigendecompositionConfig.Eigh.adaptive(1.5)));
        assertEquals("qr.max_iterations = 0; must be an integer >= 1",
                message(() -> new EigendecompositionConfig.Qr(RankDeficiencyConfig.defaults(), 0, 0)));
        assertEquals("classic_momentum.momentum = 1.0; must be in (0, 1)",
                message(() -> new IterateAveragingConfig.ClassicMomentum(1.0, 0, false)));
        assertEquals("shampoo.trace_scaling_exponent = 0.0; must be in (0, 1]",
                message(() -> new FactorStatisticsConfig(false, Precision.FLOAT32, 3, true, 0.0)));
        assertEquals("inverse_exponent_override.2 = 2; mode keys of order 2 must be in [0, 1]",
                message(() -> new InverseExponentOverride(Map.of(2, Map.of(2, 0.5)))));
    }

    @Test
    void crossFieldRulesOfTheReference() {
        assertEquals("shampoo.start_preconditioning_step = 1; must be -1 or >= precondition_frequency (2)",
                message(() -> ShampooConfig.builder().preconditionFrequency(2).startPreconditioningStep(1).build()));
        assertEquals("shampoo.epsilon = 0.0; must be a finite number > 0", message(() -> ShampooConfig.builder().epsilon(0).build()));
        RootInvShampooConfig pinv = new RootInvShampooConfig(FactorStatisticsConfig.defaults(Precision.FLOAT64),
                new RootComputationConfig.Eigen(new RankDeficiencyConfig.PseudoInverse(0, Double.NaN), true),
                InverseExponentOverride.none(), false, Precision.FLOAT64);
        assertEquals("shampoo.epsilon = 1.0E-12; must be 0 with a pseudo_inverse rank-deficiency config",
                message(() -> ShampooConfig.builder().preconditioner(pinv).build()));
        ShampooConfig.builder().preconditioner(pinv).epsilon(0).build();
        String ec = message(() -> new EigenvalueCorrectedShampooConfig(FactorStatisticsConfig.defaults(Precision.FLOAT64),
                new EigendecompositionConfig.Eigh(new RankDeficiencyConfig.PseudoInverse(0, Double.NaN), 0, true), Map.of(), Map.of(),
                Precision.FLOAT64, Precision.FLOAT64));
        assertTrue(ec.startsWith("eigenvalue_corrected.eigendecomposition.rank_deficiency = pseudo_inverse; must be perturbation"), ec);
        assertTrue(message(() -> ShampooConfig.builder().lr(0).weightDecay(0.1).weightDecayType(WeightDecayType.INDEPENDENT).build())
                .contains("divides by the peak lr"));
        assertTrue(message(() -> new NvidiaSoapConfig(NvidiaSoapConfig.Version.HEAD, 1e-3, 0.9, 0.95, 0.95, 1e-8, 0.01,
                NvidiaSoapConfig.WeightDecayMethod.DECOUPLED, false, 1, 2, false, Long.MAX_VALUE, true, true, false, false, 1e-7, 1, 0, false))
                .contains("nvidia_soap.adam_warmup_steps = 2; is not supported by version head"));
    }

    @Test
    void everyPresetIsValidAndHasTheDocumentedShape() {
        Map<String, OptimizerConfig> all = Presets.all();
        assertEquals(Presets.NAMES, List.copyOf(all.keySet()));
        ShampooConfig shampoo = (ShampooConfig) all.get("shampoo");
        assertInstanceOf(RootInvShampooConfig.class, shampoo.preconditioner());
        assertInstanceOf(DiagonalConfig.Adam.class, shampoo.grafting());
        assertInstanceOf(EigendecompositionConfig.Eigh.class,
                ((EigenvalueCorrectedShampooConfig) ((ShampooConfig) all.get("eshampoo")).preconditioner()).eigendecomposition());
        assertInstanceOf(EigendecompositionConfig.Qr.class,
                ((EigenvalueCorrectedShampooConfig) ((ShampooConfig) all.get("soap")).preconditioner()).eigendecomposition());
        assertInstanceOf(PerFactorEigenvalueCorrectedShampooConfig.class, ((ShampooConfig) all.get("per-factor-ema")).preconditioner());
        assertTrue(((ShampooConfig) all.get("kl-shampoo")).preconditioner() instanceof EigendecomposedShampooConfig e && e.kl());
        assertInstanceOf(DiagonalConfig.Adam.class, ((ShampooConfig) all.get("adamw")).preconditioner());
        assertInstanceOf(NvidiaSoapConfig.class, all.get("nvidia-soap"));
        assertEquals("optimizer = eshampo; must be one of [shampoo, eshampoo, soap, per-factor-ema, kl-shampoo, adamw, nvidia-soap]"
                + " (did you mean 'eshampoo'?)", message(() -> Presets.get("eshampo", Double.NaN)));
    }

    @Test
    void parserOverridesOneFieldAtATime() {
        ShampooConfig c = (ShampooConfig) OptimizerConfigParser.parse(Map.of("optimizer", "eshampoo", "optimizer.lr", "3e-4",
                "optimizer.preconditioner.tolerance", "0.05", "optimizer.precondition_frequency", "1", "optimizer.precision", "float64",
                "optimizer.averaging", "classic_momentum", "optimizer.averaging.nesterov", "true", "unrelated.key", "ignored"));
        assertEquals(3e-4, c.lr());
        assertEquals(1, c.preconditionFrequency());
        EigenvalueCorrectedShampooConfig ec = (EigenvalueCorrectedShampooConfig) c.preconditioner();
        assertEquals(0.05, ec.eigendecomposition().tolerance());
        assertEquals(Precision.FLOAT64, ec.statistics().factorPrecision());
        assertTrue(c.iterateAveraging() instanceof IterateAveragingConfig.ClassicMomentum m && m.nesterov());
        // the round trip preset → draft → config is the identity
        for (String name : Presets.NAMES) {
            assertEquals(Presets.get(name, Double.NaN), OptimizerConfigParser.parse(Map.of("optimizer", name)), name);
        }
        RootInvShampooConfig kl = (RootInvShampooConfig) ((ShampooConfig) OptimizerConfigParser.parse(Map.of("optimizer", "shampoo",
                "optimizer.preconditioner.kl", "true", "optimizer.preconditioner.inverse_exponent_override", "2:0=0,1=0.25;3:0.1"))).preconditioner();
        assertTrue(kl.kl());
        assertEquals(0.0, kl.inverseExponentOverride().exponent(2, 0));
        assertEquals(0.1, kl.inverseExponentOverride().exponent(3, 2));
    }

    @Test
    void parserRejectsUnknownKeysAndBadValuesWithSuggestions() {
        assertEquals("unknown optimizer setting 'optimizer.learning_rate'; see conf/README.md for the list of keys",
                message(() -> OptimizerConfigParser.parse(Map.of("optimizer.learning_rate", "1"))));
        assertEquals("unknown optimizer setting 'optimizer.precondition_frequncy' (did you mean 'optimizer.precondition_frequency'?);"
                + " see conf/README.md for the list of keys",
                message(() -> OptimizerConfigParser.parse(Map.of("optimizer.precondition_frequncy", "10"))));
        assertEquals("optimizer.lr = fast; must be a number", message(() -> OptimizerConfigParser.parse(Map.of("optimizer.lr", "fast"))));
        assertEquals("optimizer.grafting = adamw; must be one of none, sgd, adagrad, rmsprop, adam (did you mean 'adam'?)",
                message(() -> OptimizerConfigParser.parse(Map.of("optimizer.grafting", "adamw"))));
        assertTrue(message(() -> OptimizerConfigParser.parse(Map.of("optimizer.soap.use_eigh", "true")))
                .contains("only applies to optimizer = nvidia-soap"));
        assertTrue(message(() -> OptimizerConfigParser.parse(Map.of("optimizer", "nvidia-soap", "optimizer.grafting", "adam")))
                .contains("does not apply to the nvidia-soap preset"));
        assertEquals("shampoo.beta2 = 2.0; must be in [0, 1]", message(() -> OptimizerConfigParser.parse(Map.of("optimizer.beta2", "2"))));
    }
}
