package io.lather.models;

import io.lather.models.internal.SpecChecks;

import java.util.Arrays;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * {@code autoencoder}: an MLP encoder from the input to a bottleneck and a mirrored decoder back to the input,
 * trained on the squared reconstruction error Σ_j (x̂_j − x_j)² per example. The target is the input itself, so
 * labels are not used.
 *
 * <p>Layers: encoder inputDim → h0 → … → h_{n-1} → bottleneck, decoder bottleneck → h_{n-1} → … → h0 →
 * inputDim. Every layer except the last decoder layer is followed by the activation (the bottleneck included);
 * the reconstruction is linear, because the inputs are real-valued and the loss is squared error.
 *
 * <p>Parameters, in this order: {@code encoder_0/W, encoder_0/b, …, encoder_n/W, encoder_n/b} (encoder_n maps to
 * the bottleneck), then {@code decoder_0/W, decoder_0/b, …, decoder_n/W, decoder_n/b} (decoder_n maps to the
 * input dimension), n = number of hidden sizes.
 *
 * <p>Config keys: {@code input_dim} (required), {@code hidden_sizes} (comma-separated, encoder side, default
 * empty), {@code bottleneck} (required), {@code activation} (default {@code relu}).
 *
 * @param inputDim    features per example (and reconstruction width), in [1, 2²⁴]
 * @param hiddenSizes encoder hidden widths from the input side; 0 to 64 entries, each in [1, 2²⁴]; copied
 * @param bottleneck  width of the code, in [1, 2²⁴]
 * @param activation  activation after every layer but the reconstruction
 */
public record AutoencoderSpec(int inputDim, int[] hiddenSizes, int bottleneck, Activation activation)
        implements ModelSpec {

    /** The type name in config files. */
    public static final String TYPE = "autoencoder";

    /**
     * Validates every component.
     *
     * @param inputDim    features per example (and reconstruction width), in [1, 2²⁴]
     * @param hiddenSizes encoder hidden widths from the input side; 0 to 64 entries, each in [1, 2²⁴]; copied
     * @param bottleneck  width of the code, in [1, 2²⁴]
     * @param activation  activation after every layer but the reconstruction
     * @throws ModelException naming the field, the value and the valid range
     */
    public AutoencoderSpec {
        Objects.requireNonNull(hiddenSizes, "hiddenSizes");
        Objects.requireNonNull(activation, "activation");
        hiddenSizes = hiddenSizes.clone();
        SpecChecks.dim(TYPE, "input_dim", inputDim, 1);
        SpecChecks.hiddenSizes(TYPE, "hidden_sizes", hiddenSizes);
        SpecChecks.dim(TYPE, "bottleneck", bottleneck, 1);
        SpecChecks.denseChain(TYPE, inputDim, hiddenSizes, bottleneck, "reduce hidden_sizes or bottleneck");
    }

    /**
     * The encoder hidden widths (a copy).
     *
     * @return the widths, input side first
     */
    @Override
    public int[] hiddenSizes() {
        return hiddenSizes.clone();
    }

    @Override
    public String typeName() {
        return TYPE;
    }

    /**
     * The reconstruction width, equal to the input dimension.
     *
     * @return {@link #inputDim()}
     */
    @Override
    public int outputDim() {
        return inputDim;
    }

    /**
     * Always {@link Task#RECONSTRUCTION}.
     *
     * @return {@link Task#RECONSTRUCTION}
     */
    @Override
    public Task task() {
        return Task.RECONSTRUCTION;
    }

    /** For example {@code autoencoder(784-128-32-128-784, relu)}. */
    @Override
    public String describe() {
        int[] widths = IntStream.concat(IntStream.concat(IntStream.concat(IntStream.of(inputDim), Arrays.stream(hiddenSizes)),
                IntStream.of(bottleneck)), IntStream.concat(reversed(hiddenSizes), IntStream.of(inputDim))).toArray();
        return TYPE + "(" + Arrays.stream(widths).mapToObj(Integer::toString).collect(Collectors.joining("-")) + ", "
                + activation.configName() + ")";
    }

    private static IntStream reversed(int[] a) {
        return IntStream.range(0, a.length).map(i -> a[a.length - 1 - i]);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AutoencoderSpec s && inputDim == s.inputDim && Arrays.equals(hiddenSizes, s.hiddenSizes)
                && bottleneck == s.bottleneck && activation == s.activation;
    }

    @Override
    public int hashCode() {
        return Objects.hash(inputDim, Arrays.hashCode(hiddenSizes), bottleneck, activation);
    }

    @Override
    public String toString() {
        return "AutoencoderSpec[inputDim=" + inputDim + ", hiddenSizes=" + Arrays.toString(hiddenSizes)
                + ", bottleneck=" + bottleneck + ", activation=" + activation + "]";
    }
}
