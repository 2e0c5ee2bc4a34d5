package io.lather.models;

/**
 * A user-facing error of the models module: an invalid model description, or inputs that do not fit the model
 * (wrong feature width, unknown or mis-shaped parameters, labels out of range), or a custom graph that breaks
 * its contract. The message states the problem (naming the model, the field/parameter/column and the expected
 * and actual values), its cause and the fix. Messages are built in one place,
 * {@code io.lather.models.internal.ModelErrors}, and tests assert their text.
 *
 * <p>It extends {@link IllegalArgumentException} because every case is a caller's argument that cannot be used;
 * code that handles argument errors generically keeps working.
 */
public final class ModelException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception; use the factory methods of {@code ModelErrors} instead of calling this directly.
     *
     * @param message the complete user-facing message (problem, cause, fix)
     */
    public ModelException(String message) {
        super(message);
    }

    /**
     * Creates the exception with the failure that caused it (e.g. a custom factory's constructor threw).
     *
     * @param message the complete user-facing message (problem, cause, fix)
     * @param cause   the underlying failure, kept for the stack trace
     */
    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
