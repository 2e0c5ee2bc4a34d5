package io.lather.models;

import io.lather.models.internal.ModelErrors;
import io.lather.models.internal.SpecChecks;

import java.util.Objects;

/**
 * {@code cnn}: a small convolutional classifier for images,
 * <pre>
 *   x [rows, C·H·W] → reshape [rows, C, H, W]
 *   → conv k×k, C → F1, stride 1, 'same' padding, + bias → act → max-pool p×p, stride p
 *   → conv k×k, F1 → F2, stride 1, 'same' padding, + bias → act → max-pool p×p, stride p
 *   → flatten [rows, F2·H2·W2] → (dense → D, act, if D &gt; 0) → dense → K logits → softmax cross-entropy
 * </pre>
 * with H2 = ⌊⌊H/p⌋/p⌋ and W2 likewise (pooling drops a remainder row/column).
 *
 * <p>The input row is the image flattened channel-major, then row, then column (NCHW, C order): value (c, i, j)
 * is at index c·H·W + i·W + j. For 1×28×28 Fashion-MNIST it is simply the 784 pixels row by row. The flatten
 * before the dense layer uses the same order (channel, row, column).
 *
 * <p>Parameters, in this order: {@code conv_0/W [k, k, C, F1]}, {@code conv_0/b [F1]},
 * {@code conv_1/W [k, k, F1, F2]}, {@code conv_1/b [F2]}, then {@code dense_0/W [F2·H2·W2, D]}, {@code dense_0/b [D]},
 * {@code dense_1/W [D, K]}, {@code dense_1/b [K]} — or, with D = 0, only {@code dense_0/W [F2·H2·W2, K]},
 * {@code dense_0/b [K]}. Kernels are [kH, kW, in, out] (ND4J's YXIO format).
 *
 * <p>Config keys and defaults: {@code channels} (1), {@code height} (required), {@code width} (required),
 * {@code conv1_filters} (8), {@code conv2_filters} (16), {@code kernel_size} (5), {@code pool_size} (2),
 * {@code dense_units} (64), {@code classes} (required), {@code activation} ({@code relu}). The defaults are small
 * on purpose: with 1×28×28 inputs they cost ~1.7 MFLOP per example forward, which two CPU cores can afford.
 *
 * @param channels     input channels C, in [1, 4096]
 * @param height       image height H, in [pool_size², 4096]
 * @param width        image width W, in [pool_size², 4096]; C·H·W ≤ 2²⁴
 * @param conv1Filters output channels F1 of the first convolution, in [1, 4096]
 * @param conv2Filters output channels F2 of the second convolution, in [1, 4096]
 * @param kernelSize   side k of both square kernels, odd, in [1, 15]
 * @param poolSize     side and stride p of both max-pools, in [1, 8]
 * @param denseUnits   width D of the hidden dense layer, in [0, 2²⁴]; 0 for none
 * @param classes      number of classes K, in [2, 2²⁴]
 * @param activation   activation after each convolution and the hidden dense layer
 */
