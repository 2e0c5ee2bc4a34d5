/**
 * Synthetic Lather tables with known optima, deterministic from a seed and independent of partitioning
 * ({@link io.lather.datasets.synthetic.SplitMix64}): teacher–student MLPs ({@link
 * io.lather.datasets.synthetic.TeacherStudent}) and Kronecker-structured ill-conditioned least squares
 * ({@link io.lather.datasets.synthetic.KroneckerLeastSquares}).
 */
package io.lather.datasets.synthetic;
