package io.lather.optimizer.blocking;

/**
 * Where a block sits in its parameter's merged shape.
 *
 * @param id stable id
 * @param offset start index along every mode of the merged shape
 * @param shape block shape (never squeezed: a chunk of length 1 stays a size-1 mode)
 */
public record BlockSpec(BlockId id, long[] offset, long[] shape) {
    /** Number of entries. */
    public long length() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }
}
