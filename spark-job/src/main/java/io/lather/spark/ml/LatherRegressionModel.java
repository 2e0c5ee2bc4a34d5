package io.lather.spark.ml;

import io.lather.models.ModelSpec;
import io.lather.models.Precision;
import io.lather.models.Task;
import org.apache.spark.SparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.PredictionModel;
import org.apache.spark.ml.linalg.Vector;
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
 * A regressor fitted by {@link LatherRegressor}. {@code transform} appends {@code predictionCol}: the model's output for
 * each row, computed in batches per partition against parameters broadcast once per model object; the per-row
 * {@code predict} gives the same value up to float rounding of the forward pass. The model computes in the precision it
 * was trained in (float32 by default), on features rounded to float as in training.
 *
 * <p>Save with {@code write().save(path)} (or inside a {@code PipelineModel}); load with {@link #load(String)}.
 * {@link #trainingSummary()} names the run, checkpoint and metrics tables.
 */
public final class LatherRegressionModel extends PredictionModel<Vector, LatherRegressionModel> implements MLWritable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LatherRegressionModel.class);

    // No initializer on purpose: uid() assigns it while the superclass constructor runs (see Uids).
    private String uid;
    private final ModelState state;
    private final LatherTrainingSummary summary;
    private transient LocalPredictor local;
    private transient Broadcast<ModelState> broadcast;
    private transient SparkContext broadcastContext;

    LatherRegressionModel(String uid, ModelState state, LatherTrainingSummary summary) {
        this(Uids.stash(uid), state, summary);
    }

    private LatherRegressionModel(Uids.Token token, ModelState state, LatherTrainingSummary summary) {
        uid();
        if (state.spec().task() != Task.REGRESSION || state.spec().outputDim() != 1) {
            throw new LatherMlException("a LatherRegressionModel needs a regression model with one output; got "
                    + state.spec().describe());
        }
        this.state = state;
        this.summary = summary;
    }

    @Override
    public String uid() {
        if (uid == null) {
            uid = Uids.take(LatherRegressor.PREFIX);
        }
        return uid;
    }

    @Override
    public int numFeatures() {
        return state.numFeatures();
    }

    /** @return the model description (layer widths, activation, task) */
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

    @Override
    public StructType transformSchema(StructType schema) {
        SchemaChecks.requireFeatures(uid(), schema, getFeaturesCol());
        return super.transformSchema(schema);
    }

    /** Adds the prediction column, computed in batches per partition. */
    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType out = transformSchema(dataset.schema(), true);
        Dataset<Row> in = dataset.toDF();
        if (getPredictionCol().isEmpty()) {
            LOG.warn("{}: transform() was called as NOOP since no output columns were set.", uid());
            return in;
        }
        BatchPrediction fn = new BatchPrediction(broadcast(in), uid(), getFeaturesCol(), in.schema().fieldIndex(getFeaturesCol()),
                in.schema().size(), out.size(), -1, -1, out.fieldIndex(getPredictionCol()), null);
        return in.mapPartitions(fn, Encoders.row(out));
    }

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

    /** The prediction for one row; Spark's per-row API (the batched {@link #transform} does not call it). */
    @Override
    public double predict(Vector features) {
        return local().predict(features)[0];
    }

    @Override
    public LatherRegressionModel copy(ParamMap extra) {
        LatherRegressionModel copy = copyValues(new LatherRegressionModel(uid(), state, summary), extra);
        return copy.setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new ModelIo.Writer(this, state, summary);
    }

    /** @return a reader of saved regression models (what {@code PipelineModel.load} calls) */
    public static MLReader<LatherRegressionModel> read() {
        return new ModelIo.Reader<>(LatherRegressionModel.class, LatherRegressionModel::new);
    }

    /**
     * @param path where {@code write().save} wrote the model
     * @return the model, with its uid, params, parameters and training summary
     * @throws LatherMlException when the saved files do not validate
     */
    public static LatherRegressionModel load(String path) {
        return read().load(path);
    }

    @Override
    public String toString() {
        return "LatherRegressionModel: uid=" + uid() + ", " + state.spec().describe() + ", " + state.precision() + ", run "
                + summary.runId() + " (" + summary.steps() + " steps), numFeatures=" + numFeatures();
    }
}
