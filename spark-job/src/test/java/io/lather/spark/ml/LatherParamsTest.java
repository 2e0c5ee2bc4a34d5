package io.lather.spark.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Params of the estimators: defaults, copy and extractParamMap, save/load of the unfitted stages (uid and values kept),
 * and the validation errors — all of which must fail before any training data is written.
 */
class LatherParamsTest {
    @TempDir
    static Path dir;

    private static SparkSession spark;
    private static Dataset<Row> blobs;

    @BeforeAll
    static void session() {
        spark = MlTestData.spark();
        blobs = MlTestData.assembler().transform(MlTestData.blobs(spark, 30, 3));
    }

    @Test
    void defaultsAreDocumentedValues() {
        LatherClassifier c = new LatherClassifier();
        assertEquals("mlp", c.getModelType());
        assertArrayEquals(new int[] {64}, c.getHiddenLayers());
        assertEquals("relu", c.getActivation());
        assertEquals("shampoo", c.getOptimizer());
        assertEquals(0, c.getOptimizerOptions().length);
        assertFalse(c.isDefined(c.learningRate()), "unset learningRate = the preset's own");
        assertEquals(0, c.getMaxSteps());
        assertEquals(10, c.getEpochs());
        assertEquals(0, c.getPartitions());
        assertEquals(64, c.getBatchPerPartition());
        assertEquals(42L, c.getSeed());
        assertEquals("", c.getCheckpointLocation());
        assertEquals(0, c.getCheckpointInterval());
        assertEquals("global", c.getStatistics());
        assertEquals("features", c.getFeaturesCol());
        assertEquals("label", c.getLabelCol());
        assertEquals("probability", c.getProbabilityCol());
        assertTrue(c.uid().startsWith("latherClassifier_"), c.uid());
        assertTrue(new LatherRegressor().uid().startsWith("latherRegressor_"));
        String explained = c.explainParams();
        for (String name : List.of("modelType", "hiddenLayers", "activation", "optimizer", "optimizerOptions", "learningRate",
                "maxSteps", "epochs", "partitions", "batchPerPartition", "seed", "checkpointLocation", "checkpointInterval",
                "statistics", "featuresCol", "labelCol", "predictionCol", "probabilityCol", "rawPredictionCol", "thresholds")) {
            assertTrue(explained.contains(name + ":"), name + " missing from explainParams:\n" + explained);
        }
    }

    /** Every param belongs to the stage's uid, including the inherited ones created in Spark's constructor. */
    @Test
    void paramsBelongToTheGivenUid() {
        LatherClassifier c = new LatherClassifier("myUid");
        assertEquals("myUid", c.uid());
        for (Param<?> p : c.params()) {
            assertEquals("myUid", p.parent(), p.name());
        }
        c.setFeaturesCol("x").setLabelCol("y");
        assertEquals("x", c.getFeaturesCol());
        LatherRegressor r = new LatherRegressor("otherUid");
        for (Param<?> p : r.params()) {
            assertEquals("otherUid", p.parent(), p.name());
        }
    }

    @Test
    void copyWithExtraParamsKeepsUidAndLeavesTheOriginal() {
        LatherClassifier c = new LatherClassifier().setOptimizer("adamw").setMaxSteps(5).setOptimizerOptions("beta2=0.99");
        LatherClassifier copy = c.copy(new ParamMap().put(c.maxSteps(), 7).put(c.hiddenLayers(), new int[] {8, 4}));
        assertEquals(c.uid(), copy.uid());
        assertEquals(7, copy.getMaxSteps());
        assertArrayEquals(new int[] {8, 4}, copy.getHiddenLayers());
        assertEquals("adamw", copy.getOptimizer());
        assertArrayEquals(new String[] {"beta2=0.99"}, copy.getOptimizerOptions());
        assertEquals(5, c.getMaxSteps());
        assertArrayEquals(new int[] {64}, c.getHiddenLayers());

        ParamMap extracted = copy.extractParamMap();
        assertEquals(7, extracted.apply(copy.maxSteps()));
        assertEquals("adamw", extracted.apply(copy.optimizer()));
        assertEquals("global", extracted.apply(copy.statistics()), "defaults are in the extracted map");
        assertFalse(extracted.contains(copy.learningRate()));
    }

