package io.lather.spark.train;

/** A training run cannot start, resume or continue; the message says why and how to fix it. */
public final class TrainingException extends RuntimeException {
    /** @param message problem, cause and fix */
    public TrainingException(String message) {
        super(message);
    }
}
