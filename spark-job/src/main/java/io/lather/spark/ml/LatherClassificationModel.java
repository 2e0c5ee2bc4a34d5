package io.lather.spark.ml;

import io.lather.models.ModelSpec;
import io.lather.models.Precision;
import io.lather.models.Task;
import java.util.Arrays;
import org.apache.spark.SparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.reflect.ClassTag$;

/**
 * A classifier fitted by {@link LatherClassifier}. {@code transform} appends (each when its column param is non-empty):
 * <ul>
 *   <li>{@code rawPredictionCol}: ln p_k per class (the logits up to a per-row constant; a probability that underflowed
 *       to 0 gives ≈ −744.4 instead of −∞);</li>
 *   <li>{@code probabilityCol}: p_k = softmax of the raw prediction, summing to 1 within double rounding;</li>
 *   <li>{@code predictionCol}: the class index with the largest raw prediction, or with {@code thresholds} set, Spark's
 *       rule: the arg-max of p_k / t_k.</li>
 * </ul>
 * The transform runs the model on batches of rows per partition against parameters broadcast once per model object;
 * the per-row methods Spark's API also offers ({@code predictRaw}, {@code predictProbability}, {@code predict}) give
 * the same values up to float rounding of the forward pass. The model computes in the precision it was trained in
 * (float32 by default), on features rounded to float as in training.
 *
 * <p>Save with {@code write().save(path)} (or inside a {@code PipelineModel}); load with {@link #load(String)}. The
 * format is in {@code docs/SPARK_ML.md}; {@link #trainingSummary()} names the run, checkpoint and metrics tables.
 */
public final class LatherClassificationModel extends ProbabilisticClassificationModel<Vector, LatherClassificationModel>
        implements MLWritable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LatherClassificationModel.class);

    // No initializer on purpose: uid() assigns it while the superclass constructor runs (see Uids).
    private String uid;
    private final ModelState state;
    private final LatherTrainingSummary summary;
    private transient LocalPredictor local;
    private transient Broadcast<ModelState> broadcast;
    private transient SparkContext broadcastContext;

    LatherClassificationModel(String uid, ModelState state, LatherTrainingSummary summary) {
        this(Uids.stash(uid), state, summary);
    }

    private LatherClassificationModel(Uids.Token token, ModelState state, LatherTrainingSummary summary) {
        uid();
        if (state.spec().task() != Task.CLASSIFICATION) {
            throw new LatherMlException("a LatherClassificationModel needs a classification model; got " + state.spec().describe());
        }
        this.state = state;
        this.summary = summary;
    }

    @Override
    public String uid() {
        if (uid == null) {
            uid = Uids.take(LatherClassifier.PREFIX);
        }
        return uid;
    }

    @Override
    public int numClasses() {
        return state.numClasses();
    }

    @Override
    public int numFeatures() {
        return state.numFeatures();
    }

    /** @return the model description (type, layer widths, activation, task) */
    public ModelSpec modelSpec() {
        return state.spec();
    }

    /** @return the precision the model was trained in and computes in */
    public Precision precision() {
        return state.precision();
    }

    /** @return SHA-256 of the parameters (the final checkpoint's parameter digest) */
    public String parameterDigest() {
        return state.digest();
    }

    /** @return the run that produced this model: run id, steps, final loss, digests, table locations, settings */
    public LatherTrainingSummary trainingSummary() {
        return summary;
    }

    // ------------------------------------------------------------------------------------------------ transform

    @Override
    public StructType transformSchema(StructType schema) {
        SchemaChecks.requireFeatures(uid(), schema, getFeaturesCol());
        return super.transformSchema(schema);
    }

    /** Adds the prediction columns, computed in batches per partition (see the class comment). */
    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType out = transformSchema(dataset.schema(), true);
        double[] thresholds = isDefined(thresholds()) ? getThresholds() : null;
        if (thresholds != null && thresholds.length != numClasses()) {
            throw MlErrors.thresholds(uid(), thresholds.length, numClasses());
        }
        int raw = outputIndex(out, getRawPredictionCol());
        int probability = outputIndex(out, getProbabilityCol());
        int prediction = outputIndex(out, getPredictionCol());
        Dataset<Row> in = dataset.toDF();
        if (raw < 0 && probability < 0 && prediction < 0) {
            LOG.warn("{}: transform() was called as NOOP since no output columns were set.", uid());
            return in;
        }
        BatchPrediction fn = new BatchPrediction(broadcast(in), uid(), getFeaturesCol(), in.schema().fieldIndex(getFeaturesCol()),
                in.schema().size(), out.size(), raw, probability, prediction, thresholds);
        return in.mapPartitions(fn, Encoders.row(out));
    }

    static int outputIndex(StructType schema, String column) {
        return column.isEmpty() ? -1 : schema.fieldIndex(column);
    }

    /** The parameters broadcast once per model object (again only if the session's context changed). */
    private synchronized Broadcast<ModelState> broadcast(Dataset<Row> in) {
        SparkContext sc = in.sparkSession().sparkContext();
        if (broadcast == null || broadcastContext != sc) {
            broadcast = sc.broadcast(state, ClassTag$.MODULE$.apply(ModelState.class));
            broadcastContext = sc;
        }
        return broadcast;
    }

    private synchronized LocalPredictor local() {
        if (local == null) {
            local = new LocalPredictor(state, uid(), getFeaturesCol());
        }
        return local;
    }

    /** ln p per class for one row; Spark's per-row API (the batched {@link #transform} does not call it). */
    @Override
    public Vector predictRaw(Vector features) {
        double[] p = local().predict(features);
        return Vectors.dense(Predictions.raw(p, 0, numClasses()));
    }

    /** softmax of a raw prediction, in place. */
    @Override
    public Vector raw2probabilityInPlace(Vector rawPrediction) {
        if (rawPrediction instanceof DenseVector d) {
            Predictions.softmaxInPlace(d.values());
            return d;
        }
        return Vectors.dense(Predictions.softmaxInPlace(rawPrediction.toArray()));
    }

    /**
     * Spark's own (used by its summaries). Overridden only because javac sees the two inherited Scala signatures, whose
     * tuple types differ in a covariant type parameter Java cannot express, as a clash.
     */
    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public scala.Tuple3 findSummaryModel() {
        return super.findSummaryModel();
    }

    // ------------------------------------------------------------------------------------------------ copy, save, load

    @Override
    public LatherClassificationModel copy(ParamMap extra) {
        LatherClassificationModel copy = copyValues(new LatherClassificationModel(uid(), state, summary), extra);
        return copy.setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new ModelIo.Writer(this, state, summary);
    }

    /** @return a reader of saved classification models (what {@code PipelineModel.load} calls) */
    public static MLReader<LatherClassificationModel> read() {
        return new ModelIo.Reader<>(LatherClassificationModel.class, LatherClassificationModel::new);
    }

    /**
     * @param path where {@code write().save} wrote the model
     * @return the model, with its uid, params, parameters and training summary
     * @throws LatherMlException when the saved files do not validate
     */
    public static LatherClassificationModel load(String path) {
        return read().load(path);
    }

    @Override
    public String toString() {
        return "LatherClassificationModel: uid=" + uid() + ", " + state.spec().describe() + ", " + state.precision()
                + ", run " + summary.runId() + " (" + summary.steps() + " steps), numClasses=" + numClasses()
                + ", numFeatures=" + numFeatures() + (isDefined(thresholds()) ? ", thresholds=" + Arrays.toString(getThresholds()) : "");
    }
}
