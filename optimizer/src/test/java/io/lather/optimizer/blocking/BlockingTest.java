package io.lather.optimizer.blocking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Merging and splitting against the reference's own test values (ALGORITHMS.md §2.1, §2.2, §12 T20). */
class BlockingTest {
    private static final long INF = Blocking.UNLIMITED;
    private static final int DINF = Integer.MAX_VALUE;

    private static long[] s(String csv) {
        if (csv.isBlank()) {
            return new long[0];
        }
        String[] parts = csv.trim().split(" ");
        long[] out = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Long.parseLong(parts[i]);
        }
        return out;
    }

    @ParameterizedTest(name = "merge({0}, T={1}, D={2}) = {3}")
    @CsvSource({
        "1 2 5 1, 10, 1, 10",
        "1 2 5 1, 1, 1, 2 5",
        "'', 7, 1, 1",
        "1 1 1 1, 7, 1, 1",
        "32 3 64 64, 10, 1, 32 3 64 64",
        "32 3 64 64, 200, 1, 32 192 64",
        "32 3 64 64, 8192, 1, 96 4096",
        "32 3 64 64, 1000000, 1, 393216",
        "32 3 64 64, 1000000, 2, 32 12288",
        "32 3 64 64, 8192, 3, 32 3 4096",
        "32 3 64 64, 8192, 4, 32 3 64 64",
        "4 3 2, 6, 1, 4 6",
        "4 3 2, 4, 1, 4 3 2",
        "3 1 4, 4, 1, 3 4",
        "2 3 5 5, 8, 1, 6 5 5",
    })
    void mergeMatchesReference(String shape, long threshold, int target, String expected) {
        assertArrayEquals(s(expected), Blocking.merge(s(shape), threshold, target));
    }

    @Test
    void infiniteTargetKeepsShapeUnsqueezed() {
        assertArrayEquals(new long[] {1, 2, 5, 1}, Blocking.merge(new long[] {1, 2, 5, 1}, 10, DINF));
        assertArrayEquals(new long[] {32, 3, 64, 64}, Blocking.merge(new long[] {32, 3, 64, 64}, 8192, DINF));
        assertArrayEquals(new long[0], Blocking.merge(new long[0], 8, DINF));
        assertArrayEquals(new long[] {393216}, Blocking.merge(new long[] {32, 3, 64, 64}, INF, 1));
    }

    @Test
    void splitIsRowMajorOverTheChunkGrid() {
        List<BlockSpec> b = Blocking.split("W", new long[] {10, 6}, 4);
        long[][] shapes = {{4, 4}, {4, 2}, {4, 4}, {4, 2}, {2, 4}, {2, 2}};
        long[][] offsets = {{0, 0}, {0, 4}, {4, 0}, {4, 4}, {8, 0}, {8, 4}};
        assertEquals(6, b.size());
        for (int i = 0; i < 6; i++) {
            assertArrayEquals(shapes[i], b.get(i).shape());
            assertArrayEquals(offsets[i], b.get(i).offset());
            assertEquals(new BlockId("W", i), b.get(i).id());
        }
        assertEquals(List.of(4L, 3L), Blocking.split("v", new long[] {7}, 4).stream().map(x -> x.shape()[0]).toList());
        List<BlockSpec> four = Blocking.split("t", new long[] {2, 3, 5, 5}, 4);
        assertEquals(4, four.size());
        assertArrayEquals(new long[] {2, 3, 4, 1}, four.get(1).shape());
        assertArrayEquals(new long[] {2, 3, 1, 1}, four.get(3).shape());
        assertEquals(2, Blocking.split("a", new long[] {5, 2}, 3).size());
        assertEquals(6, Blocking.split("a", new long[] {5, 3}, 2).size());
        assertEquals(1, Blocking.split("a", new long[] {5, 3}, 8).size());
        assertEquals(1, Blocking.split("a", new long[] {5000, 3000}, INF).size());
    }

    @Test
    void blockViewsWriteThroughToTheParameter() {
        INDArray p = Nd4j.zeros(DataType.DOUBLE, 2, 2, 6);
        ParameterBlocking pb = ParameterBlocking.of("p", p.shape(), 4, 1);
        assertArrayEquals(new long[] {4, 6}, pb.mergedShape()); // (2·2) merged, 6 > 4 kept
        assertEquals(2, pb.blocks().size());
        for (BlockSpec spec : pb.blocks()) {
            pb.view(p, spec).addi(spec.id().index() + 1);
        }
        assertEquals(2.0, p.getDouble(1, 1, 5)); // merged (3, 5): block 1 = cols 4-5
        assertEquals(1.0, p.getDouble(0, 0, 0));
        assertEquals(1.0, p.getDouble(1, 0, 3)); // merged (2, 3): block 0
    }

    @Test
    void scalarBecomesOneElementVector() {
        ParameterBlocking pb = ParameterBlocking.of("s", new long[0], 1024, 1);
        assertArrayEquals(new long[] {1}, pb.mergedShape());
        INDArray s = Nd4j.scalar(2.0);
        pb.view(s, pb.blocks().get(0)).addi(1.0);
        assertEquals(3.0, s.getDouble(0));
    }
}
