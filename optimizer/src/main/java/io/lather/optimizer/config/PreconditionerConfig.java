package io.lather.optimizer.config;

/**
 * What math preconditions a block: the diagonal family ({@link DiagonalConfig}: SGD, AdaGrad, RMSprop, Adam)
 * or one of the Shampoo variants ({@link ShampooPreconditionerConfig}). Variants are configurations, not a
 * class hierarchy the user extends: SOAP is {@link EigenvalueCorrectedShampooConfig} with a QR
 * eigendecomposition, KL-Shampoo is a flag.
 */
public sealed interface PreconditionerConfig permits DiagonalConfig, ShampooPreconditionerConfig {
    /** Stable type name used in config files, e.g. {@code eigenvalue_corrected}. */
    String typeName();
}
