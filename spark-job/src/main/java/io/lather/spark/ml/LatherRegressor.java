package io.lather.spark.ml;

import io.lather.models.Task;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.ml.Predictor;
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
 * A Spark ML regressor trained by Lather: an MLP with one linear output and squared-error loss, fitted with a
 * Shampoo-family optimizer through Lather's distributed training loop. {@code fit} writes the training rows to a Lather
 * Delta table, trains with checkpoints and metrics in Delta, and returns a {@link LatherRegressionModel} whose
 * {@code transform} adds a {@code prediction} column.
 *
 * <pre>{@code
 * LatherRegressor lather = new LatherRegressor().setHiddenLayers(16).setActivation("tanh").setOptimizer("adamw")
 *     .setLearningRate(0.01).setMaxSteps(300);
 * PipelineModel model = new Pipeline().setStages(new PipelineStage[] {assembler, lather}).fit(train);
 * double rmse = new RegressionEvaluator().setMetricName("rmse").evaluate(model.transform(test));
 * }</pre>
 *
 * <p>Params: the inherited {@code featuresCol} (an MLlib vector), {@code labelCol} (numeric target),
 * {@code predictionCol}, and the training params of {@link LatherParams} (listed with defaults in
 * {@code docs/SPARK_ML.md}). The loss is the plain squared error, so standardising a target with a large scale (e.g.
 * with {@code StandardScaler} on the features and by hand on the label) makes the default learning rates apply.
 */
