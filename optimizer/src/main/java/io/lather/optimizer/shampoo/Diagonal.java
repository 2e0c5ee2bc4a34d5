package io.lather.optimizer.shampoo;

import io.lather.optimizer.config.DiagonalConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The diagonal family (ALGORITHMS.md §5.2) as functions of a second-moment tensor V (null for SGD). */
final class Diagonal {
    private Diagonal() {}

    static INDArray init(DiagonalConfig config, long[] shape, DataType type) {
        return config instanceof DiagonalConfig.Sgd ? null : Nd4j.zeros(type, shape);
    }

    /** V ← β·V + w·G⊙G. */
    static void update(DiagonalConfig config, INDArray v, INDArray g) {
        if (config instanceof DiagonalConfig.AdaGrad) {
            v.addi(g.mul(g));
        } else if (config instanceof DiagonalConfig.RmsProp r) {
            ema(v, g, r.beta2(), r.dropWeightingFactorOnGsquare());
        } else if (config instanceof DiagonalConfig.Adam a) {
            ema(v, g, a.beta2(), a.dropWeightingFactorOnGsquare());
        }
    }

    private static void ema(INDArray v, INDArray g, double beta2, boolean drop) {
        double w = drop || beta2 == 1.0 ? 1.0 : 1.0 - beta2;
        if (beta2 != 1.0) {
            v.muli(beta2);
        }
        v.addi(g.mul(g).muli(w));
    }

    /** The bias correction at step t: 1 − β2^t for Adam (unless the weighting factor is dropped), else 1. */
    static double biasCorrection(DiagonalConfig config, long t) {
        if (config instanceof DiagonalConfig.Adam a && !a.dropWeightingFactorOnGsquare() && a.beta2() < 1.0) {
            return 1.0 - Math.pow(a.beta2(), t);
        }
        return 1.0;
    }

    /** H/(√(V/bc) + ε) as a new array; SGD returns a copy of H (never H itself, see ALGORITHMS.md §10.1). */
    static INDArray precondition(DiagonalConfig config, INDArray v, INDArray h, double bc) {
        if (v == null) {
            return h.dup();
        }
        double eps;
        if (config instanceof DiagonalConfig.AdaGrad a) {
            eps = a.epsilon();
        } else if (config instanceof DiagonalConfig.RmsProp r) {
            eps = r.epsilon();
        } else {
            eps = ((DiagonalConfig.Adam) config).epsilon();
        }
        INDArray denom = Transforms.sqrt(v.div(bc), false).addi(eps);
        return h.div(denom);
    }
}
