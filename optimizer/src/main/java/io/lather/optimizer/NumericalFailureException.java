package io.lather.optimizer;

import io.lather.optimizer.blocking.BlockId;

/**
 * The numerical failure policy gave up: a Kronecker factor or a matrix-function result contains NaN/Inf, or a
 * block's amortized computation failed more often in a row than tolerated. The message names the block, the
 * step and the remedies. The optimizer must not be stepped again; resume from the last checkpoint.
 */
public final class NumericalFailureException extends RuntimeException {
    private final BlockId block;
    private final long step;

    /**
     * @param block the block whose computation failed
     * @param step the step at which it failed
     * @param message problem, cause and remedies
     * @param cause the last underlying failure, if any
     */
    public NumericalFailureException(BlockId block, long step, String message, Throwable cause) {
        super(message, cause);
        this.block = block;
        this.step = step;
    }

    /** The failing block. */
    public BlockId block() {
        return block;
    }

    /** The failing step. */
    public long step() {
        return step;
    }
}
