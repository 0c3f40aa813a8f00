package dev.meterflow.local.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 13: the profile's split of the stream threads' samples by library and by step of their loop. */
class FrameCategoryTest {

    private static final List<String> CACHE_LOOKUP = List.of(
            "java.util.HashMap.getNode",
            "java.util.HashMap.get",
            "org.apache.kafka.streams.state.internals.NamedCache.get",
            "org.apache.kafka.streams.state.internals.ThreadCache.get",
            "org.apache.kafka.streams.state.internals.CachingKeyValueStore.get",
            "org.apache.kafka.streams.state.internals.MeteredKeyValueStore.get",
            "dev.meterflow.metering.topology.TaxableUsageIndex.add",
            "dev.meterflow.metering.topology.BillingProcessor.process",
            "org.apache.kafka.streams.processor.internals.StreamTask.process",
            "org.apache.kafka.streams.processor.internals.TaskExecutor.processTask",
            "org.apache.kafka.streams.processor.internals.TaskExecutor.process",
            "org.apache.kafka.streams.processor.internals.StreamThread.runOnceWithoutProcessingThreads",
            "org.apache.kafka.streams.processor.internals.StreamThread.runLoop");

    @Test
    void shouldChargeAJdkMethodToTheLibraryThatCalledIt() {
        assertThat(FrameCategory.self(CACHE_LOOKUP)).isEqualTo("Kafka Streams record cache");
        assertThat(FrameCategory.topFrame(CACHE_LOOKUP))
                .isEqualTo("org.apache.kafka.streams.state.internals.NamedCache.get");
    }

    @Test
    void shouldTellAvroRocksDbTheProducerAndOurOwnCodeApart() {
        assertThat(FrameCategory.self(List.of("org.apache.avro.io.BinaryEncoder.writeString",
                "dev.meterflow.serde.SingleObjectSerde.serialize"))).isEqualTo("Avro encode/decode");
        assertThat(FrameCategory.self(List.of("org.rocksdb.RocksDB.get",
                "org.apache.kafka.streams.state.internals.RocksDBStore.get"))).isEqualTo("RocksDB (JNI calls)");
        assertThat(FrameCategory.self(List.of("java.util.zip.CRC32C.update",
                "org.apache.kafka.common.utils.Crc32C.compute",
                "org.apache.kafka.common.record.DefaultRecordBatch.writeHeader")))
                .isEqualTo("producer: send, batching, records");
        assertThat(FrameCategory.self(List.of("dev.meterflow.metering.ledger.Ledger.applyUsage")))
                .isEqualTo("Meterflow: handlers, rules, mapping");
        assertThat(FrameCategory.self(List.of("java.lang.Thread.run"))).isEqualTo(FrameCategory.JDK_ONLY);
    }

    @Test
    void shouldFindTheStepOfTheLoopFromTheBottomOfTheStack() {
        assertThat(FrameCategory.step(CACHE_LOOKUP)).isEqualTo("processing records");
        assertThat(FrameCategory.step(List.of(
                "org.apache.kafka.streams.state.internals.CachingKeyValueStore.flush",
                "org.apache.kafka.streams.processor.internals.StreamTask.prepareCommit",
                "org.apache.kafka.streams.processor.internals.TaskExecutor.commitTasksAndMaybeUpdateCommittableOffsets",
                "org.apache.kafka.streams.processor.internals.TaskManager.commit",
                "org.apache.kafka.streams.processor.internals.StreamThread.maybeCommit",
                "org.apache.kafka.streams.processor.internals.StreamThread.runLoop"))).isEqualTo("commit");
        assertThat(FrameCategory.step(List.of("org.apache.kafka.streams.processor.internals.StreamThread.run")))
                .isEqualTo(FrameCategory.OTHER);
    }
}
