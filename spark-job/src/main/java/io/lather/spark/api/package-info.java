/**
 * A small facade over the Lather modules for notebooks and Scala shells: {@link io.lather.spark.api.Lather} loads
 * Fashion-MNIST into Delta, trains or resumes a run from a settings map, reads a run's metrics as a DataFrame, lists
 * checkpoints with their Delta history, and makes a model factory written in a Scala REPL usable as a {@code custom}
 * model ({@link io.lather.spark.api.ReplModelFactory}). Everything here is built on the public API of the other
 * packages; notes call only this and those.
 */
package io.lather.spark.api;
