package io.lather.models;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A per-thread cache of built {@link Model}s, so that code called once per Spark task (a new task every training
 * step) does not rebuild the graph every time.
 *
 * <p>Why: building a model takes ~10–40 ms and its first {@link Model#lossAndGradient} call builds the backward
 * graph, ~0.1–0.3 s more in a warm JVM (over a second in a cold one) — comparable to or larger than one step's
 * compute for the small models here. Spark runs tasks on a pool of long-lived executor threads, and a model may only
 * be used by one thread at a time, so one model per (thread, spec, precision) is both safe and reused across steps.
 *
 * <p>Each thread keeps at most {@value #CAPACITY_PER_THREAD} models, least recently used evicted first. Models hold
 * no trained state (parameters are passed to every call), so a cached model is never stale.
 */
public final class ModelCache {
    /** How many models one thread keeps. */
    public static final int CAPACITY_PER_THREAD = 4;

    private record Key(ModelSpec spec, Precision precision) {
    }

    private static final ThreadLocal<Map<Key, Model>> CACHE = ThreadLocal.withInitial(
            () -> new LinkedHashMap<>(8, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Key, Model> eldest) {
                    return size() > CAPACITY_PER_THREAD;
                }
            });

    private ModelCache() {
    }

    /**
     * This thread's model for the spec and precision, built on first use ({@link Model#build(ModelSpec, Precision)}).
     * Specs are compared with {@code equals}, so a spec deserialized from a broadcast finds the model built for an
     * equal one.
     *
     * @param spec      the model description
     * @param precision the floating-point type of the computation
     * @return a model only this thread uses
     * @throws ModelException as {@link Model#build(ModelSpec, Precision)}; nothing is cached then
     */
    public static Model forCurrentThread(ModelSpec spec, Precision precision) {
        Key key = new Key(Objects.requireNonNull(spec, "spec"), Objects.requireNonNull(precision, "precision"));
        Map<Key, Model> models = CACHE.get();
        Model m = models.get(key);
        if (m == null) {
            m = Model.build(spec, precision);
            models.put(key, m);
        }
        return m;
    }

    /** Drops this thread's models (e.g. when a job ends and the thread goes back to a shared pool). */
    public static void clearCurrentThread() {
        CACHE.remove();
    }
}
