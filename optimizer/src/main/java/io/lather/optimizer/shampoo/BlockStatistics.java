package io.lather.optimizer.shampoo;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Externally computed per-step statistics of one block, used instead of the statistics of the global gradient in
 * Lather's {@code partition} statistics mode: with P data partitions and partition gradients G_p,
 * O_j = (1/P)·Σ_p C_j(G_p) replaces C_j(G) in the factor update, and for eigenvalue-corrected Shampoo
 * S = (1/P)·Σ_p rot(G_p)⊙rot(G_p) replaces rot(G)⊙rot(G) in the second-moment update. This estimates
 * μμᵀ + Σ/b (b = per-partition batch) instead of μμᵀ + Σ/B (B = global batch); see DESIGN.md §3.
 *
 * @param outerProducts one d_j × d_j matrix per preconditioned mode of the block, in factor order
 * @param rotatedSquares the block-shaped rotated squares (eigenvalue-corrected Shampoo only; null otherwise), computed
 *     with the eigenbases the optimizer held before this step ({@link ShampooOptimizer#eigenbases()})
 */
public record BlockStatistics(INDArray[] outerProducts, INDArray rotatedSquares) {}
