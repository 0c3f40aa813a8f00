package dev.meterflow.api.commands;

import java.util.Map;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Whether the pipeline accepted one written record that it either applies or refuses onto {@code refusalTopic}:
 * accepted once the metering app committed past it and the read model has read the refusal topic as far as it
 * was then, with no refusal of it found (the caller checks that). Asked repeatedly while a write waits.
 */
public final class Acceptance {

    private final PipelineProgress progress;
    private final TopicPartition written;
    private final long offset;
    private final String refusalTopic;
    private Map<TopicPartition, Long> refusalEnds;

    public Acceptance(PipelineProgress progress, RecordMetadata written, String refusalTopic) {
        this.progress = progress;
        this.written = new TopicPartition(written.topic(), written.partition());
        this.offset = written.offset();
        this.refusalTopic = refusalTopic;
    }

    /** True once any refusal of the record would be in the read model. */
    public boolean decided() {
        if (refusalEnds == null) {
            if (!progress.consumedPast(written, offset)) {
                return false;
            }
            refusalEnds = progress.committedEnds(refusalTopic);
        }
        return progress.readModelReached(refusalEnds);
    }
}
