/**
 * Loaders from LibSVM, CSV, Parquet, Delta and DataFrames into Lather tables ({@link
 * io.lather.datasets.sources.Loaders}), with the column mapping ({@link
 * io.lather.datasets.sources.SourceMapping}, {@link io.lather.datasets.sources.FeatureSpec}, {@link
 * io.lather.datasets.sources.LabelSpec}). Every loader validates before it writes.
 */
package io.lather.datasets.sources;
