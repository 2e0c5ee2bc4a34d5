package io.lather.models;

import io.lather.models.internal.ModelErrors;

/**
 * Element-wise activation applied after each hidden layer (never after the output layer). The config name is
 * the lower-case string in {@link #configName()}.
 *
 * <p>Initialisation follows the activation: layers followed by {@link #RELU} use He-uniform, all others
 * Glorot-uniform (see {@link ParameterInit}).
 */
public enum Activation {
    /** {@code relu}: max(0, x). Not differentiable at 0 (the graph uses derivative 0 there). */
    RELU("relu"),
    /** {@code tanh}: the hyperbolic tangent. */
    TANH("tanh"),
    /**
     * {@code gelu}: the exact Gaussian error linear unit x·Φ(x) = ½·x·(1 + erf(x/√2)) (Hendrycks &amp; Gimpel,
     * 2016), as PyTorch's default. Built from {@code erf} rather than SameDiff's {@code nn.gelu}, because in ND4J
     * 1.0.0-M2.1 {@code nn.gelu} is the sigmoid approximation x·σ(1.702x), which differs by up to ~0.02.
     */
    GELU("gelu"),
    /** {@code sigmoid}: the logistic function 1/(1 + e^(−x)). */
    SIGMOID("sigmoid");

    private final String configName;

    Activation(String configName) {
        this.configName = configName;
    }

    /**
     * The stable name used in config files.
     *
     * @return {@code relu}, {@code tanh}, {@code gelu} or {@code sigmoid}
     */
    public String configName() {
        return configName;
    }

    /**
     * Parses a config name (case-sensitive, as written by {@link #configName()}).
     *
     * @param type  the model type whose config is being read, for the error message
     * @param field the config key, for the error message
     * @param value the config value
     * @return the activation
     * @throws ModelException if {@code value} is not one of the config names
     */
    public static Activation fromConfigName(String type, String field, String value) {
        for (Activation a : values()) {
            if (a.configName.equals(value)) {
                return a;
            }
        }
        throw ModelErrors.notOneOf(type, field, value, java.util.Arrays.stream(values()).map(Activation::configName).toList());
    }
}
