/** The {@code bin/lather} command line (train, inspect, report, datasets). */
package io.lather.spark.cli;
