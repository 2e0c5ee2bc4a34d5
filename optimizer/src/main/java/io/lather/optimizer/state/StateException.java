package io.lather.optimizer.state;

/**
 * Optimizer state cannot be encoded, decoded or imported: corrupt bytes, a checksum mismatch, a missing or
 * unexpected tensor, a shape or type mismatch. The message names the tensor and says how to fix it.
 */
public final class StateException extends RuntimeException {
    /** @param message problem, cause and fix */
    public StateException(String message) {
        super(message);
    }
}
