package io.lather.spark.train;

import io.lather.models.Model;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The model parameters as primitive arrays — what the driver broadcasts each step (ND4J arrays live off-heap and never
 * cross a serialization boundary). Exactly one of {@code floats}/{@code doubles} is set, matching the training precision.
 *
 * @param step the step these parameters are the input of
 * @param names parameter names in model order
 * @param floats float32 values per parameter (row-major), or null
 * @param doubles float64 values per parameter (row-major), or null
 */
public record ParameterSnapshot(long step, List<String> names, float[][] floats, double[][] doubles) implements Serializable {

    /** Copies live parameters. */
    public static ParameterSnapshot of(long step, Map<String, INDArray> params) {
        List<String> names = List.copyOf(params.keySet());
        boolean single = params.values().iterator().next().dataType() == DataType.FLOAT;
        float[][] f = single ? new float[names.size()][] : null;
        double[][] d = single ? null : new double[names.size()][];
        for (int i = 0; i < names.size(); i++) {
            INDArray p = params.get(names.get(i)).dup('c');
            if (single) {
                f[i] = p.data().asFloat();
            } else {
                d[i] = p.data().asDouble();
            }
        }
        return new ParameterSnapshot(step, names, f, d);
    }

    /** The parameters as ND4J arrays of the model's shapes and precision. */
    public Map<String, INDArray> toParameters(Model model) {
        if (floats != null) {
            Map<String, float[]> m = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                m.put(names.get(i), floats[i]);
            }
            return model.parametersFromFloats(m);
        }
        Map<String, double[]> m = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            m.put(names.get(i), doubles[i]);
        }
        return model.parametersFromDoubles(m);
    }
}
