package io.lather.spark.ml;

/**
 * A Lather Spark ML stage was given something it cannot use: a bad param value, a missing or mistyped column, a saved
 * model that does not validate. An {@link IllegalArgumentException}, as Spark ML's own param and schema errors are; the
 * message names the stage, the param or column, the value, and the fix. Built in {@link MlErrors}.
 */
public final class LatherMlException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** @param message problem, cause and fix */
    public LatherMlException(String message) {
        super(message);
    }

    /**
     * @param message problem, cause and fix
     * @param cause the underlying error
     */
    public LatherMlException(String message, Throwable cause) {
        super(message, cause);
    }
}
