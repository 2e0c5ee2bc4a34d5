package io.lather.spark.ml;

import io.lather.models.Task;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;

/**
 * A Spark ML classifier trained by Lather: an MLP (or multinomial logistic regression) fitted with a Shampoo-family
 * optimizer through Lather's distributed training loop. {@code fit} writes the training rows to a Lather Delta table,
 * trains with checkpoints and metrics in Delta, and returns a {@link LatherClassificationModel} whose {@code transform}
 * adds {@code rawPrediction}, {@code probability} and {@code prediction} columns.
 *
 * <pre>{@code
 * VectorAssembler assembler = new VectorAssembler().setInputCols(new String[] {"a", "b", "c", "d"}).setOutputCol("features");
 * LatherClassifier lather = new LatherClassifier().setHiddenLayers(32).setOptimizer("shampoo").setMaxSteps(200)
 *     .setCheckpointLocation("/data/lather-ml");
 * PipelineModel model = new Pipeline().setStages(new PipelineStage[] {assembler, lather}).fit(train);
 * double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(model.transform(test));
 * }</pre>
 *
 * <p>Params: the inherited {@code featuresCol} (an MLlib vector), {@code labelCol} (numeric class indices 0..K-1; K is
 * taken from the column's ML attribute when present, else the largest label + 1), {@code predictionCol},
 * {@code rawPredictionCol}, {@code probabilityCol}, {@code thresholds}; {@link #modelType()}; and the training params
 * of {@link LatherParams}. Every param, its default and the job key it sets are listed in {@code docs/SPARK_ML.md}.
 * Setters check their value at once; {@code fit} validates the whole job (optimizer options included) before it writes
 * any data.
 */
