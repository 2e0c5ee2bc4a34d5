/**
 * GPU checks that need no GPU: the RAPIDS Accelerator's explain API on Lather's real data queries, and
 * {@code conf/spark-gpu.conf} checked against the RAPIDS jar it names. See docs/GPU.md for what they show.
 */
package io.lather.gpucheck;
