/**
 * Spark ML stages backed by Lather: {@link io.lather.spark.ml.LatherClassifier} / {@link
 * io.lather.spark.ml.LatherClassificationModel} and {@link io.lather.spark.ml.LatherRegressor} / {@link
 * io.lather.spark.ml.LatherRegressionModel}, usable in a {@code Pipeline} with {@code VectorAssembler} and MLlib's
 * evaluators. {@code fit} runs the Lather training loop ({@link io.lather.spark.train.Trainer}) on a Delta copy of the
 * training rows, with checkpoints and metrics in Delta; {@code transform} predicts in batches per partition; models save
 * and load with {@code MLWritable}/{@code MLReadable} (no Java serialization). See {@code docs/SPARK_ML.md}.
 */
package io.lather.spark.ml;
