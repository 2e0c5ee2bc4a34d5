package io.lather.spark.train;

import io.lather.models.EvaluationSums;
import io.lather.models.Model;
import io.lather.models.ModelCache;
import io.lather.models.ModelSpec;
import io.lather.models.Precision;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Evaluates every row of a packed partition in chunks and returns the loss and accuracy sums. */
final class EvaluationTask implements Function2<Integer, Iterator<PackedPartition>, Iterator<EvaluationSums>> {
    private static final long serialVersionUID = 1L;

    private final Broadcast<ParameterSnapshot> parameters;
    private final ModelSpec spec;
    private final Precision precision;
    private final int chunk;

    EvaluationTask(Broadcast<ParameterSnapshot> parameters, ModelSpec spec, Precision precision, int chunk) {
        this.parameters = parameters;
        this.spec = spec;
        this.precision = precision;
        this.chunk = chunk;
    }

    @Override
    public Iterator<EvaluationSums> call(Integer index, Iterator<PackedPartition> it) {
        List<EvaluationSums> out = new ArrayList<>(1);
        Model model = ModelCache.forCurrentThread(spec, precision);
        Map<String, INDArray> params = parameters.value().toParameters(model);
        while (it.hasNext()) {
            PackedPartition p = it.next();
            EvaluationSums sums = EvaluationSums.EMPTY;
            for (int start = 0; start < p.rows(); start += chunk) {
                int n = Math.min(chunk, p.rows() - start);
                int[] pos = new int[n];
                for (int i = 0; i < n; i++) {
                    pos[i] = start + i;
                }
                sums = sums.plus(model.evaluate(params, p.gatherFeatures(pos), p.gatherLabels(pos), n));
            }
            out.add(sums);
        }
        return out.iterator();
    }
}
