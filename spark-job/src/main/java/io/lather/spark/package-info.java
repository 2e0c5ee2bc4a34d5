/**
 * The Spark training job: {@link io.lather.spark.TrainJob} (spark-submit entry point). Executors compute per-partition
 * gradients; the driver reduces them deterministically and runs the Shampoo-family optimizer; checkpoints and metrics
 * go to Delta tables. See DESIGN.md §3 and README.md.
 */
package io.lather.spark;
