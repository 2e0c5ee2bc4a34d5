package io.lather.optimizer.linalg;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Named scratch arrays that a step reuses instead of allocating: one c-ordered array per (purpose, data type, shape),
 * created on first use and kept for the optimizer's lifetime.
 *
 * <p>Why: ND4J gives every out-of-place op ({@code a.mul(b)}, {@code a.sub(b)}, a GEMM without an output) a fresh
 * off-heap array that only the JVM's garbage collector frees. At n = 1024 that churn made an AdamW step alternate
 * between ~18 and ~80 ms from one benchmark iteration to the next and slowed a 1024² GEMM from 10 to 18 ms; the same
 * work on reused arrays takes ~7 ms and runs at the isolated GEMM rate (docs/BENCHMARKS.md §1).
 *
 * <p>A buffer's contents are only meaningful between the write and the reads of one computation: callers name their
 * buffers so that two values alive at the same time never share a name. Not thread-safe (one optimizer step at a time).
 */
public final class WorkBuffers {
    private final Map<Key, INDArray> arrays = new HashMap<>();

    private record Key(String purpose, DataType type, String shape) {}

    /** The buffer for {@code purpose} with this type and shape (uninitialised on first use, else its last contents). */
    public INDArray get(String purpose, DataType type, long... shape) {
        return arrays.computeIfAbsent(new Key(purpose, type, Arrays.toString(shape)),
                k -> Nd4j.createUninitialized(type, shape.clone(), 'c'));
    }

    /**
     * {@code buffers}' array for {@code purpose}, or a fresh one when {@code buffers} is null: for the linear algebra that
     * callers may hand a scratch (the amortized jobs) or not.
     */
    public static INDArray getOrFresh(WorkBuffers buffers, String purpose, DataType type, long... shape) {
        return buffers == null ? Nd4j.createUninitialized(type, shape.clone(), 'c') : buffers.get(purpose, type, shape);
    }

    /** A buffer shaped and typed like {@code like}. */
    public INDArray like(String purpose, INDArray like) {
        return get(purpose, like.dataType(), like.shape());
    }

    /** Bytes held, for diagnostics. */
    public long bytes() {
        return arrays.values().stream().mapToLong(a -> a.length() * a.dataType().width()).sum();
    }
}
