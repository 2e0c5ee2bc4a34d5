package io.lather.optimizer.linalg;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Result of an amortized eigenbasis computation.
 *
 * @param eigenvalues ascending eigenvalue estimates (float64); with a skip, the Rayleigh quotients diag(QᵀAQ)
 *     of the kept basis in its column order
 * @param eigenvectors eigenvectors in columns (float64), in any layout (see {@link Eigenpairs})
 * @param recomputed false when the adaptive criterion kept the previous basis without any new work
 * @param iterations QR iterations run (0 for eigh)
 */
public record EigendecompositionResult(INDArray eigenvalues, INDArray eigenvectors, boolean recomputed, int iterations) {}
