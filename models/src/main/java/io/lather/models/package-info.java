/**
 * Lather's models: small neural networks written as ND4J SameDiff graphs, and what the training loop needs
 * from them — the <em>sum</em> over a batch of the per-example loss and of its gradient, predictions, and
 * counts for evaluation.
 *
 * <h2>The pieces</h2>
 * <ul>
 *   <li>{@link io.lather.models.ModelSpec} — a sealed family of small serializable model descriptions
 *       ({@code mlp}, {@code cnn}, {@code logistic_regression}, {@code autoencoder}, {@code custom}), each
 *       validated in its constructor and readable from / writable to a flat config map with stable keys.</li>
 *   <li>{@link io.lather.models.Model} — the runtime object built from a spec: the SameDiff graph, the ordered
 *       {@link io.lather.models.ParameterSpec parameter list}, deterministic initialisation, and
 *       {@code lossAndGradient}, {@code evaluate}, {@code predict}.</li>
 *   <li>{@link io.lather.models.LossAndGradient} and {@link io.lather.models.EvaluationSums} — sums over the
 *       rows of one batch (never means), so partition results add up to the full-batch result.</li>
 *   <li>{@link io.lather.models.ModelCache} — one built model per thread, so per-task code does not rebuild graphs.</li>
 *   <li>{@link io.lather.models.CustomModelFactory} and {@link io.lather.models.CustomGraph} — the contract for a
 *       user-supplied graph.</li>
 * </ul>
 *
 * <h2>Why sums</h2>
 * Spark executors each compute {@code lossAndGradient} on their slice of the global batch; the driver adds the
 * partition results and divides by the global batch size B. With per-partition sums, Σ_p sum_p / B is exactly
 * the full-batch mean whatever the partitioning; per-partition means would have to be re-weighted by row counts.
 *
 * <h2>What this package does not do</h2>
 * No Spark, no optimizer, no data loading: {@code spark-job} calls into it. ND4J arrays never need to cross a
 * serialization boundary — specs are records of primitives, and every entry point has an overload taking
 * primitive arrays.
 *
 * <p>User-facing errors are {@link io.lather.models.ModelException}s; their text is built in one place,
 * {@code io.lather.models.internal.ModelErrors}.
 */
package io.lather.models;
