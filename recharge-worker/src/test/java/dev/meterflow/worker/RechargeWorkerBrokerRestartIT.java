package dev.meterflow.worker;

import static dev.meterflow.testdata.PaymentMethodBuilder.aMastercard;
import static dev.meterflow.testdata.PaymentMethodBuilder.aVisaCard;
import static dev.meterflow.testdata.RechargeRequestBuilder.aRechargeRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meterflow.gatewaysim.SimulatorSettings;
import dev.meterflow.schemas.PaymentResult;
import dev.meterflow.schemas.PaymentStatus;
import dev.meterflow.schemas.RechargeRequest;
import dev.meterflow.testdata.PaymentMethodBuilder;
import dev.meterflow.testdata.stack.BrokerStack;
import dev.meterflow.topics.Topics;
import dev.meterflow.worker.config.WorkerConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The recharge worker across a restart of its (only) broker, and across a group coordinator that forgot its
 * member (the worker's transactional offset commit is then refused): it must carry on, charge every request once
 * and publish one result for each. A broker of its own per test, on a data directory kept for the restart, so
 * neither the restart nor the group surgery disturbs another test.
 */
class RechargeWorkerBrokerRestartIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    /** The worker's session timeout, short as in the fault suite: a restart outlasts it. */
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(6);
    /**
     * How long the gateway takes over the charge in flight at the restart: the broker stays down until the charge
     * is made, longer than the session timeout.
     */
    private static final Duration GATEWAY_LATENCY = SESSION_TIMEOUT.plusSeconds(2);
    /**
     * How long the broker stays away while the worker records a gateway answer: longer than the attempt-log write
     * used to wait before it stopped the worker, 30 s for the acknowledgement or, after a clean broker shutdown (the
     * producer then has no metadata for the topic), the producer's 60 s {@code max.block.ms} inside the send.
     */
    private static final Duration LONG_OUTAGE = Duration.ofSeconds(75);
    /** How long a transactional call of the worker waits before it times out, in the test that needs many. */
    private static final Duration MAX_BLOCK = Duration.ofSeconds(2);
    /** Several of those timeouts, and longer than the worker's 10 s transaction timeout. */
    private static final Duration TRANSACTION_OUTAGE = Duration.ofSeconds(20);
    /** The consumer loop thread of {@link RechargeWorkerService}: alive until the worker stops, cleanly or not. */
    private static final String WORKER_LOOP_THREAD = "recharge-worker-loop";

    @RegisterExtension
    final WorkerStack stack = WorkerStack.perTest().withoutWorker();
    private final BrokerStack kafka = stack.kafka();
    private RechargeWorkerService worker;

    /**
     * A clean restart of this in-JVM broker: its coordinator loads the group back with the worker's member, and
     * the worker rejoins (the topic metadata changed) before it commits again, so no commit is refused here;
     * the next test makes the coordinator forget the member, as the fault suite's SIGKILL restarts did.
     */
    @Test
    void shouldKeepChargingOnceEachAfterTheBrokerRestarts() {
        // session and heartbeat as the fault suite runs the worker
        worker = startWorker(SESSION_TIMEOUT, Duration.ofMillis(1_500));
        List<String> requestIds = new ArrayList<>();
        List<String> before = send("before", 3);
        requestIds.addAll(before);
        awaitResults(before);

        // a charge is at the gateway (slow on purpose) when the broker goes down: the gateway makes it while the
        // broker is away (for longer than the session timeout), and the worker commits its result after the restart
        stack.simulator().updateSettings(SimulatorSettings.defaults().toBuilder().latency(GATEWAY_LATENCY).build());
        List<String> during = send("during", 1);
        requestIds.addAll(during);
        await("a charge in flight at the gateway").atMost(WAIT).until(() -> stack.simulator().paymentsInProgress() > 0);
        String bootstrapServers = kafka.bootstrapServers();
        kafka.stopBroker();
        await("the charge in flight made while the broker is down").atMost(WAIT)
                .until(() -> stack.simulator().successfulChargesByRequestId().keySet().containsAll(during));
        kafka.startBroker();
        assertThat(kafka.bootstrapServers()).isEqualTo(bootstrapServers);
        stack.simulator().updateSettings(SimulatorSettings.defaults());

        List<String> after = send("after", 3);
        requestIds.addAll(after);
        awaitResults(requestIds);

        assertChargedAndAnsweredOnceEach(requestIds);
    }

    /**
     * What a broker restart can leave behind (the fault suite saw it): a coordinator that no longer knows the
     * worker's member, so the worker's next transactional offset commit is refused ({@code UNKNOWN_MEMBER_ID},
     * a {@code CommitFailedException}). Here the member is removed from the group while a charge is at the
     * gateway; heartbeats are far apart, so the worker commits that charge's result before a heartbeat tells it.
     */
    @Test
    void shouldKeepChargingOnceEachWhenTheGroupCoordinatorForgetsTheWorker() throws Exception {
        worker = startWorker(Duration.ofSeconds(30), Duration.ofSeconds(10));
        List<String> requestIds = new ArrayList<>();
        List<String> before = send("before", 1);
        requestIds.addAll(before);
        awaitResults(before);

        stack.simulator().updateSettings(SimulatorSettings.defaults().toBuilder().latency(Duration.ofSeconds(1))
                .build());
        List<String> forgotten = send("forgotten", 1);
        requestIds.addAll(forgotten);
        await("a charge in flight at the gateway").atMost(WAIT).until(() -> stack.simulator().paymentsInProgress() > 0);
        try (Admin admin = kafka.admin()) {
            admin.removeMembersFromConsumerGroup(WorkerConfig.GROUP_ID.defaultValue(),
                    new RemoveMembersFromConsumerGroupOptions()).all().get();
        }
        stack.simulator().updateSettings(SimulatorSettings.defaults());

        List<String> after = send("after", 2);
        requestIds.addAll(after);
        awaitResults(requestIds);

        assertChargedAndAnsweredOnceEach(requestIds);
    }

    /**
     * A broker away for longer than {@code transaction.timeout.ms} comes back and aborts the transaction the worker
     * had open, bumping the producer's epoch: the worker's producer is fenced. The fault suite saw the worker exit so
     * after a slow broker restart on a loaded machine. Here another producer with the worker's
     * {@code transactional.id} bumps the epoch the same way; the worker must replace its producer and go on, and its
     * producer metrics must follow the replacement (they used to keep reading the closed producer).
     */
    @Test
    void shouldKeepChargingOnceEachAfterItsProducerIsFenced() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        worker = startWorker(Duration.ofSeconds(30), Duration.ofSeconds(3), registry);
        List<String> requestIds = new ArrayList<>();
        List<String> before = send("before-fence", 1);
        requestIds.addAll(before);
        awaitResults(before);

        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, WorkerConfig.TRANSACTIONAL_ID.defaultValue());
        try (KafkaProducer<byte[], byte[]> usurper =
                     new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            usurper.initTransactions();
        }

        List<String> after = send("after-fence", 3);
        requestIds.addAll(after);
        awaitResults(requestIds);
        double sentByTheReplacement = recordsSentByTheWorkersProducer(registry);
        List<String> later = send("after-replacement", 2);
        requestIds.addAll(later);
        awaitResults(requestIds);

        assertChargedAndAnsweredOnceEach(requestIds);
        await("the producer metric moving with the replacement's sends").atMost(WAIT)
                .until(() -> recordsSentByTheWorkersProducer(registry) > sentByTheReplacement);
    }

    /** {@code kafka_producer_record_send_total} of the worker's transactional producer, by its client id. */
    private static double recordsSentByTheWorkersProducer(MeterRegistry registry) {
        String clientId = "producer-" + WorkerConfig.TRANSACTIONAL_ID.defaultValue();
        List<Meter> meters =
                List.copyOf(registry.find("kafka.producer.record.send.total").tag("client.id", clientId).meters());
        assertThat(meters).as("the send counter of client %s", clientId).hasSize(1);
        return meters.get(0).measure().iterator().next().getValue();
    }

    /**
     * RELIABILITY.md, "The recharge worker exits when the broker stays away longer than 30 s while it records an
     * attempt": the gateway answers a charge while the broker is away, and the worker must record that answer before
     * it can publish the result. It waits, not ready, for as long as the broker is away (here longer than the write
     * timeout that used to stop it), then publishes one result for the one charge and carries on, ready again.
     */
    @Test
    void shouldWaitOutALongBrokerOutageWhileRecordingAnAttempt() {
        worker = startWorker(SESSION_TIMEOUT, Duration.ofMillis(1_500));
        List<String> requestIds = new ArrayList<>();
        List<String> before = send("before-outage", 1);
        requestIds.addAll(before);
        awaitResults(before);

        stack.simulator().updateSettings(SimulatorSettings.defaults().toBuilder().latency(Duration.ofSeconds(3))
                .build());
        List<String> during = send("outage", 1);
        requestIds.addAll(during);
        await("a charge in flight at the gateway").atMost(WAIT).until(() -> stack.simulator().paymentsInProgress() > 0);
        long brokerStopped = System.nanoTime();
        kafka.stopBroker();
        await("the charge made while the broker is away").atMost(WAIT)
                .until(() -> stack.simulator().successfulChargesByRequestId().keySet().containsAll(during));
        await("the worker waiting to record the gateway's answer, not ready").atMost(WAIT)
                .failFast("the recharge worker stopped", () -> !workerLoopRunning())
                .until(() -> worker.notReadyReason().orElse("")
                        .contains("attempt-log write(s) waiting for the broker"));
        await("the broker away for " + LONG_OUTAGE + ", the worker waiting all along").atMost(LONG_OUTAGE.plus(WAIT))
                .failFast("the recharge worker stopped", () -> !workerLoopRunning())
                .until(() -> Duration.ofNanos(System.nanoTime() - brokerStopped).compareTo(LONG_OUTAGE) >= 0
                        && worker.notReadyReason().isPresent());
        kafka.startBroker();
        stack.simulator().updateSettings(SimulatorSettings.defaults());

        awaitResults(during);
        List<String> after = send("after-outage", 2);
        requestIds.addAll(after);
        awaitResults(requestIds);

        assertChargedAndAnsweredOnceEach(requestIds);
        await("the worker ready again").atMost(WAIT).untilAsserted(() -> assertThat(worker.notReadyReason()).isEmpty());
    }

    /**
     * RELIABILITY.md, "The recharge worker exits after a commit timeout": the fault suite saw the worker's
     * {@code commitTransaction} time out ({@code max.block.ms}) during a broker restart; the worker stopped, and on its
     * way out its rebalance listener's {@code beginTransaction} was refused ("the previous call to commitTransaction
     * timed out and must be retried"). Here {@code max.block.ms} is 2 s, set through the worker's configuration. Right
     * after the commit of one request's result (the worker's own hook, on its poll thread), the test waits until a
     * second request's gateway answer is recorded, then stops the broker for longer than the transaction timeout: that
     * request's transaction times out for as long as the broker is away. The worker must wait, not ready, then publish
     * it once, whichever way the transaction ends (committed, or aborted and done again from the attempt log).
     */
    @Test
    void shouldWaitOutTheBrokerWithAFinishedRequestStillToPublish() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        // the consumer's reads give up sooner than by default (60 s; the admin client refuses less than the 30 s
        // request timeout): after an abort the worker reads its committed offsets to go back to, see below
        worker = stack.startWorker(Map.of("max.block.ms", Long.toString(MAX_BLOCK.toMillis()),
                "default.api.timeout.ms", "30000"), registry);
        List<String> requestIds = new ArrayList<>();
        List<String> before = send("unpublished-before", 1);
        requestIds.addAll(before);
        awaitResults(before);

        // the second request pays with a card whose answer comes late, so the first one's transaction commits alone
        String slowCard = aMastercard().build().getPaymentMethodId();
        stack.simulator().updateSettings(SimulatorSettings.defaults().toBuilder()
                .timeoutAfterCharge(Duration.ofSeconds(2), slowCard).build());
        double succeededBefore = succeeded(registry);
        AtomicBoolean brokerStopped = new AtomicBoolean();
        worker.afterEachCommit(() -> {
            // only the commit that carried the first request's result: not a late hook call of an earlier commit
            if (brokerStopped.get() || succeeded(registry) < succeededBefore + 1) {
                return;
            }
            await("the slow charge's answer recorded").atMost(WAIT)
                    .until(() -> succeeded(registry) >= succeededBefore + 2);
            kafka.stopBroker();
            brokerStopped.set(true);
        });
        List<String> during = List.of(sendPaying("unpublished-1", aVisaCard(), aMastercard()),
                sendPaying("unpublished-2", aMastercard(), aVisaCard()));
        requestIds.addAll(during);
        await("the broker stopped with the slow request's result unpublished").atMost(WAIT)
                .failFast("the recharge worker stopped", () -> !workerLoopRunning()).untilTrue(brokerStopped);
        long stoppedAt = System.nanoTime();
        await("the worker waiting for the broker to end its transaction, not ready").atMost(WAIT)
                .failFast("the recharge worker stopped", () -> !workerLoopRunning())
                .until(() -> waitingToEndOrGoBack(worker.notReadyReason().orElse("")));
        await("the broker away for " + TRANSACTION_OUTAGE + ", the worker waiting all along")
                .atMost(TRANSACTION_OUTAGE.plus(WAIT))
                .failFast("the recharge worker stopped", () -> !workerLoopRunning())
                .until(() -> Duration.ofNanos(System.nanoTime() - stoppedAt).compareTo(TRANSACTION_OUTAGE) >= 0
                        && worker.notReadyReason().isPresent());
        kafka.startBroker();
        stack.simulator().updateSettings(SimulatorSettings.defaults());

        awaitResults(during);
        List<String> after = send("unpublished-after", 2);
        requestIds.addAll(after);
        awaitResults(requestIds);

        assertChargedAndAnsweredOnceEach(requestIds);
    }

    /**
     * Which of its calls waits depends on when the broker went: its commit, or a write that timed out and then the
     * abort, or (the abort done) the read of the committed offsets to go back to; the last was seen in a loaded verify.
     */
    private static boolean waitingToEndOrGoBack(String notReadyReason) {
        return notReadyReason.contains("Transaction waiting for the broker")
                || notReadyReason.contains("committed offsets waiting for the broker");
    }

    private static double succeeded(MeterRegistry registry) {
        Counter counter = registry.find("meterflow.recharge.outcomes").tag("outcome", "SUCCEEDED").counter();
        return counter == null ? 0 : counter.count();
    }

    /** One committed payment result and one successful charge per request, and the worker still running. */
    private void assertChargedAndAnsweredOnceEach(List<String> requestIds) {
        Map<String, Long> resultsPerRequest = results().stream()
                .collect(Collectors.groupingBy(PaymentResult::getRequestId, Collectors.counting()));
        assertThat(resultsPerRequest).containsOnlyKeys(requestIds).allSatisfy((requestId, count) ->
                assertThat(count).as("payment results of %s", requestId).isEqualTo(1L));
        assertThat(results()).allSatisfy(result -> assertThat(result.getStatus()).isEqualTo(PaymentStatus.SUCCEEDED));
        assertThat(stack.simulator().successfulChargesByRequestId()).containsOnlyKeys(requestIds).allSatisfy(
                (requestId, charges) -> assertThat(charges).as("successful charges of %s", requestId).hasSize(1));
        assertThat(workerLoopRunning()).as("the worker is still running").isTrue();
    }

    /** Waits for a committed payment result of every request, failing at once if the worker stops. */
    private void awaitResults(List<String> requestIds) {
        await("a payment result for each of " + requestIds).atMost(WAIT)
                .failFast("the recharge worker stopped", () -> !workerLoopRunning())
                .until(() -> results().stream().map(PaymentResult::getRequestId).toList()
                        .containsAll(requestIds));
    }

    private static boolean workerLoopRunning() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(thread -> WORKER_LOOP_THREAD.equals(thread.getName()) && thread.isAlive());
    }

    private RechargeWorkerService startWorker(Duration sessionTimeout, Duration heartbeatInterval) {
        return startWorker(sessionTimeout, heartbeatInterval, new SimpleMeterRegistry());
    }

    private RechargeWorkerService startWorker(Duration sessionTimeout, Duration heartbeatInterval,
                                              MeterRegistry registry) {
        return stack.startWorker(Map.of("session.timeout.ms", Long.toString(sessionTimeout.toMillis()),
                "heartbeat.interval.ms", Long.toString(heartbeatInterval.toMillis())), registry);
    }

    /** Sends {@code count} requests, each for an account of its own; returns their request ids. */
    private List<String> send(String phase, int count) {
        List<RechargeRequest> requests = IntStream.rangeClosed(1, count)
                .mapToObj(i -> aRechargeRequest().withId("rr-restart-" + phase + "-" + i)
                        .forAccount("acct-restart-" + phase + "-" + i)
                        .payingWith(aVisaCard().primary(), aMastercard().backup()).build())
                .toList();
        requests.forEach(request -> kafka.send(Topics.RECHARGE_REQUESTS, request.getAccountId(), request));
        kafka.flush();
        return requests.stream().map(RechargeRequest::getRequestId).toList();
    }

    /** Sends one request of an account of its own, paying with these cards; returns its id. */
    private String sendPaying(String name, PaymentMethodBuilder primary, PaymentMethodBuilder backup) {
        RechargeRequest request = aRechargeRequest().withId("rr-restart-" + name).forAccount("acct-restart-" + name)
                .payingWith(primary.primary(), backup.backup()).build();
        kafka.send(Topics.RECHARGE_REQUESTS, request.getAccountId(), request);
        kafka.flush();
        return request.getRequestId();
    }

    private List<PaymentResult> results() {
        return kafka.values(Topics.PAYMENT_RESULTS);
    }
}
