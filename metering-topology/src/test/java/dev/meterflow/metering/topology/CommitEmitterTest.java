package dev.meterflow.metering.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.metering.config.MeteringConfig;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.internals.CachingKeyValueStore;
import org.apache.kafka.streams.state.internals.WrappedStateStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: a cache flush asks the store underneath for each key's value before only where the output compares
 * with it (the balances); the rollups need only the value now, and on uniform traffic that read was one per event.
 */
class CommitEmitterTest {

    @TempDir
    Path stateDir;

    @Test
    void shouldReadTheValueBeforeAtAFlushOnlyForTheStoreWhoseOutputComparesWithIt() throws Exception {
        Properties settings = new Properties();
        settings.setProperty(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        settings.setProperty(StreamsConfig.APPLICATION_ID_CONFIG, "commit-emitter-test");
        MeteringConfig config = MeteringConfig.from(settings);

        try (TopologyTestDriver driver = new TopologyTestDriver(MeteringTopology.build(config),
                config.streamsProperties())) {
            assertThat(readsValueBefore(driver.getKeyValueStore(StoreNames.USAGE_ROLLUPS))).isFalse();
            assertThat(readsValueBefore(driver.getKeyValueStore(StoreNames.ACCOUNT_STATE))).isTrue();
        }
    }

    /** Kafka Streams keeps the choice in its caching layer's {@code sendOldValues} (pinned Kafka version). */
    private static boolean readsValueBefore(StateStore store) throws ReflectiveOperationException {
        StateStore layer = store;
        while (!(layer instanceof CachingKeyValueStore)) {
            layer = ((WrappedStateStore<?, ?, ?>) layer).wrapped();
        }
        Field sendOldValues = CachingKeyValueStore.class.getDeclaredField("sendOldValues");
        sendOldValues.setAccessible(true);
        return sendOldValues.getBoolean(layer);
    }
}