    @Test
    void estimatorsSaveAndLoadWithUidAndParams() throws Exception {
        LatherClassifier c = new LatherClassifier().setOptimizer("soap").setLearningRate(0.003).setHiddenLayers(32, 16)
                .setOptimizerOptions("beta2=0.99,preconditioner.inverse_exponent_override=2:0=0,1=0.25").setSeed(9)
                .setThresholds(new double[] {0.5, 0.3, 0.2});
        String path = dir.resolve("classifier").toString();
        c.write().overwrite().save(path);
        LatherClassifier back = LatherClassifier.load(path);
        assertEquals(c.uid(), back.uid());
        assertEquals("soap", back.getOptimizer());
        assertEquals(0.003, back.getLearningRate());
        assertArrayEquals(new int[] {32, 16}, back.getHiddenLayers());
        assertArrayEquals(new String[] {"beta2=0.99", "preconditioner.inverse_exponent_override=2:0=0,1=0.25"},
                back.getOptimizerOptions());
        assertEquals(9L, back.getSeed());
        assertArrayEquals(new double[] {0.5, 0.3, 0.2}, back.getThresholds());

        LatherRegressor r = new LatherRegressor().setStatistics("partition").setEpochs(3).setLabelCol("y");
        Pipeline p = new Pipeline().setStages(new PipelineStage[] {MlTestData.assembler(), r});
        String pipelinePath = dir.resolve("pipeline").toString();
        p.write().overwrite().save(pipelinePath);
        LatherRegressor loaded = assertInstanceOf(LatherRegressor.class, Pipeline.load(pipelinePath).getStages()[1]);
        assertEquals(r.uid(), loaded.uid());
        assertEquals("partition", loaded.getStatistics());
        assertEquals(3, loaded.getEpochs());
        assertEquals("y", loaded.getLabelCol());
    }

    @Test
    void optimizerOptionsSplitOnlyBeforeKeys() {
        assertArrayEquals(new String[] {"beta2=0.99", "optimizer.epsilon=1e-10", "preconditioner.ignored_basis_change_dims=2:1;3:0,2"},
                ParamSupport.options("s", "beta2=0.99, optimizer.epsilon=1e-10", "preconditioner.ignored_basis_change_dims=2:1;3:0,2"));
        Map<String, String> m = new LinkedHashMap<>();
        m.put("beta1", "0.95");
        m.put("optimizer.precondition_frequency", "20");
        LatherClassifier c = new LatherClassifier().setOptimizerOptions(m);
        assertEquals(Map.of("optimizer", "shampoo", "optimizer.beta1", "0.95", "optimizer.precondition_frequency", "20"),
                c.optimizerSettings());
    }

    // ------------------------------------------------------------------------------------------------ errors

    private static String message(Runnable r) {
        LatherMlException e = assertThrows(LatherMlException.class, r::run);
        return e.getMessage();
    }

    @Test
    void badPresetSuggestsTheClosestName() {
        String m = message(() -> new LatherClassifier().setOptimizer("shampo"));
        assertTrue(m.contains("optimizer = 'shampo'") && m.contains("did you mean 'shampoo'"), m);
        String r = message(() -> new LatherRegressor().setOptimizer("adam"));
        assertTrue(r.contains("did you mean 'adamw'"), r);
    }

