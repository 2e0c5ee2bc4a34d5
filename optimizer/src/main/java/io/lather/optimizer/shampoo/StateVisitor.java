package io.lather.optimizer.shampoo;

import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Walks the live state of a block under its stable tensor names. Export copies what it visits; import checks
 * the names, types and shapes of everything visited against the incoming state and then assigns. One walk
 * serves both, so the exported and the importable layouts cannot drift apart.
 */
interface StateVisitor {
    /** A live tensor (assigned in place on import). */
    void tensor(String name, INDArray live);

    /**
     * A live tensor derivable from the rest of the state, exported so that a resumed run continues bit for bit. An
     * imported state without it (written before Lather kept it) is accepted: {@code rebuild} then recomputes it after
     * everything else was assigned.
     */
    default void derived(String name, INDArray live, Runnable rebuild) {
        tensor(name, live);
    }

    /** An integer counter. */
    void counter(String name, LongSupplier get, LongConsumer set);
}
