package io.lather.spark.ml;

import io.lather.models.Model;
import io.lather.models.ModelSpec;
import io.lather.models.ParameterSpec;
import io.lather.models.Precision;
import io.lather.models.Task;
import io.lather.optimizer.state.HostTensor;
import io.lather.optimizer.state.TensorType;
import io.lather.spark.checkpoint.DeltaCheckpointStore;
import io.lather.spark.train.ParameterSnapshot;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A fitted model's content: its spec, the precision it was trained in, and its parameters as primitive arrays in the
 * model's parameter order — what is broadcast to executors and saved with the model. ND4J arrays never cross a
 * serialization boundary; each executor thread rebuilds them from these arrays.
 */
final class ModelState implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ModelSpec spec;
    private final Precision precision;
    private final ParameterSnapshot parameters;
    private final long[][] shapes;

    private ModelState(ModelSpec spec, Precision precision, ParameterSnapshot parameters, long[][] shapes) {
        this.spec = spec;
        this.precision = precision;
        this.parameters = parameters;
        this.shapes = shapes;
    }

    /**
     * Checks that the tensors are exactly the spec's parameters (names, order-independent; shapes; the precision's
     * element type) and keeps them in the model's parameter order.
     *
     * @param where what the tensors are, for the error message (a checkpoint, a saved model's path)
     * @throws LatherMlException naming the first mismatch
     */
    static ModelState of(ModelSpec spec, Precision precision, Map<String, HostTensor> tensors, String where) {
        List<ParameterSpec> expected = Model.build(spec, precision).parameters();
        TensorType type = precision == Precision.FLOAT32 ? TensorType.FLOAT32 : TensorType.FLOAT64;
        List<String> names = new ArrayList<>();
        expected.forEach(p -> names.add(p.name()));
        if (!tensors.keySet().equals(new java.util.HashSet<>(names))) {
            throw MlErrors.badSavedModel(where, "its parameters are " + tensors.keySet() + " but " + spec.describe() + " has "
                    + names);
        }
        long[][] shapes = new long[names.size()][];
        float[][] floats = type == TensorType.FLOAT32 ? new float[names.size()][] : null;
        double[][] doubles = type == TensorType.FLOAT64 ? new double[names.size()][] : null;
        for (int i = 0; i < names.size(); i++) {
            ParameterSpec p = expected.get(i);
            HostTensor t = tensors.get(p.name());
            if (!Arrays.equals(t.shape(), p.shape()) || t.type() != type) {
                throw MlErrors.badSavedModel(where, "parameter " + p.name() + " is " + t + "; " + spec.describe() + " in "
                        + precision + " needs shape " + Arrays.toString(p.shape()) + " of " + type.typeName());
            }
            shapes[i] = p.shape();
            ByteBuffer b = ByteBuffer.wrap(t.bytes()).order(ByteOrder.LITTLE_ENDIAN);
            int n = Math.toIntExact(t.elementCount());
            if (floats != null) {
                floats[i] = new float[n];
                b.asFloatBuffer().get(floats[i]);
            } else {
                doubles[i] = new double[n];
                b.asDoubleBuffer().get(doubles[i]);
            }
        }
        return new ModelState(spec, precision, new ParameterSnapshot(0, List.copyOf(names), floats, doubles), shapes);
    }

    ModelSpec spec() {
        return spec;
    }

    Precision precision() {
        return precision;
    }

    int numFeatures() {
        return spec.inputDim();
    }

    /** K for a classifier, 0 for a regressor. */
    int numClasses() {
        return spec.task() == Task.CLASSIFICATION ? spec.outputDim() : 0;
    }

    /** The parameters as ND4J arrays for {@code model} (built from {@link #spec()} and {@link #precision()}). */
    Map<String, INDArray> toParameters(Model model) {
        return parameters.toParameters(model);
    }

    /** The parameters as host tensors in parameter order (what is saved and digested). */
    Map<String, HostTensor> tensors() {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        List<String> names = parameters.names();
        for (int i = 0; i < names.size(); i++) {
            ByteBuffer b;
            TensorType type;
            if (parameters.floats() != null) {
                float[] v = parameters.floats()[i];
                b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(v);
                type = TensorType.FLOAT32;
            } else {
                double[] v = parameters.doubles()[i];
                b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
                b.asDoubleBuffer().put(v);
                type = TensorType.FLOAT64;
            }
            out.put(names.get(i), new HostTensor(type, shapes[i], b.array()));
        }
        return out;
    }

    /** SHA-256 of the parameters, as {@link DeltaCheckpointStore#parameterDigest} computes it for checkpoints. */
    String digest() {
        return DeltaCheckpointStore.parameterDigest(tensors());
    }
}
