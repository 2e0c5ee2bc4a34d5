package io.lather.models;

import io.lather.models.internal.SpecConfig;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * A small, serializable description of a model: the sealed family of {@link MlpSpec} ({@code mlp}),
 * {@link CnnSpec} ({@code cnn}), {@link LogisticRegressionSpec} ({@code logistic_regression}),
 * {@link AutoencoderSpec} ({@code autoencoder}) and {@link CustomSpec} ({@code custom}).
 *
 * <p>Specs are records of primitives, enums and strings: cheap to broadcast to Spark executors and to store in
 * a checkpoint's metadata. Each validates itself in its constructor (which Java serialization re-runs when a record
 * is read back) and reports a bad field as {@code "<type>: <field> = <value>; must be <range>"}. A
 * {@link Model} is built from a spec with {@link Model#build(ModelSpec, Precision)}.
 *
 * <h2>Config files</h2>
 * {@link #fromConfig(Map)} reads a flat map of string keys (the model section of a job config) whose
 * {@code type} is one of the stable {@linkplain #typeName() type names}; the other keys are the snake_case names
 * of the record components, documented on each record with their defaults. Unknown keys are rejected, so a typo
 * fails instead of silently falling back to a default. {@link #toConfig()} writes the same keys back, and
 * {@code fromConfig(spec.toConfig())} equals {@code spec}.
 */
public sealed interface ModelSpec extends Serializable
        permits MlpSpec, CnnSpec, LogisticRegressionSpec, AutoencoderSpec, CustomSpec {

    /** The largest layer width, input dimension or class count a spec accepts: 2²⁴. */
    int MAX_DIM = 1 << 24;

    /**
     * The stable type name used in config files.
     *
     * @return {@code mlp}, {@code cnn}, {@code logistic_regression}, {@code autoencoder} or {@code custom}
     */
    String typeName();

    /**
     * The number of features per example: the width of a feature row.
     *
     * @return ≥ 1
     */
    int inputDim();

    /**
     * The width of the model's prediction: the number of classes K for classification, the number of targets for
     * regression, {@link #inputDim()} for reconstruction.
     *
     * @return ≥ 1 (≥ 2 for classification)
     */
    int outputDim();

    /**
     * What the model predicts, which fixes the loss and the label format.
     *
     * @return the task
     */
    Task task();

    /**
     * A short human-readable description used in logs and error messages, e.g.
     * {@code mlp(784-256-128-10, relu, classification)}.
     *
     * @return the description
     */
    String describe();

    /**
     * The spec as config keys and values, including {@code type} and every default.
     *
     * @return an insertion-ordered, unmodifiable map; {@link #fromConfig(Map)} of it equals this spec
     */
    default Map<String, String> toConfig() {
        return SpecConfig.render(this);
    }

    /**
     * Reads a spec from config keys. {@code type} selects the record; the other keys are documented on each record
     * (snake_case component names) with their defaults.
     *
     * @param config the model section of a job config; values are trimmed
     * @return the validated spec
     * @throws ModelException if the type is unknown, a required key is missing, a key is unknown, a value does not
     *                        parse, or a value is out of range
     */
    static ModelSpec fromConfig(Map<String, String> config) {
        return SpecConfig.parse(config);
    }

    /**
     * The stable type names, in the order they are documented.
     *
     * @return {@code [mlp, cnn, logistic_regression, autoencoder, custom]}
     */
    static List<String> typeNames() {
        return SpecConfig.TYPE_NAMES;
    }
}
