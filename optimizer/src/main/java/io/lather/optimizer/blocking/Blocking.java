package io.lather.optimizer.blocking;

import java.util.ArrayList;
import java.util.List;

/**
 * How parameters are cut into blocks (ALGORITHMS.md §2): squeeze size-1 dims, merge neighbouring dims right
 * to left while the product stays ≤ T ({@code maxPreconditionerDim}) and more than D
 * ({@code targetParameterDimensionality}) dims would remain, then split every mode into chunks of length T.
 * Each block is preconditioned independently.
 */
public final class Blocking {
    /** "Infinite" threshold / target. */
    public static final long UNLIMITED = Long.MAX_VALUE;

    private Blocking() {}

    /**
     * The reference's {@code merge_small_dims}.
     *
     * @param shape parameter shape (may be empty for a scalar)
     * @param threshold T ≥ 1, {@link #UNLIMITED} for ∞
     * @param target D ≥ 1, {@code Integer.MAX_VALUE} for ∞ (then the shape is returned unchanged, not even squeezed)
     */
    public static long[] merge(long[] shape, long threshold, int target) {
        for (long d : shape) {
            if (d == 0) {
                return new long[] {0};
            }
        }
        if (target == Integer.MAX_VALUE) {
            return shape.clone();
        }
        List<Long> dims = new ArrayList<>();
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1) {
                dims.add(shape[i]);
            }
        }
        if (dims.isEmpty()) {
            dims.add(1L);
        }
        List<Long> merged = new ArrayList<>();
        merged.add(dims.get(0));
        for (int p = 1; p < dims.size(); p++) {
            int remaining = dims.size() - p;
            long last = merged.get(merged.size() - 1);
            long d = dims.get(p);
            if (merged.size() + remaining > target && fitsProduct(last, d, threshold)) {
                merged.set(merged.size() - 1, last * d);
            } else {
                merged.add(d);
            }
        }
        long[] out = new long[merged.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = merged.get(merged.size() - 1 - i);
        }
        return out;
    }

    private static boolean fitsProduct(long a, long b, long threshold) {
        return Math.multiplyHigh(a, b) == 0 && a * b >= 0 && a * b <= threshold;
    }

    /**
     * The reference's {@code multi_dim_split}: mode 0 is cut into chunks of T, every piece along mode 1, and so
     * on; blocks come out in row-major order over the chunk grid and are named {@code block_0, block_1, …}.
     *
     * @param parameter parameter name (for the block ids)
     * @param merged merged shape
     * @param threshold T, {@link #UNLIMITED} for one block
     */
    public static List<BlockSpec> split(String parameter, long[] merged, long threshold) {
        List<long[][]> ranges = new ArrayList<>();
        ranges.add(new long[0][]);
        for (long d : merged) {
            List<long[][]> next = new ArrayList<>();
            for (long[][] prefix : ranges) {
                long step = threshold == UNLIMITED ? Math.max(d, 1) : threshold;
                for (long start = 0; start < Math.max(d, 1); start += step) {
                    long[][] r = java.util.Arrays.copyOf(prefix, prefix.length + 1);
                    r[prefix.length] = new long[] {start, Math.min(start + step, d)};
                    next.add(r);
                    if (d == 0) {
                        break;
                    }
                }
            }
            ranges = next;
        }
        List<BlockSpec> blocks = new ArrayList<>();
        for (long[][] r : ranges) {
            long[] offset = new long[r.length];
            long[] shape = new long[r.length];
            for (int i = 0; i < r.length; i++) {
                offset[i] = r[i][0];
                shape[i] = r[i][1] - r[i][0];
            }
            blocks.add(new BlockSpec(new BlockId(parameter, blocks.size()), offset, shape));
        }
        return blocks;
    }
}
