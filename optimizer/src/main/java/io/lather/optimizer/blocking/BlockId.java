package io.lather.optimizer.blocking;

/**
 * Stable identity of a block: the parameter's name and the block's index in the row-major order of the
 * parameter's block grid. Checkpoints key block state by this id, never by list position, so they do not
 * depend on how many parameters or blocks precede it.
 *
 * @param parameter parameter name
 * @param index block index ≥ 0
 */
public record BlockId(String parameter, int index) {
    @Override
    public String toString() {
        return parameter + "/block_" + index;
    }
}
