package dev.meterflow.metering.topology;

import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.internals.InternalTopicProperties;

/**
 * A {@link Topology} that can declare an internal topic, as the DSL's repartition does: Kafka Streams names it
 * {@code <application.id>-<name>}, creates it with the partition count of the topics the writing sub-topology reads,
 * writes it in the task's transaction and purges what it has committed. The Processor API has no public call for
 * this, so it goes through the builder the DSL uses.
 */
final class StreamsTopology extends Topology {

    void addInternalTopic(String name) {
        internalTopologyBuilder.addInternalTopic(name, InternalTopicProperties.empty());
    }
}