public final class LatherClassifier extends ProbabilisticClassifier<Vector, LatherClassifier, LatherClassificationModel>
        implements LatherParams, DefaultParamsWritable {
    private static final long serialVersionUID = 1L;

    /** Prefix of random uids. */
    static final String PREFIX = "latherClassifier";

    /** The model types a classifier trains: {@code mlp} and {@code logistic_regression}. */
    public static final List<String> MODEL_TYPES = List.of("mlp", "logistic_regression");

    // No initializer on purpose: uid() assigns it while the superclass constructor runs (see Uids).
    private String uid;

    private final Param<String> modelType = new Param<String>(this, "modelType", "model: mlp (hiddenLayers, activation) "
            + "or logistic_regression (multinomial, no hidden layer) (model.type; default mlp)",
            ParamSupport.check(String.class, s -> MODEL_TYPES.contains(s)));
    private final IntArrayParam hiddenLayers = ParamSupport.hiddenLayers(this);
    private final Param<String> activation = ParamSupport.activation(this);
    private final Param<String> optimizer = ParamSupport.optimizer(this);
    private final StringArrayParam optimizerOptions = ParamSupport.optimizerOptions(this);
    private final DoubleParam learningRate = ParamSupport.learningRate(this);
    private final IntParam maxSteps = ParamSupport.maxSteps(this);
    private final IntParam epochs = ParamSupport.epochs(this);
    private final IntParam partitions = ParamSupport.partitions(this);
    private final IntParam batchPerPartition = ParamSupport.batchPerPartition(this);
    private final LongParam seed = ParamSupport.seed(this);
    private final Param<String> checkpointLocation = ParamSupport.checkpointLocation(this);
    private final IntParam checkpointInterval = ParamSupport.checkpointInterval(this);
    private final Param<String> statistics = ParamSupport.statistics(this);

    /** A classifier with a random uid and the default params. */
    public LatherClassifier() {
        this(Uids.random(PREFIX));
    }

    /**
     * A classifier with the given uid (Spark's {@code copy} and {@code load} use this constructor).
     *
     * @param uid a non-empty identifier
     */
    public LatherClassifier(String uid) {
        this(Uids.stash(uid));
    }

    private LatherClassifier(Uids.Token token) {
        uid();
        setDefault(modelType, "mlp");
        ParamSupport.setDefaults(this);
    }

    @Override
    public String uid() {
        if (uid == null) {
            uid = Uids.take(PREFIX);
        }
        return uid;
    }

    /** @return the model type param ({@code mlp} or {@code logistic_regression}; default {@code mlp}) */
    public Param<String> modelType() {
        return modelType;
    }

    /** @return {@link #modelType()} */
    public String getModelType() {
        return getOrDefault(modelType);
    }

    @Override
    public IntArrayParam hiddenLayers() {
        return hiddenLayers;
    }

    @Override
    public Param<String> activation() {
        return activation;
    }

    @Override
    public Param<String> optimizer() {
        return optimizer;
    }

    @Override
    public StringArrayParam optimizerOptions() {
        return optimizerOptions;
    }

    @Override
    public DoubleParam learningRate() {
        return learningRate;
    }

    @Override
    public IntParam maxSteps() {
        return maxSteps;
    }

    @Override
    public IntParam epochs() {
        return epochs;
    }

    @Override
    public IntParam partitions() {
        return partitions;
    }

    @Override
    public IntParam batchPerPartition() {
        return batchPerPartition;
    }

    @Override
    public LongParam seed() {
        return seed;
    }

    @Override
    public Param<String> checkpointLocation() {
        return checkpointLocation;
    }

    @Override
    public IntParam checkpointInterval() {
        return checkpointInterval;
    }

    @Override
    public Param<String> statistics() {
        return statistics;
    }

    // ------------------------------------------------------------------------------------------------ setters

    /** @param value {@code mlp} or {@code logistic_regression} */
    public LatherClassifier setModelType(String value) {
        return (LatherClassifier) set(modelType, ParamSupport.oneOf(uid(), "modelType", value, MODEL_TYPES));
    }

    /** @param widths hidden layer widths, input side first, each ≥ 1; none = no hidden layer */
    public LatherClassifier setHiddenLayers(int... widths) {
        return (LatherClassifier) set(hiddenLayers, ParamSupport.widths(uid(), widths));
    }

    /** @param value relu, tanh, gelu or sigmoid */
    public LatherClassifier setActivation(String value) {
        return (LatherClassifier) set(activation, ParamSupport.oneOf(uid(), "activation", value, ParamSupport.ACTIVATIONS));
    }

    /** @param preset shampoo, eshampoo, soap, per-factor-ema, kl-shampoo, adamw or nvidia-soap */
    public LatherClassifier setOptimizer(String preset) {
        return (LatherClassifier) set(optimizer, ParamSupport.oneOf(uid(), "optimizer", preset,
                io.lather.optimizer.config.Presets.NAMES));
    }

    /**
     * @param entries {@code key=value} optimizer settings ({@code optimizer.} prefix optional); an entry may hold several
     *     separated by commas ({@code "beta2=0.99,epsilon=1e-10"})
     */
    public LatherClassifier setOptimizerOptions(String... entries) {
        return (LatherClassifier) set(optimizerOptions, ParamSupport.options(uid(), entries));
    }

    /** @param options optimizer settings by key ({@code optimizer.} prefix optional) */
    public LatherClassifier setOptimizerOptions(Map<String, String> options) {
        return (LatherClassifier) set(optimizerOptions, ParamSupport.options(uid(), options));
    }

    /** @param value peak learning rate, finite and &gt; 0 */
    public LatherClassifier setLearningRate(double value) {
        return (LatherClassifier) set(learningRate, ParamSupport.positive(uid(), "learningRate", value));
    }

    /** @param value optimizer steps, ≥ 0 (0 = derive from epochs) */
    public LatherClassifier setMaxSteps(int value) {
        return (LatherClassifier) set(maxSteps, ParamSupport.atLeast(uid(), "maxSteps", value, 0));
    }

    /** @param value passes over the data when maxSteps = 0, ≥ 1 */
    public LatherClassifier setEpochs(int value) {
        return (LatherClassifier) set(epochs, ParamSupport.atLeast(uid(), "epochs", value, 1));
    }

    /** @param value data partitions P, ≥ 0 (0 = Spark's default parallelism) */
    public LatherClassifier setPartitions(int value) {
        return (LatherClassifier) set(partitions, ParamSupport.atLeast(uid(), "partitions", value, 0));
    }

    /** @param value rows per partition per step, ≥ 1 */
    public LatherClassifier setBatchPerPartition(int value) {
        return (LatherClassifier) set(batchPerPartition, ParamSupport.atLeast(uid(), "batchPerPartition", value, 1));
    }

    /** @param value any 64-bit seed */
    public LatherClassifier setSeed(long value) {
        return (LatherClassifier) set(seed, value);
    }

    /** @param value base directory (path or URI) of the fit's Delta tables; empty = a temporary directory */
    public LatherClassifier setCheckpointLocation(String value) {
        return (LatherClassifier) set(checkpointLocation, java.util.Objects.requireNonNull(value, "checkpointLocation"));
    }

    /** @param value checkpoint every this many steps, ≥ 0 (0 = only the last step) */
    public LatherClassifier setCheckpointInterval(int value) {
        return (LatherClassifier) set(checkpointInterval, ParamSupport.atLeast(uid(), "checkpointInterval", value, 0));
    }

    /** @param value global or partition */
    public LatherClassifier setStatistics(String value) {
        return (LatherClassifier) set(statistics, ParamSupport.oneOf(uid(), "statistics", value, ParamSupport.STATISTICS));
    }

    // ------------------------------------------------------------------------------------------------ fit

    /** Checks the features (an MLlib vector) and label (numeric) columns with messages that say what to do. */
    @Override
    public StructType transformSchema(StructType schema) {
        SchemaChecks.requireFeatures(uid(), schema, getFeaturesCol());
        SchemaChecks.requireNumericLabel(uid(), schema, getLabelCol());
        return super.transformSchema(schema);
    }

    /** The {@code model.*} settings of this classifier (sizes come from the data). */
    Map<String, String> modelSettings() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("type", getModelType());
        if (getModelType().equals("mlp")) {
            m.put("hidden_sizes", Arrays.stream(getHiddenLayers()).mapToObj(Integer::toString).collect(Collectors.joining(",")));
            m.put("activation", getActivation());
        } else if (isSet(hiddenLayers) || isSet(activation)) {
            throw MlErrors.badParam(uid(), isSet(hiddenLayers) ? "hiddenLayers" : "activation",
                    isSet(hiddenLayers) ? Arrays.toString(getHiddenLayers()) : getActivation(),
                    "modelType = logistic_regression has no hidden layers. Fix: clear it, or use modelType = mlp.");
        }
        return m;
    }

    /** Trains; called by {@code fit} after the schema check, with the label cast to double. */
    @Override
    public LatherClassificationModel train(Dataset<?> dataset) {
        LatherFit.Fitted f = LatherFit.fit(new LatherFit.Request(uid(), Task.CLASSIFICATION, getFeaturesCol(), getLabelCol(),
                modelSettings(), this), dataset);
        return new LatherClassificationModel(uid(), f.state(), f.summary());
    }

    @Override
    public LatherClassifier copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    /** @return a reader of saved classifiers (Spark's default params reader) */
    public static MLReader<LatherClassifier> read() {
        return new DefaultParamsReader<>();
    }

    /**
     * @param path where {@code save} wrote the classifier
     * @return the classifier, with its uid and params
     */
    public static LatherClassifier load(String path) {
        return read().load(path);
    }
}
