package io.lather.spark.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lather.spark.metrics.StepMetrics;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkException;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code Pipeline(VectorAssembler → LatherClassifier)} on three Gaussian blobs ({@link MlTestData#blobs}: 300 training
 * and 300 held-out rows, 4 plain numeric columns, 3 classes), fitted once with {@code adamw} and once with
 * {@code shampoo} (60 steps of 2 partitions × 32 rows, an MLP 4-16-3), then evaluated with MLlib's evaluator, saved and
 * loaded as a {@code PipelineModel}, and compared with the per-row prediction API.
 */
class LatherClassifierPipelineTest {
    private static final int STEPS = 60;

    @TempDir
    static Path dir;

    private static SparkSession spark;
    private static Dataset<Row> train;
    private static Dataset<Row> test;
    private static final Map<String, PipelineModel> FITTED = new HashMap<>();

    @BeforeAll
    static void fit() {
        spark = MlTestData.spark();
        train = MlTestData.blobs(spark, 300, 1);
        test = MlTestData.blobs(spark, 300, 2);
        for (String preset : List.of("adamw", "shampoo")) {
            LatherClassifier lather = new LatherClassifier().setOptimizer(preset).setLearningRate(0.02).setHiddenLayers(16)
                    .setMaxSteps(STEPS).setPartitions(2).setBatchPerPartition(32).setSeed(7)
                    .setCheckpointLocation(dir.resolve(preset).toString());
            Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {MlTestData.assembler(), lather});
            FITTED.put(preset, pipeline.fit(train));
        }
    }

    private static LatherClassificationModel lather(PipelineModel m) {
        return assertInstanceOf(LatherClassificationModel.class, m.stages()[1]);
    }

    /**
     * Held-out accuracy ≥ 0.85. The Bayes-optimal accuracy of the blobs is ≈ 0.97 and chance is 1/3; the standard error
     * of an accuracy measured on 300 rows is ≤ 0.03, so 0.85 leaves room for a slightly under-trained model and for
     * sampling noise, while a fit that does not learn (≈ 0.33) or learns badly cannot pass.
     */
    @ParameterizedTest
    @ValueSource(strings = {"adamw", "shampoo"})
    void pipelineLearnsTheBlobs(String preset) {
        PipelineModel model = FITTED.get(preset);
        Dataset<Row> scored = model.transform(test);
        double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(scored);
        System.out.printf("%s: held-out accuracy %.4f%n", preset, accuracy);
        assertTrue(accuracy >= 0.85, preset + ": held-out accuracy " + accuracy);

        LatherClassificationModel lather = lather(model);
        assertEquals(3, lather.numClasses());
        assertEquals(4, lather.numFeatures());
        LatherTrainingSummary s = lather.trainingSummary();
        assertEquals(STEPS, s.steps());
        assertEquals(preset, s.settings().get("optimizer"));
        assertEquals(lather.parameterDigest(), s.parameterDigest());
        List<StepMetrics> metrics = s.metrics(spark);
        assertEquals(STEPS, metrics.size(), "one metrics row per step");
        // the untrained MLP's loss is ~2.2 on these inputs (features of size ~3 give confident random logits);
        // learning the blobs takes it far below half of that
        double first = metrics.subList(0, 5).stream().mapToDouble(StepMetrics::trainLoss).average().orElseThrow();
        double last = metrics.subList(STEPS - 5, STEPS).stream().mapToDouble(StepMetrics::trainLoss).average().orElseThrow();
        System.out.printf("%s: mean loss of the first 5 steps %.4f, of the last 5 %.4f%n", preset, first, last);
        assertTrue(last < 0.5 * first, preset + ": mean loss of the first 5 steps " + first + ", of the last 5 " + last);
    }

    /**
     * Probabilities sum to 1 within 1e-6 (they are a double softmax, so the true error is a few ulps), are in [0, 1],
     * the prediction is their arg-max, and softmax(rawPrediction) = probability.
     */
    @ParameterizedTest
    @ValueSource(strings = {"adamw", "shampoo"})
    void probabilitiesAreADistributionAndMatchPredictions(String preset) {
        List<Row> rows = FITTED.get(preset).transform(test).select("rawPrediction", "probability", "prediction").collectAsList();
        assertEquals(300, rows.size());
        for (Row r : rows) {
            double[] raw = ((Vector) r.get(0)).toArray();
            double[] p = ((Vector) r.get(1)).toArray();
            double sum = 0;
            for (double x : p) {
                assertTrue(x >= 0 && x <= 1, "probability " + x);
                sum += x;
            }
            assertEquals(1.0, sum, 1e-6);
            assertEquals(Predictions.argmax(p), (int) r.getDouble(2));
            double[] softmax = Predictions.softmaxInPlace(raw.clone());
            assertArrayEquals(p, softmax, 1e-12);
        }
    }

    /**
     * The fitted PipelineModel saved and loaded predicts exactly the same (bitwise: the parameters round-trip exactly
     * and the computation is deterministic), and keeps the stage's uid, params, parameter digest and summary.
     */
    @Test
    void savedAndLoadedPipelinePredictsIdentically() throws Exception {
        PipelineModel model = FITTED.get("shampoo");
        String path = dir.resolve("saved-pipeline").toString();
        model.write().overwrite().save(path);
        PipelineModel loaded = PipelineModel.load(path);

        LatherClassificationModel before = lather(model);
        LatherClassificationModel after = lather(loaded);
        assertEquals(before.uid(), after.uid());
        assertEquals(before.parameterDigest(), after.parameterDigest());
        assertEquals(before.trainingSummary(), after.trainingSummary());
        assertEquals(before.modelSpec(), after.modelSpec());
        assertEquals(before.getFeaturesCol(), after.getFeaturesCol());
        assertEquals(before.getProbabilityCol(), after.getProbabilityCol());

        List<Row> a = model.transform(test).orderBy("id").select("id", "rawPrediction", "probability", "prediction").collectAsList();
        List<Row> b = loaded.transform(test).orderBy("id").select("id", "rawPrediction", "probability", "prediction").collectAsList();
        assertEquals(a, b);
    }

    /**
     * A single model saved on its own loads with its static load() and predicts identically; a saved model whose
     * parameter bytes were changed is refused (its digest no longer matches).
     */
    @Test
    void modelSavesAndLoadsOnItsOwnAndTamperingIsDetected() throws Exception {
        LatherClassificationModel model = lather(FITTED.get("adamw"));
        Path path = dir.resolve("saved-model");
        model.write().overwrite().save(path.toString());
        LatherClassificationModel loaded = LatherClassificationModel.load(path.toString());
        assertEquals(model.uid(), loaded.uid());
        Dataset<Row> features = MlTestData.assembler().transform(test);
        assertEquals(model.transform(features).orderBy("id").select("probability", "prediction").collectAsList(),
                loaded.transform(features).orderBy("id").select("probability", "prediction").collectAsList());

        Path tampered = dir.resolve("tampered-model");
        try (var files = java.nio.file.Files.walk(path)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                java.nio.file.Files.copy(f, tampered.resolve(path.relativize(f).toString()));
            }
        }
        Dataset<Row> parameters = spark.read().parquet(path.resolve("data/parameters").toString());
        List<Row> rows = new java.util.ArrayList<>();
        for (Row r : parameters.collectAsList()) {
            Object[] v = new Object[r.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = r.get(i);
            }
            if (r.getInt(r.fieldIndex("position")) == 0) {
                byte[] data = ((byte[]) v[r.fieldIndex("data")]).clone();
                data[0] ^= 1; // one bit of one weight
                v[r.fieldIndex("data")] = data;
            }
            rows.add(org.apache.spark.sql.RowFactory.create(v));
        }
        spark.createDataFrame(rows, parameters.schema()).write().mode("overwrite")
                .parquet(tampered.resolve("data/parameters").toString());
        LatherMlException e = assertThrows(LatherMlException.class, () -> LatherClassificationModel.load(tampered.toString()));
        assertTrue(e.getMessage().contains("digest") && e.getMessage().contains("changed or damaged"), e.getMessage());
    }

    /**
     * The per-row API (predictRaw / predictProbability / predict, which Spark's default transform would call) agrees
     * with the batched transform. One row and a batch of rows go through different GEMM code paths, so float32 logits
     * may differ in the last bits; probabilities are compared to 1e-5 (float32 rounding of logits of size ~10 is
     * ~1e-6 relative), and the predicted class must be equal wherever the two best probabilities are further apart.
     */
    @Test
    void perRowApiAgreesWithBatchedTransform() {
        LatherClassificationModel model = lather(FITTED.get("adamw"));
        List<Row> rows = model.transform(MlTestData.assembler().transform(test)).select("features", "probability", "prediction")
                .collectAsList();
        for (Row r : rows) {
            Vector x = (Vector) r.get(0);
            double[] batched = ((Vector) r.get(1)).toArray();
            double[] single = model.predictProbability(x).toArray();
            assertArrayEquals(batched, single, 1e-5);
            double[] sorted = batched.clone();
            java.util.Arrays.sort(sorted);
            if (sorted[2] - sorted[1] > 1e-5) {
                assertEquals(r.getDouble(2), model.predict(x));
                assertEquals(r.getDouble(2), Predictions.argmax(model.predictRaw(x).toArray()));
            }
            // a sparse vector with the same values is the same input
            assertArrayEquals(single, model.predictProbability(x.toSparse()).toArray(), 0.0);
        }
    }

    /** Thresholds follow Spark's rule (arg-max of p_k / t_k) and must have one value per class. */
    @Test
    void thresholdsFollowSparkRule() {
        LatherClassificationModel model = lather(FITTED.get("adamw")).copy(new org.apache.spark.ml.param.ParamMap());
        Dataset<Row> features = MlTestData.assembler().transform(test);
        // a tiny threshold for class 2 makes it win whenever its probability is not negligible
        double[] t = {1.0, 1.0, 1e-6};
        model.setThresholds(t);
        for (Row r : model.transform(features).select("probability", "prediction").collectAsList()) {
            double[] p = ((Vector) r.get(0)).toArray();
            assertEquals(Predictions.probabilityToPrediction(p, t), (int) r.getDouble(1));
        }
        long class2 = model.transform(features).filter("prediction = 2").count();
        assertTrue(class2 > 150, "with t_2 = 1e-6 class 2 is predicted for most rows, got " + class2);
        // Spark's setter checks the length; a ParamMap (copy, Pipeline.fit(df, paramMap)) does not, transform does
        assertThrows(IllegalArgumentException.class, () -> model.setThresholds(new double[] {0.5, 0.5}));
        LatherClassificationModel two = model.copy(new org.apache.spark.ml.param.ParamMap().put(model.thresholds(),
                new double[] {0.5, 0.5}));
        LatherMlException e = assertThrows(LatherMlException.class, () -> two.transform(features));
        assertTrue(e.getMessage().contains("thresholds has 2 values but the model has 3 classes"), e.getMessage());
    }

    /** Only the requested output columns are added; with none the input comes back unchanged. */
    @Test
    void emptyColumnParamsAreSkipped() {
        LatherClassificationModel model = lather(FITTED.get("adamw")).copy(new org.apache.spark.ml.param.ParamMap());
        Dataset<Row> features = MlTestData.assembler().transform(test);
        model.setRawPredictionCol("").setProbabilityCol("");
        assertEquals(List.of("id", "a", "b", "c", "d", "label", "features", "prediction"),
                List.of(model.transform(features).columns()));
        model.setPredictionCol("");
        assertEquals(List.of(features.columns()), List.of(model.transform(features).columns()));
    }

    /** A features vector of the wrong size is reported with both sizes and the fix. */
    @Test
    void wrongFeatureSizeIsExplained() {
        LatherClassificationModel model = lather(FITTED.get("adamw"));
        Dataset<Row> three = new VectorAssembler().setInputCols(new String[] {"a", "b", "c"}).setOutputCol("features")
                .transform(test);
        SparkException e = assertThrows(SparkException.class, () -> model.transform(three).collectAsList());
        String message = rootMessage(e);
        assertTrue(message.contains("has 3 values; the model was trained on 4"), message);
        LatherMlException single = assertThrows(LatherMlException.class, () -> model.predict(Vectors.dense(1, 2, 3)));
        assertTrue(single.getMessage().contains("has 3 values; the model was trained on 4"), single.getMessage());
    }

    static String rootMessage(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c.getMessage()).append('\n');
        }
        return sb.toString();
    }
}
