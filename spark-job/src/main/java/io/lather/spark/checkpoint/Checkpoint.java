package io.lather.spark.checkpoint;

import io.lather.optimizer.state.HostTensor;
import io.lather.optimizer.state.OptimizerState;
import java.util.Map;

/**
 * Everything needed to continue a run after step {@code metadata.step()}: the model parameters, the complete optimizer
 * state (through the optimizer's codec layout), the data-order state and the metadata.
 *
 * @param parameters model parameters by name (in model order)
 * @param optimizerState optimizer state
 * @param dataOrder data-order state
 * @param metadata run, step, config, versions, data provenance
 */
public record Checkpoint(Map<String, HostTensor> parameters, OptimizerState optimizerState, DataOrderState dataOrder,
        CheckpointMetadata metadata) {}
