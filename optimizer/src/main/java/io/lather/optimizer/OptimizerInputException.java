package io.lather.optimizer;

/**
 * {@link Optimizer#step} rejected its input (unknown parameter, wrong shape or type, NaN/Inf in a gradient).
 * Nothing was changed: parameters and optimizer state are exactly as before the call.
 */
public final class OptimizerInputException extends IllegalArgumentException {
    /** @param message problem, cause and fix */
    public OptimizerInputException(String message) {
        super(message);
    }
}
