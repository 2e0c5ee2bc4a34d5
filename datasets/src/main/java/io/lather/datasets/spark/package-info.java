/**
 * Spark session factory with Delta Lake enabled, reused by the other Lather modules; see
 * {@link io.lather.datasets.spark.LatherSparkSessions}.
 */
package io.lather.datasets.spark;
