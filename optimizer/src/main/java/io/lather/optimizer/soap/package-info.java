/**
 * NVIDIA Emerging-Optimizers SOAP (ShampoO with Adam in the Preconditioner's eigenbasis; Vyas et al., arXiv 2409.11321)
 * with the semantics of the NVIDIA reference: per-parameter Kronecker factors with a separate, bias-folded EMA β, Adam
 * moments kept in a descending-order eigenbasis and re-projected at every refresh, refreshes by warm-started power
 * iteration + QR or by eigh. Two reference versions are reproduced, selected by
 * {@link io.lather.optimizer.config.NvidiaSoapConfig.Version}: LEGACY (bc634ff, any order, frequency, Adam warm-up,
 * precondition_1d, adaptive criterion) and HEAD (fd77292, 2-D only, refresh every step). ALGORITHMS.md §7 specifies both;
 * §7.5 lists how they differ from Distributed Shampoo's eigenvalue-corrected variant, which lives in
 * {@code io.lather.optimizer.shampoo}.
 *
 * <p>Entry point: {@link io.lather.optimizer.soap.NvidiaSoapOptimizer} (usually created through
 * {@link io.lather.optimizer.Optimizers#create}).
 */
package io.lather.optimizer.soap;
