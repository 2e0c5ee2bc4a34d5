package io.lather.optimizer.state;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything an optimizer needs to continue exactly where it stopped: named heap tensors keyed by
 * {@link StateKey}, plus the optimizer's stable type name and a format version. Produced by
 * {@code Optimizer.exportState()}, consumed by {@code Optimizer.importState(...)}, serialized by
 * {@link StateCodec}. Iteration order is the sorted key order, so equal states encode to equal bytes.
 *
 * @param optimizerType stable type name of the optimizer that wrote the state (e.g. {@code shampoo})
 * @param formatVersion layout version of the tensor names (see {@code docs/STATE_FORMAT.md})
 * @param tensors the tensors
 */
public record OptimizerState(String optimizerType, int formatVersion, Map<StateKey, HostTensor> tensors) {
    /** Current layout version written by this code. */
    public static final int FORMAT_VERSION = 1;

    public OptimizerState {
        tensors = Collections.unmodifiableMap(new TreeMap<>(tensors));
    }

    /** A state with the current format version. */
    public static OptimizerState of(String optimizerType, Map<StateKey, HostTensor> tensors) {
        return new OptimizerState(optimizerType, FORMAT_VERSION, tensors);
    }

    /** The tensor under a key, or a {@link StateException} naming it. */
    public HostTensor require(StateKey key) {
        HostTensor t = tensors.get(key);
        if (t == null) {
            throw new StateException("optimizer state has no tensor '" + key + "'");
        }
        return t;
    }

    /** A mutable builder that keeps insertion order until built. */
    public static Map<StateKey, HostTensor> newTensorMap() {
        return new LinkedHashMap<>();
    }
}
