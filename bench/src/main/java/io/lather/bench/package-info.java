/**
 * JMH benchmarks of the optimizer's kernels. Speed is measured here, side by side in one JVM run, never in timed tests.
 * Run: {@code java -jar bench/target/benchmarks.jar} (see docs/BENCHMARKS.md for the exact commands and results).
 */
package io.lather.bench;
