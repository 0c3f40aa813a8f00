package dev.meterflow.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.worker.testdata.TickingClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** What the worker's {@code /health/ready} answers and the open requests it reports (issue 14). */
class WorkerMonitorTest {

    private static final TopicPartition P0 = new TopicPartition("recharge-requests", 0);
    private static final TopicPartition P1 = new TopicPartition("recharge-requests", 1);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final TickingClock clock = new TickingClock(Instant.parse("2026-11-29T10:00:00Z"));
    private final WorkerMonitor monitor = new WorkerMonitor(registry, clock);

    @Test
    void shouldBeReadyOnlyOnceInTheGroupAndNotAfterItsPartitionsWereLostOrItStopped() {
        assertThat(monitor.notReadyReason()).hasValueSatisfying(why -> assertThat(why).contains("consumer group"));

        monitor.joined();
        assertThat(monitor.notReadyReason()).isEmpty();
        assertThat(registry.get("meterflow.recharge.ready").gauge().value()).isEqualTo(1.0);

        monitor.left();
        assertThat(monitor.notReadyReason()).isPresent();

        monitor.joined();
        monitor.stopped();
        assertThat(monitor.notReadyReason()).hasValue("stopped");
    }

    @Test
    void shouldNotBeReadyWhileTheAttemptLogCannotBeWritten() {
        AtomicReference<Optional<String>> blocked = new AtomicReference<>(Optional.empty());
        monitor.attemptLogBlocked(blocked::get);
        monitor.joined();

        blocked.set(Optional.of("1 attempt-log write(s) waiting for the broker, the oldest since 10:00"));
        assertThat(monitor.notReadyReason()).hasValue("1 attempt-log write(s) waiting for the broker, the oldest "
                + "since 10:00");
        assertThat(registry.get("meterflow.recharge.ready").gauge().value()).isZero();

        blocked.set(Optional.empty());
        assertThat(monitor.notReadyReason()).isEmpty();
    }

    @Test
    void shouldNotBeReadyWhileATransactionWaitsForTheBroker() {
        AtomicReference<Optional<String>> blocked = new AtomicReference<>(Optional.empty());
        monitor.transactionsBlocked(blocked::get);
        monitor.joined();

        blocked.set(Optional.of("the transaction's commitTransaction waiting for the broker since 10:00"));
        assertThat(monitor.notReadyReason()).hasValue("the transaction's commitTransaction waiting for the broker "
                + "since 10:00");
        assertThat(registry.get("meterflow.recharge.ready").gauge().value()).isZero();

        blocked.set(Optional.empty());
        assertThat(monitor.notReadyReason()).isEmpty();
    }

    @Test
    void shouldReportTheOpenRequestsAndTheAgeOfTheOldestUntilTheyFinishOrTheirPartitionGoes() {
        monitor.started(P0, 7);
        clock.advance(Duration.ofSeconds(90));
        monitor.started(P1, 3);
        clock.advance(Duration.ofSeconds(30));

        assertThat(registry.get("meterflow.recharge.pending").gauge().value()).isEqualTo(2.0);
        assertThat(registry.get("meterflow.recharge.pending.oldest.seconds").gauge().value()).isEqualTo(120.0);

        monitor.forgot(P0);
        assertThat(registry.get("meterflow.recharge.pending.oldest.seconds").gauge().value()).isEqualTo(30.0);

        monitor.finished(P1, 3);
        assertThat(registry.get("meterflow.recharge.pending").gauge().value()).isZero();
        assertThat(registry.get("meterflow.recharge.pending.oldest.seconds").gauge().value()).isZero();
    }

    @Test
    void shouldCountOutcomesByKind() {
        monitor.outcome("SUCCEEDED");
        monitor.outcome("SUCCEEDED");
        monitor.outcome("DECLINED");
        monitor.softDeclineLimitHit();

        assertThat(registry.get("meterflow.recharge.outcomes").tag("outcome", "SUCCEEDED").counter().count())
                .isEqualTo(2.0);
        assertThat(registry.get("meterflow.recharge.outcomes").tag("outcome", "DECLINED").counter().count())
                .isEqualTo(1.0);
        assertThat(registry.get("meterflow.recharge.soft.decline.limit.hits").counter().count()).isEqualTo(1.0);
    }

    @Test
    void shouldServeTheNamesTheAlertRulesAndTheDashboardAskFor() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        WorkerMonitor served = new WorkerMonitor(prometheus, clock);
        served.outcome("REFUSED_BEFORE_GATEWAY");
        served.softDeclineLimitHit();

        assertThat(prometheus.scrape())
                .contains("meterflow_recharge_outcomes_total{outcome=\"REFUSED_BEFORE_GATEWAY\"} 1.0")
                .contains("meterflow_recharge_soft_decline_limit_hits_total 1.0")
                .contains("meterflow_recharge_pending 0.0")
                .contains("meterflow_recharge_pending_oldest_seconds 0.0")
                .contains("meterflow_recharge_ready 0.0");
    }
}
