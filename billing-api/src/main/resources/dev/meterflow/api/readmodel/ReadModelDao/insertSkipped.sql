INSERT INTO read_model_skipped (topic, partition_no, record_offset, reason, skipped_at)
VALUES (:topic, :partition, :offset, :reason, :skippedAt)
ON CONFLICT DO NOTHING
