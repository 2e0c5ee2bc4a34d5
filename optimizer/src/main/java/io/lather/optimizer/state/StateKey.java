package io.lather.optimizer.state;

import java.util.Comparator;

/**
 * Name of one state tensor. Block state is keyed by (parameter, block index, name), e.g.
 * {@code (W, 0, shampoo.factor_matrices.1)}, mirroring the reference's layout (ALGORITHMS.md §8.1);
 * optimizer-wide scalars (e.g. {@code step}) have an empty parameter and block −1.
 *
 * @param parameter parameter name, or "" for optimizer-wide values
 * @param block block index, or −1 for optimizer-wide or per-parameter values
 * @param name tensor name
 */
public record StateKey(String parameter, int block, String name) implements Comparable<StateKey> {
    private static final Comparator<StateKey> ORDER =
            Comparator.comparing(StateKey::parameter).thenComparingInt(StateKey::block).thenComparing(StateKey::name);

    /** An optimizer-wide key. */
    public static StateKey global(String name) {
        return new StateKey("", -1, name);
    }

    @Override
    public int compareTo(StateKey o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        if (parameter.isEmpty()) {
            return name;
        }
        return block < 0 ? parameter + "/" + name : parameter + "/block_" + block + "/" + name;
    }
}
