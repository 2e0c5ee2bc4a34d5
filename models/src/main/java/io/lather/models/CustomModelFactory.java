package io.lather.models;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * Builds the SameDiff graph of a {@code custom} model. Named by class in a {@link CustomSpec}; {@link Model#build}
 * instantiates it on every JVM that builds the model (the driver and each Spark task).
 *
 * <h2>The class</h2>
 * Public, concrete, with a public no-argument constructor, on the classpath of the driver and of the executors
 * (e.g. {@code spark-submit --jars}). It is loaded with the thread's context class loader.
 *
 * <h2>The graph contract</h2>
 * {@link #build(CustomSpec, DataType)} returns a {@link CustomGraph} whose {@link org.nd4j.autodiff.samediff.SameDiff}
 * has:
 * <ul>
 *   <li>a placeholder named {@value CustomGraph#FEATURES} of the requested data type and shape
 *       {@code [-1, spec.inputDim()]} — one example per row;</li>
 *   <li>for {@link Task#CLASSIFICATION} and {@link Task#REGRESSION}, usually a placeholder named
 *       {@value CustomGraph#LABELS} of the requested data type: for classification {@link Model} feeds the labels
 *       one-hot encoded, shape {@code [rows, outputDim]} (it converts the class-index column and checks the range);
 *       for regression it feeds them as given, shape {@code [rows, outputDim]}. A graph without a {@code labels}
 *       placeholder is fed none (and then cannot use them). For {@link Task#RECONSTRUCTION} no labels are fed;</li>
 *   <li>trainable variables ({@code SameDiff.var}), all of them listed in
 *       {@link CustomGraph#parameterNames()} in the order that is the model's parameter order. Anything that
 *       should not be trained must be a constant. Their values in the graph do not matter: {@link Model} binds the
 *       caller's parameters before every call, and {@link Model#initialParameters(long)} initialises them by
 *       {@link #initialization(ParameterSpec)};</li>
 *   <li>a loss variable, {@link CustomGraph#lossVariable()}: a scalar equal to the <b>sum</b> over the batch rows of
 *       the per-example loss — not the mean. Use {@code sum()} reductions (or {@code LossReduce.SUM}); a mean makes
 *       the partitioned gradient differ from the full-batch one;</li>
 *   <li>a prediction variable, {@link CustomGraph#predictionVariable()}, of shape {@code [rows, outputDim]}:
 *       class probabilities (or any scores whose row-wise arg-max is the predicted class) for classification,
 *       outputs for regression, the reconstruction for reconstruction. {@link Model#predict} returns it and
 *       {@link Model#evaluate} counts arg-max hits on it.</li>
 * </ul>
 * Loss and prediction must be computed row by row (no batch statistics such as batch normalisation in training
 * mode), so that a batch's loss equals the sum of its parts' losses.
 *
 * <p>{@code build} must return the same graph every time it is called with the same arguments: each Spark task
 * builds its own copy. It should be cheap (graph construction, no data loading).
 */
public interface CustomModelFactory {

    /**
     * Builds the graph.
     *
     * @param spec     the spec naming this factory, with the input and output widths to build for
     * @param dataType {@link DataType#FLOAT} or {@link DataType#DOUBLE}: the type of the placeholders and variables
     * @return the graph and the names of its roles; never null
     */
    CustomGraph build(CustomSpec spec, DataType dataType);

    /**
     * How {@link Model#initialParameters(long)} initialises one parameter. Default:
     * {@link ParameterInit#defaultFor(long[])} — zeros for rank-1 tensors, Glorot-uniform otherwise, with fans for
     * {@code [in, out]} weights and {@code [kH, kW, in, out]} kernels. Override for He-uniform before relu or other
     * fans.
     *
     * @param parameter a parameter of the graph
     * @return its initialisation rule
     */
    default ParameterInit initialization(ParameterSpec parameter) {
        return ParameterInit.defaultFor(parameter.shape());
    }
}
