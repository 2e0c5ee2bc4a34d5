package io.lather.optimizer.shampoo;

import io.lather.optimizer.linalg.WorkBuffers;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.openblas.global.openblas;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * Runs the amortized computations (eigendecompositions, inverse roots) of every block that is due at a step as one
 * batch: when there are at least two and the eigensolver is thread-safe, one factor per core at a time with
 * single-threaded BLAS, otherwise one after the other with the process's BLAS threads.
 *
 * <p>Why: most of {@code dsyevd}'s time is its memory-bound Householder tridiagonalisation, which two BLAS threads barely
 * speed up. Two 1024² eigendecompositions took 288–306 ms one after the other with 2 BLAS threads and 216–253 ms side by
 * side with one thread each on the 2-core benchmark machine (docs/BENCHMARKS.md), while calling a 2-threaded OpenBLAS from
 * two threads at once is 2× slower than either. ALGORITHMS.md §10.10 suggests the same batching.
 *
 * <p>Results do not depend on scheduling: each job runs with one BLAS thread on its own factor, and outcomes are counted
 * and checked afterwards in block and factor order, exactly as a sequential run would.
 *
 * <p>Every thread that runs jobs has its own {@link WorkBuffers} ({@link #scratch()}) for the float64 copies, the
 * eigensolver's matrix and the reconstruction: a few d×d float64 arrays per distinct factor size and thread, kept for the
 * JVM's life. Why: a fresh off-heap array costs its page faults, and on some machines far more than the work done in it;
 * on the 2-core benchmark VM a 1024² float64 copy into a fresh array took 45 ± 26 ms against 0.18 ms into a reused one
 * ({@code AllocationBenchmark}), and the amortized root-inverse step allocated ten such arrays and two float32 ones
 * (docs/BENCHMARKS.md §1).
 *
 * <p>The BLAS thread count is process-wide: while a batch runs, any other BLAS user in the JVM also gets one thread. In a
 * Lather training run nothing else computes then (Spark tasks in a local-mode driver JVM run between optimizer steps).
 */
final class AmortizedComputations {
    private static final int CORES = Runtime.getRuntime().availableProcessors();
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ExecutorService POOL = CORES < 2 ? null : Executors.newFixedThreadPool(CORES, r -> {
        Thread t = new Thread(r, "lather-amortized-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    private static final ThreadLocal<WorkBuffers> SCRATCH = ThreadLocal.withInitial(WorkBuffers::new);

    private AmortizedComputations() {}

    /** The calling thread's buffers for amortized jobs; a job owns them while it runs (one job per thread at a time). */
    static WorkBuffers scratch() {
        return SCRATCH.get();
    }

    /** Computes and then checks (failure policy, counters) the amortized work of {@code blocks} for this step. */
    static void run(List<ShampooBlock> blocks, StepContext ctx) {
        List<ShampooBlock.FactorJob> jobs = new ArrayList<>();
        for (ShampooBlock b : blocks) {
            jobs.addAll(b.amortizedJobs(ctx));
        }
        List<ShampooBlock.FactorOutcome> outcomes = POOL != null && jobs.size() > 1 && ctx.solver().isThreadSafe()
                ? inParallel(jobs, ctx) : sequentially(jobs, ctx);
        int i = 0;
        for (ShampooBlock b : blocks) {
            int from = i;
            while (i < jobs.size() && jobs.get(i).block() == b) {
                i++;
            }
            b.finishAmortized(outcomes.subList(from, i), ctx);
        }
    }

    private static List<ShampooBlock.FactorOutcome> sequentially(List<ShampooBlock.FactorJob> jobs, StepContext ctx) {
        List<ShampooBlock.FactorOutcome> out = new ArrayList<>();
        for (ShampooBlock.FactorJob job : jobs) {
            out.add(ShampooBlock.run(job, ctx));
        }
        return out;
    }

    private static List<ShampooBlock.FactorOutcome> inParallel(List<ShampooBlock.FactorJob> jobs, StepContext ctx) {
        // ND4J's GEMMs and the LAPACK calls go through two OpenBLAS builds; both get one thread while the batch runs
        int lapackThreads = openblas.blas_get_num_threads();
        int blasThreads = openblas_nolapack.blas_get_num_threads();
        if (lapackThreads < 1 || blasThreads < 1) {
            // JavaCPP reports -1 until a thread count was set (ND4J sets both when it starts): nothing to restore to
            return sequentially(jobs, ctx);
        }
        openblas.blas_set_num_threads(1);
        openblas_nolapack.blas_set_num_threads(1);
        try {
            List<Future<ShampooBlock.FactorOutcome>> futures = new ArrayList<>();
            for (ShampooBlock.FactorJob job : jobs) {
                futures.add(POOL.submit(() -> ShampooBlock.run(job, ctx)));
            }
            List<ShampooBlock.FactorOutcome> out = new ArrayList<>();
            for (Future<ShampooBlock.FactorOutcome> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the amortized computations", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("amortized computation failed unexpectedly", e.getCause());
        } finally {
            openblas.blas_set_num_threads(lapackThreads);
            openblas_nolapack.blas_set_num_threads(blasThreads);
        }
    }
}
