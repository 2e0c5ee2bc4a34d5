/**
 * Lather training tables: the one schema every table the trainer reads follows ({@link
 * io.lather.datasets.LatherTable}, {@link io.lather.datasets.LatherTableProperties}), its validation,
 * the module's errors ({@link io.lather.datasets.LatherDataException}, worded in {@link
 * io.lather.datasets.DataErrors}) and the command line ({@link io.lather.datasets.DatasetsCli}).
 *
 * <p>Sub-packages: {@code idx} (IDX reader), {@code fashionmnist} (Fashion-MNIST loader),
 * {@code sources} (LibSVM, CSV, Parquet, Delta loaders), {@code synthetic} (generators with known
 * optima), {@code spark} (session factory). The format is specified in {@code docs/DATA_FORMAT.md}.
 */
package io.lather.datasets;
