SELECT topic || '-' || partition_no AS topic_partition, next_offset FROM read_model_offsets
