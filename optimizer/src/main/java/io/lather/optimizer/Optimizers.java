package io.lather.optimizer;

import io.lather.optimizer.config.NvidiaSoapConfig;
import io.lather.optimizer.config.OptimizerConfig;
import io.lather.optimizer.config.ShampooConfig;
import io.lather.optimizer.linalg.LapackEigensolver;
import io.lather.optimizer.linalg.SymmetricEigensolver;
import io.lather.optimizer.shampoo.ShampooOptimizer;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Creates optimizers from configurations. */
public final class Optimizers {
    private Optimizers() {}

    /** An optimizer for the given parameters (updated in place), with the default LAPACK eigensolver. */
    public static Optimizer create(OptimizerConfig config, Map<String, INDArray> parameters) {
        return create(config, parameters, LapackEigensolver.INSTANCE);
    }

    /** An optimizer with a specific eigensolver (tests inject failing solvers; other backends plug in here). */
    public static Optimizer create(OptimizerConfig config, Map<String, INDArray> parameters, SymmetricEigensolver solver) {
        if (config instanceof ShampooConfig s) {
            return new ShampooOptimizer(s, parameters, solver);
        }
        NvidiaSoapConfig n = (NvidiaSoapConfig) config;
        return new io.lather.optimizer.soap.NvidiaSoapOptimizer(n, parameters, solver);
    }
}
