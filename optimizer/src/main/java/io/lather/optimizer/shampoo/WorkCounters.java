package io.lather.optimizer.shampoo;

/** Mutable counters behind {@link io.lather.optimizer.OptimizerStatistics}; checkpointed with the state. */
final class WorkCounters {
    long amortizedSteps;
    long computed;
    long skipped;
    long failed;
}
