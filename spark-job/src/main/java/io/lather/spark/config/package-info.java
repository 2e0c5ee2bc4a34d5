/** The job configuration: typed, closed set of keys from a job file, Spark conf ({@code spark.lather.*}) and {@code --set}. */
package io.lather.spark.config;
