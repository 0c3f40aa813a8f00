INSERT INTO read_model_offsets (topic, partition_no, next_offset)
VALUES (:topic, :partition, :nextOffset)
ON CONFLICT (topic, partition_no) DO UPDATE SET next_offset = EXCLUDED.next_offset
