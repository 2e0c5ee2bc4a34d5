package io.lather.spark.checkpoint;

import java.util.Optional;

/**
 * One checkpoint as {@link DeltaCheckpointStore#list()} and {@code lather inspect} show it: the values of its metadata
 * row and how many rows of each kind the table actually holds. Building it reads no tensor data, so it checks row
 * counts but not CRCs or digests; {@link DeltaCheckpointStore#read} and {@link DeltaCheckpointStore#latest} do that.
 *
 * @param runId the run
 * @param step the step after which the checkpoint was taken
 * @param formatVersion the newest {@code format_version} among the checkpoint's rows
 * @param createdAtMillis wall-clock time of the write (ms since the epoch), or −1 without a metadata row
 * @param optimizerType stable type name of the optimizer, or null without a metadata row
 * @param optimizerFormatVersion the optimizer state's layout version, or −1 without a metadata row
 * @param parameterCount parameter tensors recorded in the metadata row, or −1 without one
 * @param optimizerStateCount optimizer-state tensors recorded in the metadata row, or −1 without one
 * @param parametersDigest SHA-256 of the parameters ({@link CheckpointDigests#parameters}), or null without a metadata
 *     row
 * @param optimizerStateDigest SHA-256 of the optimizer state ({@link CheckpointDigests#optimizerState}), or null
 * @param configDigest SHA-256 of the configuration text ({@link CheckpointDigests#config}), or null
 * @param compatibilityDigest the run's compatibility digest, or null
 * @param metadataRows metadata rows present (1 in a complete checkpoint)
 * @param parameterRows parameter rows present
 * @param optimizerStateRows optimizer-state rows present
 */
public record CheckpointSummary(String runId, long step, int formatVersion, long createdAtMillis, String optimizerType,
        int optimizerFormatVersion, int parameterCount, int optimizerStateCount, String parametersDigest,
        String optimizerStateDigest, String configDigest, String compatibilityDigest, long metadataRows,
        long parameterRows, long optimizerStateRows) {

    /** @return true when the row counts are consistent and the format is readable by this code */
    public boolean complete() {
        return problem().isEmpty();
    }

    /** @return why the checkpoint is incomplete or unreadable by this code (row-count level), or empty */
    public Optional<String> problem() {
        if (formatVersion > CheckpointTable.FORMAT_VERSION) {
            return Optional.of("format version " + formatVersion + " is newer than this Lather reads ("
                    + CheckpointTable.FORMAT_VERSION + ")");
        }
        if (metadataRows != 1) {
            return Optional.of(metadataRows == 0 ? "no metadata row (" + parameterRows + " parameter and "
                    + optimizerStateRows + " optimizer-state rows)" : metadataRows + " metadata rows");
        }
        if (parameterRows != parameterCount) {
            return Optional.of("the metadata row records " + parameterCount + " parameter tensors, the table holds "
                    + parameterRows + " parameter rows");
        }
        if (optimizerStateRows != optimizerStateCount) {
            return Optional.of("the metadata row records " + optimizerStateCount + " optimizer-state tensors, the table "
                    + "holds " + optimizerStateRows + " optimizer-state rows");
        }
        return Optional.empty();
    }
}