public final class LatherRegressor extends Predictor<Vector, LatherRegressor, LatherRegressionModel>
        implements LatherParams, DefaultParamsWritable {
    private static final long serialVersionUID = 1L;

    /** Prefix of random uids. */
    static final String PREFIX = "latherRegressor";

    // No initializer on purpose: uid() assigns it while the superclass constructor runs (see Uids).
    private String uid;

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

    /** A regressor with a random uid and the default params. */
    public LatherRegressor() {
        this(Uids.random(PREFIX));
    }

    /**
     * A regressor with the given uid (Spark's {@code copy} and {@code load} use this constructor).
     *
     * @param uid a non-empty identifier
     */
    public LatherRegressor(String uid) {
        this(Uids.stash(uid));
    }

    private LatherRegressor(Uids.Token token) {
        uid();
        ParamSupport.setDefaults(this);
    }

    @Override
    public String uid() {
        if (uid == null) {
            uid = Uids.take(PREFIX);
        }
        return uid;
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

    /** @param widths hidden layer widths, input side first, each ≥ 1; none = no hidden layer */
    public LatherRegressor setHiddenLayers(int... widths) {
        return (LatherRegressor) set(hiddenLayers, ParamSupport.widths(uid(), widths));
    }

    /** @param value relu, tanh, gelu or sigmoid */
    public LatherRegressor setActivation(String value) {
        return (LatherRegressor) set(activation, ParamSupport.oneOf(uid(), "activation", value, ParamSupport.ACTIVATIONS));
    }

    /** @param preset shampoo, eshampoo, soap, per-factor-ema, kl-shampoo, adamw or nvidia-soap */
    public LatherRegressor setOptimizer(String preset) {
        return (LatherRegressor) set(optimizer, ParamSupport.oneOf(uid(), "optimizer", preset,
                io.lather.optimizer.config.Presets.NAMES));
    }

    /**
     * @param entries {@code key=value} optimizer settings ({@code optimizer.} prefix optional); an entry may hold several
     *     separated by commas ({@code "beta2=0.99,epsilon=1e-10"})
     */
    public LatherRegressor setOptimizerOptions(String... entries) {
        return (LatherRegressor) set(optimizerOptions, ParamSupport.options(uid(), entries));
    }

    /** @param options optimizer settings by key ({@code optimizer.} prefix optional) */
    public LatherRegressor setOptimizerOptions(Map<String, String> options) {
        return (LatherRegressor) set(optimizerOptions, ParamSupport.options(uid(), options));
    }

    /** @param value peak learning rate, finite and &gt; 0 */
    public LatherRegressor setLearningRate(double value) {
        return (LatherRegressor) set(learningRate, ParamSupport.positive(uid(), "learningRate", value));
    }

    /** @param value optimizer steps, ≥ 0 (0 = derive from epochs) */
    public LatherRegressor setMaxSteps(int value) {
        return (LatherRegressor) set(maxSteps, ParamSupport.atLeast(uid(), "maxSteps", value, 0));
    }

    /** @param value passes over the data when maxSteps = 0, ≥ 1 */
    public LatherRegressor setEpochs(int value) {
        return (LatherRegressor) set(epochs, ParamSupport.atLeast(uid(), "epochs", value, 1));
    }

    /** @param value data partitions P, ≥ 0 (0 = Spark's default parallelism) */
    public LatherRegressor setPartitions(int value) {
        return (LatherRegressor) set(partitions, ParamSupport.atLeast(uid(), "partitions", value, 0));
    }

    /** @param value rows per partition per step, ≥ 1 */
    public LatherRegressor setBatchPerPartition(int value) {
        return (LatherRegressor) set(batchPerPartition, ParamSupport.atLeast(uid(), "batchPerPartition", value, 1));
    }

    /** @param value any 64-bit seed */
    public LatherRegressor setSeed(long value) {
        return (LatherRegressor) set(seed, value);
    }

    /** @param value base directory (path or URI) of the fit's Delta tables; empty = a temporary directory */
    public LatherRegressor setCheckpointLocation(String value) {
        return (LatherRegressor) set(checkpointLocation, java.util.Objects.requireNonNull(value, "checkpointLocation"));
    }

    /** @param value checkpoint every this many steps, ≥ 0 (0 = only the last step) */
    public LatherRegressor setCheckpointInterval(int value) {
        return (LatherRegressor) set(checkpointInterval, ParamSupport.atLeast(uid(), "checkpointInterval", value, 0));
    }

    /** @param value global or partition */
    public LatherRegressor setStatistics(String value) {
        return (LatherRegressor) set(statistics, ParamSupport.oneOf(uid(), "statistics", value, ParamSupport.STATISTICS));
    }

    // ------------------------------------------------------------------------------------------------ fit

    /** Checks the features (an MLlib vector) and label (numeric) columns with messages that say what to do. */
    @Override
    public StructType transformSchema(StructType schema) {
        SchemaChecks.requireFeatures(uid(), schema, getFeaturesCol());
        SchemaChecks.requireNumericLabel(uid(), schema, getLabelCol());
        return super.transformSchema(schema);
    }

    /** The {@code model.*} settings of this regressor (the input size comes from the data). */
    Map<String, String> modelSettings() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("type", "mlp");
        m.put("task", "regression");
        m.put("output_dim", "1");
        m.put("hidden_sizes", Arrays.stream(getHiddenLayers()).mapToObj(Integer::toString).collect(Collectors.joining(",")));
        m.put("activation", getActivation());
        return m;
    }

    /** Trains; called by {@code fit} after the schema check, with the label cast to double. */
    @Override
    public LatherRegressionModel train(Dataset<?> dataset) {
        LatherFit.Fitted f = LatherFit.fit(new LatherFit.Request(uid(), Task.REGRESSION, getFeaturesCol(), getLabelCol(),
                modelSettings(), this), dataset);
        return new LatherRegressionModel(uid(), f.state(), f.summary());
    }

    @Override
    public LatherRegressor copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    /** @return a reader of saved regressors (Spark's default params reader) */
    public static MLReader<LatherRegressor> read() {
        return new DefaultParamsReader<>();
    }

    /**
     * @param path where {@code save} wrote the regressor
     * @return the regressor, with its uid and params
     */
    public static LatherRegressor load(String path) {
        return read().load(path);
    }
}
