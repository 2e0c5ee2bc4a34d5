package io.lather.optimizer.linalg;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Eigenvalues in ascending order and the matching orthonormal eigenvectors as columns, both float64.
 *
 * @param eigenvalues vector of length n
 * @param eigenvectors n×n matrix, column j belongs to eigenvalue j; in any layout (LapackEigensolver returns LAPACK's
 *     column-major output as a transposed view, not a copy), so callers that keep it copy it ({@link Tensors#rowMajorCopy})
 */
public record Eigenpairs(INDArray eigenvalues, INDArray eigenvectors) {}
