package dev.meterflow.local.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Issue 13: the harness's CPU per usage event is split by these groups, so each name must land where it works. */
class CpuGroupTest {

    private static final String METERING = "bench-metering";

    @Test
    void shouldCountTheTopologysStreamThreadsAsTheApplication() {
        assertThat(CpuGroup.of("bench-metering-52396788-012f-4d95-937b-669643fea1ab-StreamThread-2", METERING))
                .isEqualTo(CpuGroup.APP);
    }

    @Test
    void shouldCountTheApplicationsProducerAndHeartbeatThreadsAsItsClientIo() {
        assertThat(CpuGroup.of("kafka-producer-network-thread | bench-metering-5239-StreamThread-1-producer",
                METERING)).isEqualTo(CpuGroup.APP_IO);
        assertThat(CpuGroup.of("kafka-coordinator-heartbeat-thread | bench-metering", METERING))
                .isEqualTo(CpuGroup.APP_IO);
    }

    @Test
    void shouldCountOtherClientsAsTheHarness() {
        assertThat(CpuGroup.of("kafka-admin-client-thread | adminclient-3", METERING)).isEqualTo(CpuGroup.HARNESS);
        assertThat(CpuGroup.of("kafka-producer-network-thread | producer-7", METERING)).isEqualTo(CpuGroup.HARNESS);
        assertThat(CpuGroup.of("main", METERING)).isEqualTo(CpuGroup.HARNESS);
    }

    @Test
    void shouldSortTheBrokersThreadsByKind() {
        assertThat(CpuGroup.of("data-plane-kafka-request-handler-3", METERING))
                .isEqualTo(CpuGroup.BROKER_REQUEST_HANDLERS);
        assertThat(CpuGroup.of("data-plane-kafka-network-thread-1-ListenerName(PLAINTEXT)-PLAINTEXT-2", METERING))
                .isEqualTo(CpuGroup.BROKER_NETWORK);
        assertThat(CpuGroup.of("TxnMarkerSenderThread-1", METERING)).isEqualTo(CpuGroup.BROKER_TRANSACTIONS);
        assertThat(CpuGroup.of("kafka-1-raft-io-thread", METERING)).isEqualTo(CpuGroup.BROKER_OTHER);
        assertThat(CpuGroup.of("AddPartitionsToTxnSenderThread-1", METERING)).isEqualTo(CpuGroup.BROKER_TRANSACTIONS);
        assertThat(CpuGroup.of("ExpirationReaper-1-Produce", METERING)).isEqualTo(CpuGroup.BROKER_OTHER);
        assertThat(CpuGroup.of("group-coordinator-event-processor-2", METERING)).isEqualTo(CpuGroup.BROKER_OTHER);
    }

    @Test
    void shouldTellTheJvmsOwnThreadsFromTheHarness() {
        assertThat(CpuGroup.of("C2 CompilerThread0", METERING)).isEqualTo(CpuGroup.JVM);
        assertThat(CpuGroup.of("JFR Periodic Tasks", METERING)).isEqualTo(CpuGroup.JVM);
    }

    @Test
    void shouldCountTheBaselinesCopyLoopAndItsClientsAsTheApplicationWhenItIsMeasured() {
        assertThat(CpuGroup.of(Bench.COPY_THREAD, Bench.COPY_THREAD)).isEqualTo(CpuGroup.APP);
        assertThat(CpuGroup.of("kafka-producer-network-thread | producer-" + Bench.COPY_THREAD, Bench.COPY_THREAD))
                .isEqualTo(CpuGroup.APP_IO);
    }
}
