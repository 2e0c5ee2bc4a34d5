package io.lather.optimizer.shampoo;

import io.lather.optimizer.linalg.SymmetricEigensolver;

/**
 * Per-step scalars shared by all blocks of a step.
 *
 * @param step t, 1-based, incremented before use
 * @param amortize whether the amortized computation runs this step
 * @param beta2 factor EMA β2
 * @param weight w = 1 − β2 (1 when β2 = 1 or the weighting factor is dropped)
 * @param biasCorrection bc2 = 1 − β2^t when it applies, else 1
 * @param previousBiasCorrection bc2 of step t − 1 (what the per-factor KL transform reads)
 * @param epsilon group ε
 * @param filterWeight 1 − β1, the weight of G in the β1 filter's lerp
 * @param filterBiasCorrection bc1, the divisor that turns the β1 filter M into H (1 without bias correction)
 * @param solver eigensolver for amortized computations
 * @param counters where amortized work is counted
 * @param buffers the optimizer's reusable work arrays (the hot path allocates nothing per step)
 */
record StepContext(long step, boolean amortize, double beta2, double weight, double biasCorrection,
        double previousBiasCorrection, double epsilon, double filterWeight, double filterBiasCorrection,
        SymmetricEigensolver solver, WorkCounters counters,
        io.lather.optimizer.linalg.WorkBuffers buffers) {}