    @Test
    void badSetterValuesNameParamValueAndRange() {
        assertTrue(message(() -> new LatherClassifier().setMaxSteps(-1)).contains("maxSteps = -1; must be an integer >= 0"));
        assertTrue(message(() -> new LatherClassifier().setBatchPerPartition(0)).contains("batchPerPartition = 0; must be an integer >= 1"));
        assertTrue(message(() -> new LatherClassifier().setLearningRate(Double.NaN)).contains("learningRate = NaN"));
        assertTrue(message(() -> new LatherClassifier().setHiddenLayers(8, 0)).contains("every width must be >= 1"));
        assertTrue(message(() -> new LatherClassifier().setActivation("rel")).contains("did you mean 'relu'"));
        assertTrue(message(() -> new LatherClassifier().setModelType("logistic")).contains("logistic_regression"));
        assertTrue(message(() -> new LatherClassifier().setStatistics("local")).contains("[global, partition]"));
        String option = message(() -> new LatherClassifier().setOptimizerOptions("beta22=0.9"));
        assertTrue(option.contains("'optimizer.beta22' is not an optimizer setting") && option.contains("did you mean 'optimizer.beta2'"), option);
        assertTrue(message(() -> new LatherClassifier().setOptimizerOptions("beta2")).contains("is not key=value"));
        assertTrue(message(() -> new LatherClassifier().setOptimizerOptions("optimizer=soap")).contains("setOptimizer(\"soap\")"));
        // a value set around the setter (ParamMap) is still rejected by Spark's param validator
        LatherClassifier c = new LatherClassifier();
        assertThrows(IllegalArgumentException.class, () -> c.copy(new ParamMap().put(c.maxSteps(), -3)));
    }

    @Test
    void missingFeaturesColumnIsExplained() {
        LatherClassifier c = new LatherClassifier().setFeaturesCol("nope").setCheckpointLocation(dir.resolve("e1").toString());
        String m = message(() -> c.fit(blobs));
        assertTrue(m.contains("no features column 'nope'") && m.contains("VectorAssembler") && m.contains("columns present"), m);
        assertFalse(Files.exists(dir.resolve("e1")), "nothing is written");
    }

    @Test
    void nonVectorFeaturesColumnIsExplained() {
        String m = message(() -> new LatherRegressor().setFeaturesCol("a").fit(blobs));
        assertTrue(m.contains("features column 'a' has type double; it must be an MLlib vector"), m);
        String missingLabel = message(() -> new LatherClassifier().setLabelCol("target").fit(blobs));
        assertTrue(missingLabel.contains("no label column 'target'"), missingLabel);
        Dataset<Row> textLabel = blobs.withColumn("label", functions.col("label").cast("string"));
        String text = message(() -> new LatherClassifier().fit(textLabel));
        assertTrue(text.contains("label column 'label' has type string; it must be numeric") && text.contains("StringIndexer"), text);
    }

    /** Settings that only the full job config can check (an option's value) fail before any data is written. */
    @Test
    void invalidJobSettingsFailBeforeWritingData() {
        Path location = dir.resolve("e2");
        LatherClassifier c = new LatherClassifier().setOptimizerOptions("beta2=1.5").setCheckpointLocation(location.toString());
        String m = message(() -> c.fit(blobs));
        assertTrue(m.contains("training params are invalid") && m.contains("beta2"), m);
        assertFalse(Files.exists(location), "nothing is written");

        LatherClassifier lr = new LatherClassifier().setModelType("logistic_regression").setHiddenLayers(8)
                .setCheckpointLocation(location.toString());
        String hidden = message(() -> lr.fit(blobs));
        assertTrue(hidden.contains("has no hidden layers"), hidden);
        assertFalse(Files.exists(location), "nothing is written");

        LatherClassifier both = new LatherClassifier().setLearningRate(0.1).setOptimizerOptions("lr=0.2");
        assertTrue(message(() -> both.fit(blobs)).contains("set only one of them"));
    }

    @Test
    void singleClassLabelsAreExplained() {
        Dataset<Row> oneClass = blobs.filter("label = 0");
        LatherClassifier c = new LatherClassifier().setMaxSteps(1).setCheckpointLocation(dir.resolve("e3").toString());
        String m = message(() -> c.fit(oneClass));
        assertTrue(m.contains("holds 1 class(es); a classifier needs at least 2"), m);
    }

    @Test
    void runIdsAreSafeAndUnique() {
        String a = LatherFit.runId("odd uid/with:chars");
        String b = LatherFit.runId("odd uid/with:chars");
        assertTrue(a.matches("[A-Za-z0-9._-]+"), a);
        assertNotEquals(a, b);
        assertTrue(Arrays.asList(a.split("-")).get(0).equals("odd_uid_with_chars"), a);
    }
}
