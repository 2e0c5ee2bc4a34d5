package io.lather.models.internal;

import io.lather.models.Activation;
import io.lather.models.AutoencoderSpec;
import io.lather.models.CnnSpec;
import io.lather.models.LogisticRegressionSpec;
import io.lather.models.MlpSpec;
import io.lather.models.ParameterInit;
import io.lather.models.ParameterSpec;
import io.lather.models.Task;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * SameDiff graphs of the built-in model types. The layer maths is documented on each spec record; this class
 * records how it maps onto SameDiff ops and the M2.1 quirks that shaped it.
 *
 * <ul>
 *   <li>Cross-entropy is {@code −Σ labels ⊙ logSoftmax(logits)} with labels one-hot. {@code nn.logSoftmax} is
 *       called <em>without</em> a dimension argument (it defaults to the last one): in 1.0.0-M2.1 the overload
 *       with a dimension fails when the gradient graph is created ("Error setting property for function
 *       LogSoftMax", {@code NoSuchMethodException: Integer.values()}) because the op does not survive the
 *       serialize-clone that {@code createGradFunction} does.</li>
 *   <li>GELU is built from {@code erf} because {@code nn.gelu} is the sigmoid approximation in M2.1.</li>
 *   <li>Convolutions use NCHW activations and YXIO ({@code [kH, kW, in, out]}) kernels, 'same' padding with odd
 *       kernels (symmetric), stride 1; pools are 'valid' (floor).</li>
 * </ul>
 */
public final class BuiltInGraphs {
    private BuiltInGraphs() {
    }

    /** Collects parameters and their rules while a graph is built. */
    private static final class Params {
        final List<ParameterSpec> specs = new ArrayList<>();
        final List<ParameterInit> inits = new ArrayList<>();

        SDVariable add(SameDiff sd, DataType dt, String name, ParameterInit init, long... shape) {
            specs.add(new ParameterSpec(name, shape));
            inits.add(init);
            return sd.var(name, dt, shape);
        }
    }

    /**
     * The graph of an {@code mlp}.
     *
     * @param spec the spec
     * @param dt   FLOAT or DOUBLE
     * @return the graph
     */
    public static ModelGraph mlp(MlpSpec spec, DataType dt) {
        SameDiff sd = SameDiff.create();
        Params p = new Params();
        SDVariable x = sd.placeHolder(ModelGraph.FEATURES, dt, -1, spec.inputDim());
        SDVariable z = denseStack(sd, dt, p, x, "dense_", spec.inputDim(), spec.hiddenSizes(), spec.outputDim(),
                spec.activation(), false);
        return spec.task() == Task.CLASSIFICATION
                ? classificationHead(sd, dt, p, z, spec.outputDim())
                : squaredErrorHead(sd, dt, p, z, sd.placeHolder(ModelGraph.LABELS, dt, -1, spec.outputDim()), "outputs", true);
    }

    /**
     * The graph of a {@code logistic_regression}: an mlp without hidden layers.
     *
     * @param spec the spec
     * @param dt   FLOAT or DOUBLE
     * @return the graph
     */
    public static ModelGraph logisticRegression(LogisticRegressionSpec spec, DataType dt) {
        return mlp(MlpSpec.classifier(spec.inputDim(), new int[0], Activation.TANH, spec.classes()), dt);
    }

    /**
     * The graph of an {@code autoencoder}.
     *
     * @param spec the spec
     * @param dt   FLOAT or DOUBLE
     * @return the graph
     */
    public static ModelGraph autoencoder(AutoencoderSpec spec, DataType dt) {
        SameDiff sd = SameDiff.create();
        Params p = new Params();
        SDVariable x = sd.placeHolder(ModelGraph.FEATURES, dt, -1, spec.inputDim());
        int[] hidden = spec.hiddenSizes();
        SDVariable code = denseStack(sd, dt, p, x, "encoder_", spec.inputDim(), hidden, spec.bottleneck(),
                spec.activation(), true);
        int[] decoderHidden = new int[hidden.length];
        for (int i = 0; i < hidden.length; i++) {
            decoderHidden[i] = hidden[hidden.length - 1 - i];
        }
        SDVariable reconstruction = denseStack(sd, dt, p, code, "decoder_", spec.bottleneck(), decoderHidden,
                spec.inputDim(), spec.activation(), false);
        return squaredErrorHead(sd, dt, p, reconstruction, x, "reconstruction", false);
    }

    /**
     * The graph of a {@code cnn}.
     *
     * @param spec the spec
     * @param dt   FLOAT or DOUBLE
     * @return the graph
     */
    public static ModelGraph cnn(CnnSpec spec, DataType dt) {
        SameDiff sd = SameDiff.create();
        Params p = new Params();
        SDVariable x = sd.placeHolder(ModelGraph.FEATURES, dt, -1, spec.inputDim());
        SDVariable h = x.reshape(-1, spec.channels(), spec.height(), spec.width());
        h = convBlock(sd, dt, p, h, "conv_0", spec.channels(), spec.conv1Filters(), spec);
        h = convBlock(sd, dt, p, h, "conv_1", spec.conv1Filters(), spec.conv2Filters(), spec);
        int flat = spec.conv2Filters() * spec.pooledHeight() * spec.pooledWidth();
        h = h.reshape(-1, flat);
        int[] hidden = spec.denseUnits() == 0 ? new int[0] : new int[]{spec.denseUnits()};
        SDVariable logits = denseStack(sd, dt, p, h, "dense_", flat, hidden, spec.classes(), spec.activation(), false);
        return classificationHead(sd, dt, p, logits, spec.classes());
    }

    private static SDVariable convBlock(SameDiff sd, DataType dt, Params p, SDVariable h, String name, int in, int out,
                                        CnnSpec spec) {
        int k = spec.kernelSize();
        long receptive = (long) k * k;
        SDVariable w = p.add(sd, dt, name + "/W", hiddenInit(spec.activation(), receptive * in, receptive * out), k, k, in, out);
        SDVariable b = p.add(sd, dt, name + "/b", ParameterInit.zeros(), out);
        Conv2DConfig conv = Conv2DConfig.builder().kH(k).kW(k).sH(1).sW(1).dH(1).dW(1)
                .paddingMode(PaddingMode.SAME).dataFormat(Conv2DConfig.NCHW).weightsFormat(WeightsFormat.YXIO).build();
        SDVariable a = activate(sd, spec.activation(), sd.cnn.conv2d(h, w, b, conv));
        int s = spec.poolSize();
        Pooling2DConfig pool = Pooling2DConfig.builder().kH(s).kW(s).sH(s).sW(s).dH(1).dW(1)
                .paddingMode(PaddingMode.VALID).isNHWC(false).build();
        return sd.cnn.maxPooling2d(a, pool);
    }

    /**
     * in → hidden… → out with layers named {@code prefix + i}; the activation after each hidden layer and, if
     * {@code activateOutput}, after the last one too. A layer followed by relu is initialised He-uniform, any other
     * Glorot-uniform; biases zero.
     */
    private static SDVariable denseStack(SameDiff sd, DataType dt, Params p, SDVariable x, String prefix, long in,
                                         int[] hidden, long out, Activation activation, boolean activateOutput) {
        SDVariable h = x;
        long width = in;
        for (int i = 0; i <= hidden.length; i++) {
            boolean activated = i < hidden.length || activateOutput;
            long next = i < hidden.length ? hidden[i] : out;
            String name = prefix + i;
            ParameterInit init = activated ? hiddenInit(activation, width, next) : ParameterInit.glorotUniform(width, next);
            SDVariable w = p.add(sd, dt, name + "/W", init, width, next);
            SDVariable b = p.add(sd, dt, name + "/b", ParameterInit.zeros(), next);
            h = h.mmul(w).add(b);
            if (activated) {
                h = activate(sd, activation, h);
            }
            width = next;
        }
        return h;
    }

    private static ParameterInit hiddenInit(Activation activation, long fanIn, long fanOut) {
        return activation == Activation.RELU ? ParameterInit.heUniform(fanIn) : ParameterInit.glorotUniform(fanIn, fanOut);
    }

    /**
     * Applies an activation.
     *
     * @param sd the graph
     * @param a  the activation
     * @param z  pre-activations
     * @return activations
     */
    static SDVariable activate(SameDiff sd, Activation a, SDVariable z) {
        return switch (a) {
            case RELU -> sd.nn.relu(z, 0.0);
            case TANH -> sd.math.tanh(z);
            case SIGMOID -> sd.nn.sigmoid(z);
            // x·Φ(x) = ½·x·(1 + erf(x/√2)), exact; see the class comment for why not nn.gelu.
            case GELU -> z.mul(0.5).mul(sd.math.erf(z.mul(1.0 / Math.sqrt(2.0))).add(1.0));
        };
    }

    private static ModelGraph classificationHead(SameDiff sd, DataType dt, Params p, SDVariable logits, int classes) {
        SDVariable labels = sd.placeHolder(ModelGraph.LABELS, dt, -1, classes);
        SDVariable probabilities = sd.nn.softmax("probabilities", logits, 1);
        // logSoftmax shifts by the row max internally, so the loss is finite for any logits.
        SDVariable loss = sd.nn.logSoftmax(logits).mul(labels).sum().neg();
        loss = sd.identity(ModelGraph.LOSS, loss);
        sd.setLossVariables(ModelGraph.LOSS);
        return new ModelGraph(sd, p.specs, p.inits, ModelGraph.LOSS, probabilities.name(), true);
    }

    private static ModelGraph squaredErrorHead(SameDiff sd, DataType dt, Params p, SDVariable outputs, SDVariable target,
                                               String predictionName, boolean feedsLabels) {
        SDVariable prediction = sd.identity(predictionName, outputs);
        SDVariable loss = sd.identity(ModelGraph.LOSS, sd.math.square(prediction.sub(target)).sum());
        sd.setLossVariables(ModelGraph.LOSS);
        return new ModelGraph(sd, p.specs, p.inits, ModelGraph.LOSS, prediction.name(), feedsLabels);
    }
}
