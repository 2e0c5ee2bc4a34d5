/**
 * Implementation of the datasets module: the validation scan ({@link
 * io.lather.datasets.internal.RowChecker}), the validate-then-commit writer ({@link
 * io.lather.datasets.internal.TableWriter}) and Delta helpers. Not a public API: other modules use
 * {@link io.lather.datasets.LatherTable}, the loaders and the generators.
 */
package io.lather.datasets.internal;
