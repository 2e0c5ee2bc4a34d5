/**
 * Training metrics: one {@link io.lather.spark.metrics.StepMetrics} row per step, buffered and flushed to a Delta table
 * by {@link io.lather.spark.metrics.DeltaMetricsSink} (idempotent under retries and resume), the per-step
 * {@link io.lather.spark.metrics.ProgressLine}, and the PNG charts of {@code lather report}
 * ({@link io.lather.spark.metrics.ReportRenderer}). Errors are worded in {@link io.lather.spark.metrics.MetricsErrors}.
 * The table schema and the rules are in {@code docs/METRICS.md}.
 */
package io.lather.spark.metrics;
