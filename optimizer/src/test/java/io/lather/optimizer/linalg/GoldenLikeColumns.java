package io.lather.optimizer.linalg;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Eigenvector comparison up to column signs (ALGORITHMS.md §10.4). */
final class GoldenLikeColumns {
    private GoldenLikeColumns() {}

    static double signInvariantDistance(INDArray a, INDArray b) {
        double worst = 0;
        for (int j = 0; j < b.columns(); j++) {
            double plus = Transforms.abs(a.getColumn(j).sub(b.getColumn(j))).maxNumber().doubleValue();
            double minus = Transforms.abs(a.getColumn(j).add(b.getColumn(j))).maxNumber().doubleValue();
            worst = Math.max(worst, Math.min(plus, minus));
        }
        return worst;
    }
}
