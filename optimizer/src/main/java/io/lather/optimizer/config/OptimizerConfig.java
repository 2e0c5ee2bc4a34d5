package io.lather.optimizer.config;

/**
 * A complete, validated optimizer configuration: either the Distributed-Shampoo family
 * ({@link ShampooConfig}, which also covers AdamW, AdaGrad, RMSprop and SGD as configurations) or
 * NVIDIA's SOAP with its own semantics ({@link NvidiaSoapConfig}).
 */
public sealed interface OptimizerConfig permits ShampooConfig, NvidiaSoapConfig {
    /** Stable type name used in config files. */
    String typeName();

    /** The (initial, peak) learning rate. */
    double lr();
}
