package io.lather.spark.config;

/** The job configuration is invalid: an unknown key, a malformed or out-of-range value. The message names key, value and fix. */
public final class JobConfigException extends IllegalArgumentException {
    /** @param message problem and fix */
    public JobConfigException(String message) {
        super(message);
    }
}