public record CnnSpec(int channels, int height, int width, int conv1Filters, int conv2Filters, int kernelSize,
                      int poolSize, int denseUnits, int classes, Activation activation) implements ModelSpec {

    /** The type name in config files. */
    public static final String TYPE = "cnn";

    /** Largest channel count, image side and filter count. */
    public static final int MAX_SIDE = 4096;

    /**
     * Validates every component.
     *
     * @param channels     input channels C, in [1, 4096]
     * @param height       image height H, in [pool_size², 4096]
     * @param width        image width W, in [pool_size², 4096]; C·H·W ≤ 2²⁴
     * @param conv1Filters output channels F1 of the first convolution, in [1, 4096]
     * @param conv2Filters output channels F2 of the second convolution, in [1, 4096]
     * @param kernelSize   side k of both square kernels, odd, in [1, 15]
     * @param poolSize     side and stride p of both max-pools, in [1, 8]
     * @param denseUnits   width D of the hidden dense layer, in [0, 2²⁴]; 0 for none
     * @param classes      number of classes K, in [2, 2²⁴]
     * @param activation   activation after each convolution and the hidden dense layer
     * @throws ModelException naming the field, the value and the valid range
     */
    public CnnSpec {
        Objects.requireNonNull(activation, "activation");
        SpecChecks.range(TYPE, "channels", channels, 1, MAX_SIDE);
        SpecChecks.range(TYPE, "pool_size", poolSize, 1, 8);
        if (height < poolSize * poolSize) {
            throw ModelErrors.imageTooSmall(TYPE, "height", height, poolSize);
        }
        SpecChecks.range(TYPE, "height", height, poolSize * poolSize, MAX_SIDE);
        if (width < poolSize * poolSize) {
            throw ModelErrors.imageTooSmall(TYPE, "width", width, poolSize);
        }
        SpecChecks.range(TYPE, "width", width, poolSize * poolSize, MAX_SIDE);
        SpecChecks.range(TYPE, "channels × height × width", (long) channels * height * width, 1, MAX_DIM);
        SpecChecks.range(TYPE, "conv1_filters", conv1Filters, 1, MAX_SIDE);
        SpecChecks.range(TYPE, "conv2_filters", conv2Filters, 1, MAX_SIDE);
        if (kernelSize < 1 || kernelSize > 15 || kernelSize % 2 == 0) {
            throw ModelErrors.notOddInRange(TYPE, "kernel_size", kernelSize, 1, 15);
        }
        SpecChecks.range(TYPE, "dense_units", denseUnits, 0, MAX_DIM);
        SpecChecks.dim(TYPE, "classes", classes, 2);
        long flat = (long) conv2Filters * (height / poolSize / poolSize) * (width / poolSize / poolSize);
        SpecChecks.denseChain(TYPE, flat, denseUnits == 0 ? new int[0] : new int[]{denseUnits}, classes,
                "reduce conv2_filters or dense_units, or pool more");
    }

    /**
     * A LeNet-like classifier with the config defaults: 8 and 16 filters of 5×5, 2×2 pools, 64 dense units, relu.
     *
     * @param channels input channels
     * @param height   image height
     * @param width    image width
     * @param classes  number of classes
     * @return the spec
     */
    public static CnnSpec withDefaults(int channels, int height, int width, int classes) {
        return new CnnSpec(channels, height, width, 8, 16, 5, 2, 64, classes, Activation.RELU);
    }

    @Override
    public String typeName() {
        return TYPE;
    }

    /**
     * The flattened image size C·H·W.
     *
     * @return features per example
     */
    @Override
    public int inputDim() {
        return channels * height * width;
    }

    /**
     * The number of classes K.
     *
     * @return {@link #classes()}
     */
    @Override
    public int outputDim() {
        return classes;
    }

    /**
     * Always {@link Task#CLASSIFICATION}.
     *
     * @return {@link Task#CLASSIFICATION}
     */
    @Override
    public Task task() {
        return Task.CLASSIFICATION;
    }

    /**
     * Height after both max-pools, ⌊⌊H/p⌋/p⌋.
     *
     * @return ≥ 1
     */
    public int pooledHeight() {
        return height / poolSize / poolSize;
    }

    /**
     * Width after both max-pools, ⌊⌊W/p⌋/p⌋.
     *
     * @return ≥ 1
     */
    public int pooledWidth() {
        return width / poolSize / poolSize;
    }

    /**
     * For example {@code cnn(1x28x28, conv 5x5 8-16, pool 2, dense 64, 10 classes, relu)}.
     */
    @Override
    public String describe() {
        return TYPE + "(" + channels + "x" + height + "x" + width + ", conv " + kernelSize + "x" + kernelSize + " "
                + conv1Filters + "-" + conv2Filters + ", pool " + poolSize + ", dense " + denseUnits + ", " + classes
                + " classes, " + activation.configName() + ")";
    }
}
