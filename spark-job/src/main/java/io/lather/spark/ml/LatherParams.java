package io.lather.spark.ml;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.param.StringArrayParam;

/**
 * The training params shared by {@link LatherClassifier} and {@link LatherRegressor}: what model to train, with which
 * optimizer, for how long, on how many partitions, and where {@code fit} writes its Delta tables. Each becomes one key of
 * the {@link io.lather.spark.config.JobConfig} the fit runs ({@code conf/README.md} documents the keys); defaults and
 * ranges are in each param's doc ({@code explainParams()}) and in {@code docs/SPARK_ML.md}.
 */
public interface LatherParams extends Params {

    /** Widths of the MLP's hidden layers, input side first; empty = no hidden layer. Key {@code model.hidden_sizes}. */
    IntArrayParam hiddenLayers();

    /** Activation after each hidden layer: relu, tanh, gelu or sigmoid. Key {@code model.activation}. */
    Param<String> activation();

    /** Optimizer preset: shampoo, eshampoo, soap, per-factor-ema, kl-shampoo, adamw or nvidia-soap. Key {@code optimizer}. */
    Param<String> optimizer();

    /** Extra {@code optimizer.*} settings as {@code key=value} entries (the prefix may be left out). */
    StringArrayParam optimizerOptions();

    /** Peak learning rate; unset = the preset's own. Key {@code optimizer.lr}. */
    DoubleParam learningRate();

    /** Optimizer steps; 0 = derive from {@link #epochs()}. Key {@code train.steps}. */
    IntParam maxSteps();

    /** Passes over the training rows when {@link #maxSteps()} = 0. Key {@code train.epochs}. */
    IntParam epochs();

    /** Data partitions P (one gradient task each per step); 0 = Spark's default parallelism. Key {@code train.partitions}. */
    IntParam partitions();

    /** Rows per partition per step b; the global batch is P·b. Key {@code train.batch_per_partition}. */
    IntParam batchPerPartition();

    /** Seed of the parameter initialisation and of the per-epoch shuffles. Key {@code run.seed}. */
    LongParam seed();

    /** Base directory of the Delta tables {@code fit} writes (data, checkpoints, metrics); empty = a new temporary directory. */
    Param<String> checkpointLocation();

    /** Write a checkpoint every this many steps; 0 = only after the last step. Key {@code checkpoint.every}. */
    IntParam checkpointInterval();

    /** Kronecker-factor statistics from the global gradient (global) or from partition gradients (partition). */
    Param<String> statistics();

    /** @return {@link #hiddenLayers()} */
    default int[] getHiddenLayers() {
        return getOrDefault(hiddenLayers());
    }

    /** @return {@link #activation()} */
    default String getActivation() {
        return getOrDefault(activation());
    }

    /** @return {@link #optimizer()} */
    default String getOptimizer() {
        return getOrDefault(optimizer());
    }

    /** @return {@link #optimizerOptions()} */
    default String[] getOptimizerOptions() {
        return getOrDefault(optimizerOptions());
    }

    /**
     * @return {@link #learningRate()}
     * @throws java.util.NoSuchElementException when it is not set (the preset's learning rate applies)
     */
    default double getLearningRate() {
        return (Double) getOrDefault(learningRate());
    }

    /** @return {@link #maxSteps()} */
    default int getMaxSteps() {
        return (Integer) getOrDefault(maxSteps());
    }

    /** @return {@link #epochs()} */
    default int getEpochs() {
        return (Integer) getOrDefault(epochs());
    }

    /** @return {@link #partitions()} */
    default int getPartitions() {
        return (Integer) getOrDefault(partitions());
    }

    /** @return {@link #batchPerPartition()} */
    default int getBatchPerPartition() {
        return (Integer) getOrDefault(batchPerPartition());
    }

    /** @return {@link #seed()} */
    default long getSeed() {
        return (Long) getOrDefault(seed());
    }

    /** @return {@link #checkpointLocation()} */
    default String getCheckpointLocation() {
        return getOrDefault(checkpointLocation());
    }

    /** @return {@link #checkpointInterval()} */
    default int getCheckpointInterval() {
        return (Integer) getOrDefault(checkpointInterval());
    }

    /** @return {@link #statistics()} */
    default String getStatistics() {
        return getOrDefault(statistics());
    }

    /**
     * The {@code optimizer} and {@code optimizer.*} settings these params give (preset, learning rate, options), as a
     * {@link io.lather.spark.config.JobConfig} takes them.
     *
     * @return insertion-ordered key/values
     * @throws LatherMlException when an option is malformed or repeats the learning rate
     */
    default Map<String, String> optimizerSettings() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("optimizer", getOptimizer());
        if (isDefined(learningRate())) {
            m.put("optimizer.lr", Double.toString(getLearningRate()));
        }
        for (String entry : getOptimizerOptions()) {
            Map.Entry<String, String> kv = ParamSupport.option(uid(), entry);
            if (kv.getKey().equals("optimizer.lr") && isDefined(learningRate())) {
                throw MlErrors.badParam(uid(), "optimizerOptions", Arrays.toString(getOptimizerOptions()),
                        "it sets optimizer.lr, and so does the learningRate param. Fix: set only one of them.");
            }
            m.put(kv.getKey(), kv.getValue());
        }
        return m;
    }
}
