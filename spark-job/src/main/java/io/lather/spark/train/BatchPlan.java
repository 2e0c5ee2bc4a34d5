package io.lather.spark.train;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * The deterministic data order of a run. Every partition walks through its rows in a per-epoch random permutation;
 * the permutation of epoch e on partition p is a Fisher–Yates shuffle driven by a {@link SplittableRandom} seeded from
 * (run seed, e, p), and step t takes the next b positions of the partition's endless sequence of epochs
 * (positions (t−1)·b … t·b − 1, wrapping into the next epoch's permutation). The batch of any step is therefore a pure
 * function of (seed, p, partition size, b, t) — which is what makes a resumed run identical to an uninterrupted one
 * without storing any iterator state.
 *
 * @param seed run seed
 * @param batchPerPartition b
 */
public record BatchPlan(long seed, int batchPerPartition) implements Serializable {

    /** Positions (0-based row indices into the packed partition) of step t's batch on partition p. */
    public int[] positions(int partition, int partitionRows, long step) {
        int[] out = new int[batchPerPartition];
        if (partitionRows == 0) {
            return new int[0];
        }
        long start = (step - 1) * batchPerPartition;
        long epoch = -1;
        int[] perm = null;
        for (int i = 0; i < batchPerPartition; i++) {
            long global = start + i;
            long e = global / partitionRows;
            if (e != epoch) {
                epoch = e;
                perm = permutation(partition, partitionRows, e);
            }
            out[i] = perm[(int) (global % partitionRows)];
        }
        return out;
    }

    /** The permutation of a partition's rows in epoch e. */
    public int[] permutation(int partition, int rows, long epoch) {
        SplittableRandom rnd = new SplittableRandom(mix(seed, epoch, partition));
        int[] p = new int[rows];
        for (int i = 0; i < rows; i++) {
            p[i] = i;
        }
        for (int i = rows - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** A 64-bit mix of the three seeds (SplitMix64 finaliser applied in sequence). */
    static long mix(long seed, long epoch, long partition) {
        long z = seed;
        z = finalise(z ^ finalise(epoch + 0x9E3779B97F4A7C15L));
        z = finalise(z ^ finalise(partition + 0xBF58476D1CE4E5B9L));
        return z;
    }

    private static long finalise(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
