package io.lather.optimizer.soap;

import io.lather.optimizer.config.NvidiaSoapConfig;
import io.lather.optimizer.config.NvidiaSoapConfig.Version;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The state of one parameter, stored in the parameter's data type and named like the reference
 * (ALGORITHMS.md §8.3, golden README §2.3):
 * <ul>
 *   <li>both versions: {@code step} (steps this parameter took), {@code exp_avg} (in the current eigenbasis),
 *       {@code exp_avg_sq};</li>
 *   <li>LEGACY: {@code GG.<k>} and {@code Q.<k>} per mode k. A mode without a factor (a 1-D parameter without
 *       precondition_1d, or a mode longer than max_precond_dim) has the reference's empty placeholders, {@code GG.k} of
 *       shape [0] and {@code Q.k} of shape [0, 0]; a 0-D parameter has no factor at all;</li>
 *   <li>HEAD: {@code L}, {@code R}, {@code Q_L}, {@code Q_R}, {@code eigvals_L}, {@code eigvals_R}.</li>
 * </ul>
 *
 * <p>Before its first refresh the LEGACY reference has no {@code Q} entry at all (and rotates with the identity). Here
 * {@code Q.k} holds the identity until then, and whether the reference would hold a basis is derived from {@code step}
 * (see {@link NvidiaSoapOptimizer}), so the exported state is a fixed set of tensors and still round-trips exactly.
 */
final class SoapParameterState {
    final String name;
    final long[] shape;
    final DataType type;
    /** Per mode: whether the mode has a Kronecker factor (false = placeholder, mode left unrotated). */
    final boolean[] kept;
    long step;
    final INDArray expAvg;
    final INDArray expAvgSq;
    /** Per mode: the factor (d×d), or null for a placeholder. */
    final INDArray[] factors;
    /** Per mode: the eigenbasis (d×d, descending eigenvalue order), or null for a placeholder. */
    final INDArray[] bases;
    /** HEAD only, per mode: the eigenvalues of the last refresh (descending), or null for a placeholder. */
    final INDArray[] eigenvalues;

    SoapParameterState(String name, long[] shape, DataType type, NvidiaSoapConfig config) {
        this.name = name;
        this.shape = shape.clone();
        this.type = type;
        int order = shape.length;
        this.kept = new boolean[order];
        for (int i = 0; i < order; i++) {
            boolean eligible = order >= 2 || config.precondition1d();
            kept[i] = eligible && shape[i] <= config.maxPrecondDim();
        }
        this.expAvg = Nd4j.zeros(type, shape);
        this.expAvgSq = Nd4j.zeros(type, shape);
        this.factors = new INDArray[order];
        this.bases = new INDArray[order];
        this.eigenvalues = config.version() == Version.HEAD ? new INDArray[order] : null;
        for (int i = 0; i < order; i++) {
            if (kept[i]) {
                factors[i] = Nd4j.zeros(type, shape[i], shape[i]);
                bases[i] = SoapKernels.identity(shape[i]).castTo(type);
                if (eigenvalues != null) {
                    eigenvalues[i] = Nd4j.zeros(type, shape[i]);
                }
            }
        }
    }

    /** Number of modes with a factor. */
    int keptCount() {
        int n = 0;
        for (boolean k : kept) {
            n += k ? 1 : 0;
        }
        return n;
    }

    /** Reference name of mode k's factor: {@code L}/{@code R} (HEAD) or {@code GG.k} (LEGACY). */
    String factorName(int k) {
        return eigenvalues != null ? (k == 0 ? "L" : "R") : "GG." + k;
    }

    /** Reference name of mode k's eigenbasis: {@code Q_L}/{@code Q_R} (HEAD) or {@code Q.k} (LEGACY). */
    String basisName(int k) {
        return eigenvalues != null ? (k == 0 ? "Q_L" : "Q_R") : "Q." + k;
    }

    /** Reference name of mode k's eigenvalues (HEAD only). */
    String eigenvaluesName(int k) {
        return k == 0 ? "eigvals_L" : "eigvals_R";
    }
}
