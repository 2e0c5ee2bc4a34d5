package io.lather.optimizer;

/**
 * Cumulative counters of an optimizer's amortized work, for metrics and for checking the adaptive criterion.
 * Counts are per Kronecker factor: a matrix block refreshed at one step contributes 2.
 *
 * @param steps steps taken
 * @param amortizedSteps steps at which the amortized computation was due
 * @param factorComputations factor eigendecompositions / inverse roots / QR refreshes actually computed
 * @param factorSkips factor refreshes skipped because the adaptive criterion found the basis still good
 * @param failedComputations factor computations that failed and were tolerated (previous result kept)
 */
public record OptimizerStatistics(long steps, long amortizedSteps, long factorComputations, long factorSkips,
        long failedComputations) {

    /** Component-wise difference (this − earlier), e.g. the work done by one step. */
    public OptimizerStatistics minus(OptimizerStatistics earlier) {
        return new OptimizerStatistics(steps - earlier.steps, amortizedSteps - earlier.amortizedSteps,
                factorComputations - earlier.factorComputations, factorSkips - earlier.factorSkips,
                failedComputations - earlier.failedComputations);
    }
}
