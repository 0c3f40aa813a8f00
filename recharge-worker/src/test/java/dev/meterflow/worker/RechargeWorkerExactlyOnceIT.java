package dev.meterflow.worker;

import static dev.meterflow.testdata.PaymentMethodBuilder.aVisaCard;
import static dev.meterflow.testdata.PaymentMethodBuilder.anAmexCard;
import static dev.meterflow.testdata.RechargeRequestBuilder.aRechargeRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meterflow.gatewaysim.SimulatorSettings;
import dev.meterflow.schemas.BillingNotification;
import dev.meterflow.schemas.PaymentResult;
import dev.meterflow.schemas.PaymentStatus;
import dev.meterflow.schemas.Receipt;
import dev.meterflow.schemas.RechargeRequest;
import dev.meterflow.topics.Topic;
import dev.meterflow.topics.Topics;
import dev.meterflow.worker.attempts.AttemptLogEntry;
import dev.meterflow.worker.attempts.KafkaAttemptStore;
import dev.meterflow.worker.config.WorkerConfig;
import dev.meterflow.worker.gateway.ChargeCommand;
import dev.meterflow.worker.recharge.Attempt;
import dev.meterflow.testdata.TestData;
import dev.meterflow.testdata.stack.BrokerStack;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 15: a request whose outputs were committed publishes nothing again, whatever the timing of a crash. The
 * worker's committed offset stops at the oldest unfinished request of a partition (here one whose gateway answer
 * the simulator holds), so everything that finished behind it is read again after a restart: a SUCCEEDED result
 * and its duplicate at a later offset, a refusal of a reused request id, a dead-letter. A broker of its own per
 * test, so no test sees another's committed offsets.
 */
class RechargeWorkerExactlyOnceIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    /** Every request of these tests goes to this partition, behind the one held open at the gateway. */
    private static final int PARTITION = 0;

    @RegisterExtension
    final WorkerStack stack = WorkerStack.perTest()
            .withWorkerSettings(Map.of(WorkerConfig.SHUTDOWN_TIMEOUT.name(), "PT1S"));
    private final BrokerStack kafka = stack.kafka();

    @Test
    void shouldPublishNothingAgainWhenTheWorkerDiesRightAfterCommittingAResult() {
        holdTheGatewayAnswerOf("rr-held", "acct-held");
        // a crash right after the transaction with this result commits, before anything else runs
        AtomicBoolean armed = new AtomicBoolean(true);
        stack.worker().afterEachCommit(() -> {
            if (armed.compareAndSet(true, false)) {
                throw new IllegalStateException("simulated crash right after a commit (test hook)");
            }
        });
        RechargeRequest done = aRechargeRequest().withId("rr-done").forAccount("acct-done")
                .payingWith(aVisaCard().primary()).build();
        send(done);
        send(done); // a duplicate at a later offset: it finds the request completed
        await("the result committed, then the crash").atMost(WAIT)
                .until(() -> !results("rr-done").isEmpty() && !armed.get());

        stack.stopWorker();
        restartWithTheGatewayAnswering();

        assertThat(results("rr-done")).hasSize(1);
        assertThat(values(Topics.RECEIPTS, Receipt::getRequestId)).containsEntry("rr-done", 1L);
        assertThat(values(Topics.BILLING_NOTIFICATIONS, BillingNotification::getNotificationId))
                .containsEntry("recharge-receipt:acct-done:rr-done", 1L)
                .allSatisfy((id, count) -> assertThat(count).as("notices %s", id).isEqualTo(1L));
        assertThat(stack.simulator().successfulChargesByRequestId().get("rr-done")).hasSize(1);
    }

    @Test
    void shouldNeitherRefuseNorDeadLetterTheSameRecordAgainAfterARestart() {
        RechargeRequest original = aRechargeRequest().withId("rr-reused").forAccount("acct-reused")
                .payingWith(aVisaCard().primary()).amountCents(3_500).build();
        send(original);
        await().atMost(WAIT).until(() -> !results("rr-reused").isEmpty());
        holdTheGatewayAnswerOf("rr-held", "acct-held");
        send(RechargeRequest.newBuilder(original).setAmountCents(3_600).build());
        sendRaw("acct-garbage", new byte[] {1, 2, 3});
        await("the refusal and the dead-letter committed").atMost(WAIT)
                .until(() -> results("rr-reused").size() == 2 && deadLettered("acct-garbage") == 1);

        stack.worker().halt();
        restartWithTheGatewayAnswering();

        assertThat(results("rr-reused")).extracting(PaymentResult::getStatus)
                .containsExactlyInAnyOrder(PaymentStatus.SUCCEEDED, PaymentStatus.FAILED);
        assertThat(deadLettered("acct-garbage")).isEqualTo(1);
    }

    /**
     * Issue 17: a request that went to the gateway before the worker checked requests (its attempt is on record,
     * the charge may have happened) is finished from its attempts, never refused half-way.
     */
    @Test
    void shouldFinishARequestAlreadyAtTheGatewayEvenIfItWouldNowBeRefused() {
        stack.stopWorker();
        String key = ChargeCommand.idempotencyKey("rr-legacy", TestData.VISA);
        try (KafkaAttemptStore log = KafkaAttemptStore.open(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                Topics.RECHARGE_ATTEMPTS.name())) {
            log.record(AttemptLogEntry.opened("rr-legacy", "acct-legacy", 3_575)
                    .with(Attempt.started(TestData.VISA, key, System.currentTimeMillis())));
        }
        stack.startWorker();
        String[] elevenEmails = IntStream.rangeClosed(1, 11).mapToObj(i -> "b" + i + "@legacy.example")
                .toArray(String[]::new);

        send(aRechargeRequest().withId("rr-legacy").forAccount("acct-legacy").amountCents(3_575)
                .payingWith(aVisaCard().primary()).billingEmails(elevenEmails).build());

        PaymentResult result = await().atMost(WAIT).until(() -> results("rr-legacy"), list -> !list.isEmpty()).get(0);
        assertThat(result.getStatus()).isEqualTo(PaymentStatus.SUCCEEDED);
        assertThat(deadLettered("acct-legacy")).isZero();
        assertThat(stack.simulator().successfulChargesByRequestId().get("rr-legacy")).hasSize(1);
    }

    /** A request whose charge the gateway makes but does not answer for 60 s: it stays open, first in line. */
    private void holdTheGatewayAnswerOf(String requestId, String accountId) {
        stack.simulator().updateSettings(SimulatorSettings.defaults().toBuilder()
                .timeoutAfterCharge(Duration.ofSeconds(60), TestData.AMEX).build());
        send(aRechargeRequest().withId(requestId).forAccount(accountId).payingWith(anAmexCard().primary()).build());
        await("a charge held at the gateway").atMost(WAIT)
                .until(() -> stack.simulator().successfulChargesByRequestId().containsKey(requestId));
    }

    /** A new worker, the held answer released: it finishes every request on the partition. */
    private void restartWithTheGatewayAnswering() {
        stack.simulator().updateSettings(SimulatorSettings.defaults());
        stack.startWorker();
        await("the worker caught up on the partition").atMost(WAIT).until(() -> !results("rr-held").isEmpty()
                && committedOffset() == endOffset());
    }

    private void send(RechargeRequest request) {
        sendRaw(request.getAccountId(), Topics.RECHARGE_REQUESTS.valueSerde().serializer()
                .serialize(Topics.RECHARGE_REQUESTS.name(), request));
    }

    private void sendRaw(String key, byte[] value) {
        kafka.publishRaw(Topics.RECHARGE_REQUESTS.name(), PARTITION, key, value);
    }

    private List<PaymentResult> results(String requestId) {
        return kafka.values(Topics.PAYMENT_RESULTS).stream()
                .filter(result -> result.getRequestId().equals(requestId)).toList();
    }

    /** How often each id appears on the topic. */
    private <V> Map<String, Long> values(Topic<String, V> topic, Function<V, String> id) {
        return kafka.values(topic).stream().collect(Collectors.groupingBy(id, Collectors.counting()));
    }

    private long deadLettered(String key) {
        return kafka.records(Topics.RECHARGE_REQUESTS_DLQ.name()).stream()
                .filter(record -> key.equals(BrokerStack.keyOf(record))).count();
    }

    private long committedOffset() {
        return kafka.committedOffsets(WorkerConfig.GROUP_ID.defaultValue(), Topics.RECHARGE_REQUESTS.name())
                .getOrDefault(partition(), -1L);
    }

    private long endOffset() {
        return kafka.endOffsets(Topics.RECHARGE_REQUESTS.name()).get(partition());
    }

    private static TopicPartition partition() {
        return new TopicPartition(Topics.RECHARGE_REQUESTS.name(), PARTITION);
    }
}
