package io.lather.models;

import io.lather.models.internal.BuiltInGraphs;
import io.lather.models.internal.CustomGraphs;
import io.lather.models.internal.Initializer;
import io.lather.models.internal.ModelErrors;
import io.lather.models.internal.ModelGraph;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A model built from a {@link ModelSpec}: its SameDiff graph, its ordered parameters, their deterministic
 * initialisation, and the computations the training loop needs — {@link #lossAndGradient loss and gradient sums},
 * {@link #evaluate evaluation sums} and {@link #predict predictions}.
 *
 * <h2>Parameters are passed in, not held</h2>
 * A model holds no trained state: every call takes the parameters as a map from {@link ParameterSpec#name()} to an
 * array of that shape, which must hold exactly the model's parameters. The same graph therefore serves any step's
 * broadcast parameters, and the optimizer owns the only copy of the state.
 *
 * <h2>Data layout</h2>
 * Features are a dense row-major matrix {@code [rows, inputDim]}, one example per row. Labels depend on the
 * {@link Task}: for classification one class index 0..K−1 per row, stored as a float or double ({@code [rows]} or
 * {@code [rows, 1]}); the model checks each is an integer in range and converts the column to one-hot
 * {@code [rows, K]} in Java just before it enters the graph (so the graph never sees an out-of-range index). For
 * regression {@code [rows, outputDim]} targets; for reconstruction none (the target is the input; {@code labels}
 * is ignored and may be null). Each entry point has overloads that take primitive arrays plus a row count, so Spark
 * code can keep ND4J objects (which live off-heap) out of serialized closures.
 *
 * <h2>Precision</h2>
 * The graph computes in the model's {@link Precision} (float32 unless chosen otherwise). Inputs of another floating
 * type are converted with a copy; results are in the model's precision.
 *
 * <h2>Threads and cost</h2>
 * A model is used by <b>one thread at a time</b>: SameDiff graphs keep per-execution state and the parameters are
 * bound into the graph for each call (the graph keeps a reference to the last parameters passed until the next call).
 * A second thread entering while a call runs gets a {@link ModelException}
 * rather than a silently wrong result. Building is cheap enough to do once per Spark task (tens of milliseconds
 * for the small models here); the first {@code lossAndGradient} call additionally builds the backward graph (a few
 * hundred milliseconds, once per model; SameDiff prints one "Added differentiated op" line per op to stdout while
 * it does so — a quirk of 1.0.0-M2.1 that cannot be switched off). Code that runs once per Spark task should take
 * its model from {@link ModelCache#forCurrentThread}, which keeps one per executor thread across steps.
 */
public final class Model {
    private final ModelSpec spec;
    private final Precision precision;
    private final DataType dataType;
    private final ModelGraph graph;
    private final List<ParameterSpec> parameters;
    private final List<String> parameterNames;
    private final Map<String, ParameterSpec> parametersByName;
    private final AtomicBoolean inUse = new AtomicBoolean();

    private Model(ModelSpec spec, Precision precision, ModelGraph graph) {
        this.spec = spec;
        this.precision = precision;
        this.dataType = precision.dataType();
        this.graph = graph;
        this.parameters = graph.parameters();
        this.parameterNames = parameters.stream().map(ParameterSpec::name).toList();
        Map<String, ParameterSpec> byName = new HashMap<>();
        parameters.forEach(p -> byName.put(p.name(), p));
        this.parametersByName = Collections.unmodifiableMap(byName);
    }

    /**
     * Builds a float32 model; see {@link #build(ModelSpec, Precision)}.
     *
     * @param spec the model description
     * @return the model
     * @throws ModelException for a custom spec whose factory cannot be loaded or whose graph breaks the contract
     */
    public static Model build(ModelSpec spec) {
        return build(spec, Precision.FLOAT32);
    }

    /**
     * Builds the model's graph in the given precision. For a {@link CustomSpec} this loads and runs the user's
     * {@link CustomModelFactory} and checks the graph it returns.
     *
     * @param spec      the model description
     * @param precision the floating-point type of the computation
     * @return the model
     * @throws ModelException for a custom spec whose factory cannot be loaded or whose graph breaks the contract
     */
    public static Model build(ModelSpec spec, Precision precision) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(precision, "precision");
        io.lather.models.internal.SameDiffOutputFilter.install(); // ND4J prints a line per differentiated op
        DataType dt = precision.dataType();
        ModelGraph g;
        if (spec instanceof MlpSpec s) {
            g = BuiltInGraphs.mlp(s, dt);
        } else if (spec instanceof CnnSpec s) {
            g = BuiltInGraphs.cnn(s, dt);
        } else if (spec instanceof LogisticRegressionSpec s) {
            g = BuiltInGraphs.logisticRegression(s, dt);
        } else if (spec instanceof AutoencoderSpec s) {
            g = BuiltInGraphs.autoencoder(s, dt);
        } else if (spec instanceof CustomSpec s) {
            g = CustomGraphs.build(s, CustomGraphs.loadFactory(s), dt);
        } else {
            throw new IllegalStateException("unhandled spec type " + spec.getClass());
        }
        return new Model(spec, precision, g);
    }

    /**
     * The description this model was built from.
     *
     * @return the spec
     */
    public ModelSpec spec() {
        return spec;
    }

    /**
     * The floating-point type the graph computes in.
     *
     * @return the precision
     */
    public Precision precision() {
        return precision;
    }

    /**
     * The trainable tensors in their fixed order (documented on each spec type). Gradient maps and
     * {@link #initialParameters(long)} iterate in this order.
     *
     * @return an unmodifiable list
     */
    public List<ParameterSpec> parameters() {
        return parameters;
    }

    /**
     * The total number of trainable scalars.
     *
     * @return Σ over parameters of their sizes
     */
    public long parameterCount() {
        return parameters.stream().mapToLong(ParameterSpec::size).sum();
    }

    /**
     * The initialisation rule of each parameter, in parameter order: He-uniform for layers followed by relu,
     * Glorot-uniform for the others, zeros for biases; for custom models what the factory says.
     *
     * @return an unmodifiable list, one rule per parameter
     */
    public List<ParameterInit> initializations() {
        return graph.initializations();
    }

    /**
     * Deterministic initial parameters. Each parameter p draws its values from its own SplitMix64 stream seeded
     * from (seed, p's name): value_i = (2·u_i − 1)·a in row-major order, u_i the stream's successive uniform doubles
     * in [0, 1) (top 53 bits × 2⁻⁵³) and a the half-width of its {@link ParameterInit} rule; biases are zero. All
     * arithmetic is Java double (IEEE 754, identical on every machine); a float32 model rounds each value to the
     * nearest float. So the same seed gives bit-identical parameters on any machine and any thread count, and
     * changing one layer does not change the others' values.
     *
     * @param seed any 64-bit value
     * @return a new map from name to array (model precision), in parameter order
     */
    public Map<String, INDArray> initialParameters(long seed) {
        List<ParameterInit> inits = graph.initializations();
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (int i = 0; i < parameters.size(); i++) {
            ParameterSpec p = parameters.get(i);
            double[] values = Initializer.values(seed, p.name(), p.size(), inits.get(i));
            if (dataType == DataType.FLOAT) {
                float[] f = new float[values.length];
                for (int j = 0; j < values.length; j++) {
                    f[j] = (float) values[j];
                }
                out.put(p.name(), Nd4j.create(f, p.shape(), DataType.FLOAT));
            } else {
                out.put(p.name(), Nd4j.create(values, p.shape(), DataType.DOUBLE));
            }
        }
        return out;
    }

    /**
     * Wraps row-major float arrays (e.g. a Spark broadcast) as parameter arrays of the model's precision.
     *
     * @param values exactly the model's parameter names, each with {@link ParameterSpec#size()} values in C order
     * @return a new map in parameter order
     * @throws ModelException if a name is missing or unknown, or an array has the wrong length
     */
    public Map<String, INDArray> parametersFromFloats(Map<String, float[]> values) {
        checkNames(values);
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (ParameterSpec p : parameters) {
            float[] v = values.get(p.name());
            if (v.length != p.size()) {
                throw ModelErrors.parameterArrayLength(spec, p.name(), p.shape(), v.length);
            }
            out.put(p.name(), toModelType(Nd4j.create(v, p.shape(), DataType.FLOAT)));
        }
        return out;
    }

    /**
     * Wraps row-major double arrays (e.g. a Spark broadcast) as parameter arrays of the model's precision.
     *
     * @param values exactly the model's parameter names, each with {@link ParameterSpec#size()} values in C order
     * @return a new map in parameter order
     * @throws ModelException if a name is missing or unknown, or an array has the wrong length
     */
    public Map<String, INDArray> parametersFromDoubles(Map<String, double[]> values) {
        checkNames(values);
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (ParameterSpec p : parameters) {
            double[] v = values.get(p.name());
            if (v.length != p.size()) {
                throw ModelErrors.parameterArrayLength(spec, p.name(), p.shape(), v.length);
            }
            out.put(p.name(), toModelType(Nd4j.create(v, p.shape(), DataType.DOUBLE)));
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------ loss and gradient

    /**
     * The sum over the batch rows of the per-example loss and of its gradient with respect to every parameter.
     * Loss per task: see {@link Task}. An empty batch gives zero sums.
     *
     * @param params   exactly the model's parameters (names and shapes of {@link #parameters()}); not modified
     * @param features {@code [rows, inputDim]}
     * @param labels   class indices {@code [rows]} or {@code [rows, 1]} (classification), targets
     *                 {@code [rows, outputDim]} (regression), ignored (reconstruction, may be null)
     * @return loss sum, gradient sums in parameter order, row count and (classification) correct count
     * @throws ModelException if an input does not fit the model; the message names the parameter or column, the
     *                        expected and actual values and the fix
     */
    public LossAndGradient lossAndGradient(Map<String, INDArray> params, INDArray features, INDArray labels) {
        acquire();
        try {
            List<INDArray> bound = checkedParameters(params);
            Batch b = batch(features, labels);
            bind(bound);
            if (b.rows == 0) {
                Map<String, INDArray> zeros = new LinkedHashMap<>();
                parameters.forEach(p -> zeros.put(p.name(), Nd4j.zeros(dataType, p.shape())));
                return new LossAndGradient(0.0, zeros, 0, 0);
            }
            OutAndGrad og;
            try {
                og = graph.sameDiff().calculateGradientsAndOutputs(b.placeholders(),
                        List.of(graph.lossVariable(), graph.predictionVariable()), parameterNames);
            } catch (RuntimeException e) {
                throw wrapGraphFailure("the loss and its gradient", e);
            }
            double loss = lossValue(og.getOutputs().get(graph.lossVariable()));
            long correct = correctCount(og.getOutputs().get(graph.predictionVariable()), b);
            Map<String, INDArray> grads = new LinkedHashMap<>();
            for (ParameterSpec p : parameters) {
                INDArray g = og.getGradients().get(p.name());
                // SameDiff returns no gradient for a variable the loss does not depend on (possible in a custom
                // graph); its gradient is zero.
                grads.put(p.name(), g == null ? Nd4j.zeros(dataType, p.shape()) : g);
            }
            return new LossAndGradient(loss, grads, b.rows, correct);
        } finally {
            release();
        }
    }

    /**
     * {@link #lossAndGradient(Map, INDArray, INDArray)} on row-major float arrays.
     *
     * @param params   exactly the model's parameters
     * @param features {@code rows × inputDim} values, row-major
     * @param labels   {@code rows} class indices (classification), {@code rows × outputDim} targets (regression),
     *                 ignored and may be null (reconstruction)
     * @param rows     number of examples, ≥ 0
     * @return the sums
     * @throws ModelException if an input does not fit the model
     */
    public LossAndGradient lossAndGradient(Map<String, INDArray> params, float[] features, float[] labels, int rows) {
        return lossAndGradient(params, featuresFrom(features, features == null ? 0 : features.length, rows,
                () -> Nd4j.create(features, new long[]{rows, spec.inputDim()}, DataType.FLOAT)), labelsFrom(labels, rows));
    }

    /**
     * {@link #lossAndGradient(Map, INDArray, INDArray)} on row-major double arrays.
     *
     * @param params   exactly the model's parameters
     * @param features {@code rows × inputDim} values, row-major
     * @param labels   {@code rows} class indices (classification), {@code rows × outputDim} targets (regression),
     *                 ignored and may be null (reconstruction)
     * @param rows     number of examples, ≥ 0
     * @return the sums
     * @throws ModelException if an input does not fit the model
     */
    public LossAndGradient lossAndGradient(Map<String, INDArray> params, double[] features, double[] labels, int rows) {
        return lossAndGradient(params, featuresFrom(features, features == null ? 0 : features.length, rows,
                () -> Nd4j.create(features, new long[]{rows, spec.inputDim()}, DataType.DOUBLE)), labelsFrom(labels, rows));
    }

    // ------------------------------------------------------------------------------------------ evaluation

    /**
     * The loss sum and (classification) the number of correct arg-max predictions over a batch, without gradients
     * — what held-out evaluation adds up across partitions.
     *
     * @param params   exactly the model's parameters
     * @param features {@code [rows, inputDim]}
     * @param labels   as for {@link #lossAndGradient(Map, INDArray, INDArray)}
     * @return the sums; {@link EvaluationSums#EMPTY} for an empty batch
     * @throws ModelException if an input does not fit the model
     */
    public EvaluationSums evaluate(Map<String, INDArray> params, INDArray features, INDArray labels) {
        acquire();
        try {
            List<INDArray> bound = checkedParameters(params);
            Batch b = batch(features, labels);
            bind(bound);
            if (b.rows == 0) {
                return EvaluationSums.EMPTY;
            }
            Map<String, INDArray> out;
            try {
                out = graph.sameDiff().output(b.placeholders(), graph.lossVariable(), graph.predictionVariable());
            } catch (RuntimeException e) {
                throw wrapGraphFailure("the loss", e);
            }
            return new EvaluationSums(lossValue(out.get(graph.lossVariable())),
                    correctCount(out.get(graph.predictionVariable()), b), b.rows);
        } finally {
            release();
        }
    }

    /**
     * {@link #evaluate(Map, INDArray, INDArray)} on row-major float arrays.
     *
     * @param params   exactly the model's parameters
     * @param features {@code rows × inputDim} values, row-major
     * @param labels   as for {@link #lossAndGradient(Map, float[], float[], int)}
     * @param rows     number of examples, ≥ 0
     * @return the sums
     * @throws ModelException if an input does not fit the model
     */
    public EvaluationSums evaluate(Map<String, INDArray> params, float[] features, float[] labels, int rows) {
        return evaluate(params, featuresFrom(features, features == null ? 0 : features.length, rows,
                () -> Nd4j.create(features, new long[]{rows, spec.inputDim()}, DataType.FLOAT)), labelsFrom(labels, rows));
    }

    /**
     * {@link #evaluate(Map, INDArray, INDArray)} on row-major double arrays.
     *
     * @param params   exactly the model's parameters
     * @param features {@code rows × inputDim} values, row-major
     * @param labels   as for {@link #lossAndGradient(Map, double[], double[], int)}
     * @param rows     number of examples, ≥ 0
     * @return the sums
     * @throws ModelException if an input does not fit the model
     */
    public EvaluationSums evaluate(Map<String, INDArray> params, double[] features, double[] labels, int rows) {
        return evaluate(params, featuresFrom(features, features == null ? 0 : features.length, rows,
                () -> Nd4j.create(features, new long[]{rows, spec.inputDim()}, DataType.DOUBLE)), labelsFrom(labels, rows));
    }

    // ------------------------------------------------------------------------------------------ prediction

    /**
     * The model's prediction for each row: class probabilities {@code [rows, K]} (each row sums to 1) for
     * classification, outputs {@code [rows, outputDim]} for regression, the reconstruction {@code [rows, inputDim]}
     * for an autoencoder; for a custom model its prediction variable.
     *
     * @param params   exactly the model's parameters
     * @param features {@code [rows, inputDim]}
     * @return a new array {@code [rows, outputDim]} in the model's precision
     * @throws ModelException if an input does not fit the model
     */
    public INDArray predict(Map<String, INDArray> params, INDArray features) {
        acquire();
        try {
            List<INDArray> bound = checkedParameters(params);
            INDArray x = checkedFeatures(features);
            bind(bound);
            long rows = x.size(0);
            if (rows == 0) {
                return Nd4j.create(dataType, 0, spec.outputDim());
            }
            INDArray out;
            try {
                out = graph.sameDiff().output(Map.of(ModelGraph.FEATURES, x), graph.predictionVariable())
                        .get(graph.predictionVariable());
            } catch (RuntimeException e) {
                throw wrapGraphFailure("the prediction", e);
            }
            checkPredictionShape(out, rows);
            return out;
        } finally {
            release();
        }
    }

    /**
     * {@link #predict(Map, INDArray)} on a row-major float array.
     *
     * @param params   exactly the model's parameters
     * @param features {@code rows × inputDim} values, row-major
     * @param rows     number of examples, ≥ 0
     * @return {@code rows × outputDim} values, row-major (rounded to float if the model computes in float64)
     * @throws ModelException if an input does not fit the model
     */
    public float[] predict(Map<String, INDArray> params, float[] features, int rows) {
        INDArray out = predict(params, featuresFrom(features, features == null ? 0 : features.length, rows,
                () -> Nd4j.create(features, new long[]{rows, spec.inputDim()}, DataType.FLOAT)));
        return rows == 0 ? new float[0] : out.dup('c').data().asFloat();
    }

    /**
     * {@link #predict(Map, INDArray)} on a row-major double array.
     *
     * @param params   exactly the model's parameters
     * @param features {@code rows × inputDim} values, row-major
     * @param rows     number of examples, ≥ 0
     * @return {@code rows × outputDim} values, row-major
     * @throws ModelException if an input does not fit the model
     */
    public double[] predict(Map<String, INDArray> params, double[] features, int rows) {
        INDArray out = predict(params, featuresFrom(features, features == null ? 0 : features.length, rows,
                () -> Nd4j.create(features, new long[]{rows, spec.inputDim()}, DataType.DOUBLE)));
        return rows == 0 ? new double[0] : out.dup('c').data().asDouble();
    }

    /** For example {@code Model[mlp(784-256-128-10, relu, classification), FLOAT32, 235146 parameters]}. */
    @Override
    public String toString() {
        return "Model[" + spec.describe() + ", " + precision + ", " + parameterCount() + " parameters]";
    }

    // ------------------------------------------------------------------------------------------ internals

    /** Features ready for the graph, labels as fed (one-hot or targets, or null) and class indices. */
    private record Batch(INDArray features, INDArray fedLabels, int[] classes, long rows) {
        Map<String, INDArray> placeholders() {
            return fedLabels == null ? Map.of(ModelGraph.FEATURES, features)
                    : Map.of(ModelGraph.FEATURES, features, ModelGraph.LABELS, fedLabels);
        }
    }

    void acquire() {
        if (!inUse.compareAndSet(false, true)) {
            throw ModelErrors.concurrentUse(spec);
        }
    }

    void release() {
        inUse.set(false);
    }

    private interface ArrayMaker {
        INDArray make();
    }

    private INDArray featuresFrom(Object array, int length, int rows, ArrayMaker maker) {
        Objects.requireNonNull(array, "features");
        if (rows < 0) {
            throw ModelErrors.negativeRows(spec, rows);
        }
        if ((long) length != (long) rows * spec.inputDim()) {
            throw ModelErrors.featureArrayLength(spec, length, rows);
        }
        return rows == 0 ? Nd4j.create(dataType, 0, spec.inputDim()) : maker.make();
    }

    private INDArray labelsFrom(Object labels, int rows) {
        if (spec.task() == Task.RECONSTRUCTION) {
            return null;
        }
        if (labels == null) {
            throw ModelErrors.labelsMissing(spec);
        }
        if (rows < 0) {
            throw ModelErrors.negativeRows(spec, rows);
        }
        int width = spec.task() == Task.CLASSIFICATION ? 1 : spec.outputDim();
        int length = labels instanceof float[] f ? f.length : ((double[]) labels).length;
        if ((long) length != (long) rows * width) {
            throw ModelErrors.labelArrayLength(spec, length, rows, width);
        }
        if (rows == 0) {
            return Nd4j.create(dataType, 0, width);
        }
        long[] shape = {rows, width};
        return labels instanceof float[] f ? Nd4j.create(f, shape, DataType.FLOAT)
                : Nd4j.create((double[]) labels, shape, DataType.DOUBLE);
    }

    private INDArray toModelType(INDArray a) {
        return a.dataType() == dataType ? a : a.castTo(dataType);
    }

    private void checkNames(Map<String, ?> values) {
        Objects.requireNonNull(values, "params");
        List<String> missing = new ArrayList<>();
        for (String n : parameterNames) {
            if (values.get(n) == null) {
                missing.add(n);
            }
        }
        if (!missing.isEmpty()) {
            throw ModelErrors.missingParameters(spec, missing, parameterNames);
        }
        TreeSet<String> unexpected = new TreeSet<>(values.keySet());
        unexpected.removeAll(parametersByName.keySet());
        if (!unexpected.isEmpty()) {
            throw ModelErrors.unexpectedParameters(spec, List.copyOf(unexpected), parameterNames);
        }
    }

    private List<INDArray> checkedParameters(Map<String, INDArray> params) {
        checkNames(params);
        List<INDArray> out = new ArrayList<>(parameters.size());
        for (ParameterSpec p : parameters) {
            INDArray a = params.get(p.name());
            if (!a.dataType().isFPType()) {
                throw ModelErrors.parameterNotFloating(spec, p.name(), a.dataType());
            }
            if (!Arrays.equals(a.shape(), p.shape())) {
                throw ModelErrors.parameterShape(spec, p.name(), p.shape(), a.shape());
            }
            out.add(toModelType(a));
        }
        return out;
    }

    private void bind(List<INDArray> arrays) {
        SameDiff sd = graph.sameDiff();
        for (int i = 0; i < arrays.size(); i++) {
            sd.getVariable(parameterNames.get(i)).setArray(arrays.get(i));
        }
    }

    private INDArray checkedFeatures(INDArray features) {
        Objects.requireNonNull(features, "features");
        if (features.rank() != 2) {
            throw ModelErrors.featuresNotMatrix(spec, features.shape());
        }
        if (features.size(1) != spec.inputDim()) {
            throw ModelErrors.featuresWidth(spec, features.size(1));
        }
        return toModelType(features);
    }

    private Batch batch(INDArray features, INDArray labels) {
        INDArray x = checkedFeatures(features);
        long rows = x.size(0);
        switch (spec.task()) {
            case RECONSTRUCTION:
                return new Batch(x, null, null, rows);
            case REGRESSION: {
                if (labels == null) {
                    throw ModelErrors.labelsMissing(spec);
                }
                long width = spec.outputDim();
                boolean ok = (labels.rank() == 2 && labels.size(0) == rows && labels.size(1) == width)
                        || (width == 1 && labels.rank() == 1 && labels.size(0) == rows);
                if (!ok) {
                    throw ModelErrors.labelsShape(spec, labels.shape(), rows, width);
                }
                INDArray y = toModelType(labels).reshape(rows, width);
                return new Batch(x, graph.feedsLabels() ? y : null, null, rows);
            }
            case CLASSIFICATION: {
                if (labels == null) {
                    throw ModelErrors.labelsMissing(spec);
                }
                boolean ok = (labels.rank() == 1 && labels.size(0) == rows)
                        || (labels.rank() == 2 && labels.size(0) == rows && labels.size(1) == 1);
                if (!ok) {
                    throw ModelErrors.labelsShape(spec, labels.shape(), rows, 1);
                }
                double[] values = rows == 0 ? new double[0] : labels.castTo(DataType.DOUBLE).dup('c').data().asDouble();
                int k = spec.outputDim();
                int[] classes = new int[values.length];
                double[] oneHot = new double[Math.multiplyExact(values.length, k)];
                for (int r = 0; r < values.length; r++) {
                    double v = values[r];
                    // NaN fails every comparison, so it is rejected here too.
                    if (!(v >= 0 && v < k && v == Math.rint(v))) {
                        throw ModelErrors.labelOutOfRange(spec, r, v);
                    }
                    classes[r] = (int) v;
                    oneHot[r * k + classes[r]] = 1.0;
                }
                INDArray fed = null;
                if (graph.feedsLabels() && rows > 0) {
                    fed = Nd4j.create(oneHot, new long[]{rows, k}, DataType.DOUBLE);
                    fed = toModelType(fed);
                }
                return new Batch(x, fed, classes, rows);
            }
            default:
                throw new IllegalStateException("unhandled task " + spec.task());
        }
    }

    private long correctCount(INDArray prediction, Batch b) {
        if (spec.task() != Task.CLASSIFICATION) {
            return 0;
        }
        checkPredictionShape(prediction, b.rows);
        // ND4J's argMax returns the first maximal index, so ties go to the lowest class.
        long[] predicted = prediction.argMax(1).toLongVector();
        long correct = 0;
        for (int r = 0; r < predicted.length; r++) {
            if (predicted[r] == b.classes[r]) {
                correct++;
            }
        }
        return correct;
    }

    private double lossValue(INDArray loss) {
        if (loss.length() != 1) {
            // Built-in graphs always reduce to a scalar; only a custom graph can get here.
            throw ModelErrors.customContract(spec, "the loss variable '" + graph.lossVariable() + "' has shape "
                            + Arrays.toString(loss.shape()) + ", expected a scalar",
                    "reduce the per-example losses with sum() to one scalar");
        }
        return loss.getDouble(0);
    }

    private void checkPredictionShape(INDArray prediction, long rows) {
        long[] expected = {rows, spec.outputDim()};
        if (!Arrays.equals(prediction.shape(), expected)) {
            throw ModelErrors.customContract(spec, "the prediction variable '" + graph.predictionVariable()
                            + "' has shape " + Arrays.toString(prediction.shape()) + ", expected " + Arrays.toString(expected),
                    "make the prediction one row of output_dim = " + spec.outputDim() + " values per example");
        }
    }

    private RuntimeException wrapGraphFailure(String what, RuntimeException e) {
        if (spec instanceof CustomSpec) {
            return ModelErrors.customGraphFailed(spec, what, e);
        }
        return e;
    }
}
