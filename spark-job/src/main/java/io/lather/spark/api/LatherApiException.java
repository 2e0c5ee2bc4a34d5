package io.lather.spark.api;

/** A call of the notebook facade ({@link Lather}) cannot be carried out; the message says why and how to fix it. */
public final class LatherApiException extends RuntimeException {
    /**
     * @param message problem, cause and fix
     * @param cause the underlying failure, or null
     */
    public LatherApiException(String message, Throwable cause) {
        super(message, cause);
    }
}
