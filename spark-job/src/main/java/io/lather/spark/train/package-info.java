/**
 * The training loop: packing the table into executor-resident partitions, the deterministic per-step batch plan,
 * executor gradient tasks, the order-fixed reduction monoid, the driver's optimizer step, evaluation and resume.
 */
package io.lather.spark.train;
