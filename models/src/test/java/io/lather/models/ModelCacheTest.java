package io.lather.models;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

class ModelCacheTest {
    static final ModelSpec SPEC = new MlpSpec(4, new int[]{5}, Activation.TANH, 3, Task.CLASSIFICATION);

    @AfterEach
    void clear() {
        ModelCache.clearCurrentThread();
    }

    @Test
    void oneModelPerThreadSpecAndPrecision() throws Exception {
        Model m = ModelCache.forCurrentThread(SPEC, Precision.FLOAT32);
        assertSame(m, ModelCache.forCurrentThread(new MlpSpec(4, new int[]{5}, Activation.TANH, 3, Task.CLASSIFICATION),
                Precision.FLOAT32));
        assertNotSame(m, ModelCache.forCurrentThread(SPEC, Precision.FLOAT64));
        Model other = CompletableFuture.supplyAsync(() -> ModelCache.forCurrentThread(SPEC, Precision.FLOAT32)).get();
        assertNotSame(m, other);
    }

    @Test
    void leastRecentlyUsedIsEvicted() {
        Model first = ModelCache.forCurrentThread(SPEC, Precision.FLOAT32);
        for (int k = 4; k < 4 + ModelCache.CAPACITY_PER_THREAD; k++) {
            ModelCache.forCurrentThread(new LogisticRegressionSpec(k, 2), Precision.FLOAT32);
        }
        assertNotSame(first, ModelCache.forCurrentThread(SPEC, Precision.FLOAT32));
        Model kept = ModelCache.forCurrentThread(new LogisticRegressionSpec(7, 2), Precision.FLOAT32);
        assertSame(kept, ModelCache.forCurrentThread(new LogisticRegressionSpec(7, 2), Precision.FLOAT32));
        ModelCache.clearCurrentThread();
        assertNotSame(kept, ModelCache.forCurrentThread(new LogisticRegressionSpec(7, 2), Precision.FLOAT32));
    }
}
