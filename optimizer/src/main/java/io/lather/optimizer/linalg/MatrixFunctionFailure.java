package io.lather.optimizer.linalg;

/**
 * A matrix function (eigendecomposition, inverse root) could not produce a result. The Shampoo failure policy
 * tolerates a configured number of consecutive failures per block by keeping the previous result.
 */
public class MatrixFunctionFailure extends RuntimeException {
    /** @param message what failed and with which input */
    public MatrixFunctionFailure(String message) {
        super(message);
    }

    /** @param message what failed; @param cause the underlying exception */
    public MatrixFunctionFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
