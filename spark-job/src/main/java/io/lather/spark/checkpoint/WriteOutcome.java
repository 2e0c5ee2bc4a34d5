package io.lather.spark.checkpoint;

/**
 * What {@link DeltaCheckpointStore#write} did. In every case, when it returns, the table holds a valid checkpoint with
 * exactly the written content at the run and step, and retention has run.
 */
public enum WriteOutcome {
    /** A new Delta commit added the checkpoint. */
    COMMITTED,
    /**
     * Nothing was written: Delta skipped the write because the run had already committed this step (or a later one)
     * under its {@code txnAppId}, and the stored checkpoint at this step is valid with the same parameter and
     * optimizer-state digests. This is the retried write.
     */
    ALREADY_COMMITTED,
    /**
     * Delta skipped the transactional write because the run had already committed this step or a later one, but the
     * stored checkpoint at this step was missing, damaged or had different content (a run resumed from an earlier step
     * under the same run id); one {@code replaceWhere} commit replaced the rows of this run and step.
     */
    REPLACED
}
