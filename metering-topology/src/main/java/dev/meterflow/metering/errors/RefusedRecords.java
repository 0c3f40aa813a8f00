package dev.meterflow.metering.errors;

/**
 * Where a global store's updater parks a record it refuses. A global processor has no sinks and Kafka Streams'
 * dead letter queue does not work on the global thread (issue 16, item 1), so the record leaves through a
 * producer of its own.
 */
public interface RefusedRecords {

    /**
     * Parks nothing beyond the updater's own ERROR line: for describing the topology and for tests that do not
     * look at refused reference records.
     */
    RefusedRecords LOGGED_ONLY = (topic, partition, offset, key, value, reason, detail) -> { };

    /** @param reason a code ({@code NO_KEY}, {@code UNDECODABLE}); {@code detail} says what was wrong */
    void refuse(String topic, int partition, long offset, byte[] key, byte[] value, String reason, String detail);
}
