package io.lather.spark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The data order is a pure function of (seed, partition, rows, b, step). */
class BatchPlanTest {

    @Test
    void eachEpochVisitsEveryRowOnce() {
        BatchPlan plan = new BatchPlan(7, 10);
        int rows = 50; // 5 steps per epoch
        for (long epoch = 0; epoch < 3; epoch++) {
            Set<Integer> seen = new HashSet<>();
            for (long step = epoch * 5 + 1; step <= epoch * 5 + 5; step++) {
                for (int p : plan.positions(2, rows, step)) {
                    seen.add(p);
                }
            }
            assertEquals(rows, seen.size(), "epoch " + epoch);
        }
    }

    @Test
    void batchesWrapIntoTheNextEpochsPermutation() {
        BatchPlan plan = new BatchPlan(1, 4);
        int rows = 6;
        int[] epoch0 = plan.permutation(0, rows, 0);
        int[] epoch1 = plan.permutation(0, rows, 1);
        assertArrayEquals(new int[] {epoch0[0], epoch0[1], epoch0[2], epoch0[3]}, plan.positions(0, rows, 1));
        assertArrayEquals(new int[] {epoch0[4], epoch0[5], epoch1[0], epoch1[1]}, plan.positions(0, rows, 2));
        assertArrayEquals(new int[] {epoch1[2], epoch1[3], epoch1[4], epoch1[5]}, plan.positions(0, rows, 3));
    }

    @Test
    void orderDependsOnSeedEpochAndPartitionOnly() {
        BatchPlan a = new BatchPlan(42, 8);
        BatchPlan b = new BatchPlan(42, 8);
        assertArrayEquals(a.positions(3, 100, 17), b.positions(3, 100, 17)); // no hidden state: a fresh plan agrees
        assertFalse(Arrays.equals(a.permutation(0, 100, 0), a.permutation(0, 100, 1)), "epochs differ");
        assertFalse(Arrays.equals(a.permutation(0, 100, 0), a.permutation(1, 100, 0)), "partitions differ");
        assertFalse(Arrays.equals(a.permutation(0, 100, 0), new BatchPlan(43, 8).permutation(0, 100, 0)), "seeds differ");
        int[] identity = new int[100];
        Arrays.setAll(identity, i -> i);
        assertFalse(Arrays.equals(identity, a.permutation(0, 100, 0)), "shuffled");
    }

    @Test
    void partitionSmallerThanTheBatchRepeatsRowsAcrossEpochs() {
        BatchPlan plan = new BatchPlan(5, 7);
        int[] pos = plan.positions(0, 3, 1);
        assertEquals(7, pos.length);
        for (int p : pos) {
            assertEquals(true, p >= 0 && p < 3);
        }
        assertEquals(0, plan.positions(0, 0, 1).length);
    }
}
