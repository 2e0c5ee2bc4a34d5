package io.lather.optimizer.shampoo;

import io.lather.optimizer.config.DiagonalConfig;
import io.lather.optimizer.linalg.FusedElementwise;
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

    /** V ← β·V + w·G⊙G, with {@code tmp} (G's type and shape) as scratch. */
    static void update(DiagonalConfig config, INDArray v, INDArray g, INDArray tmp) {
        if (config instanceof DiagonalConfig.AdaGrad) {
            if (FusedElementwise.ema(v, g, true, 1.0, 1.0)) {
                return;
            }
            v.addi(g.mul(g, tmp));
        } else if (config instanceof DiagonalConfig.RmsProp r) {
            ema(v, g, r.beta2(), r.dropWeightingFactorOnGsquare(), tmp);
        } else if (config instanceof DiagonalConfig.Adam a) {
            ema(v, g, a.beta2(), a.dropWeightingFactorOnGsquare(), tmp);
        }
    }

    private static void ema(INDArray v, INDArray g, double beta2, boolean drop, INDArray tmp) {
        double w = drop || beta2 == 1.0 ? 1.0 : 1.0 - beta2;
        if (FusedElementwise.ema(v, g, true, beta2, w)) {
            return;
        }
        if (beta2 != 1.0) {
            v.muli(beta2);
        }
        v.addi(g.mul(g, tmp).muli(w));
    }

    /** The bias correction at step t: 1 − β2^t for Adam (unless the weighting factor is dropped), else 1. */
    static double biasCorrection(DiagonalConfig config, long t) {
        if (config instanceof DiagonalConfig.Adam a && !a.dropWeightingFactorOnGsquare() && a.beta2() < 1.0) {
            return 1.0 - Math.pow(a.beta2(), t);
        }
        return 1.0;
    }

    /**
     * H/(√(V/bc) + ε) written into {@code out}; SGD copies H into {@code out} (never returns H itself, see ALGORITHMS.md
     * §10.1). {@code out} and {@code tmp} are scratch arrays of H's type and shape, distinct from H and V.
     */
    static INDArray precondition(DiagonalConfig config, INDArray v, INDArray h, double bc, INDArray out, INDArray tmp) {
        if (v == null) {
            return out.assign(h);
        }
        double eps;
        if (config instanceof DiagonalConfig.AdaGrad a) {
            eps = a.epsilon();
        } else if (config instanceof DiagonalConfig.RmsProp r) {
            eps = r.epsilon();
        } else {
            eps = ((DiagonalConfig.Adam) config).epsilon();
        }
        if (FusedElementwise.adamDirection(out, h, v, bc, eps)) {
            return out;
        }
        INDArray denom = Transforms.sqrt(v.div(bc, tmp), false).addi(eps);
        return h.div(denom, out);
    }
}
