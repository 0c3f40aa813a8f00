SELECT message FROM refusals WHERE kind = :kind AND subject_id = :subjectId AND subject_at = :subjectAt
