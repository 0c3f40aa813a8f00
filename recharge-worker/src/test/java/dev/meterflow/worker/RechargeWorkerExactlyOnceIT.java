package dev.meterflow.worker;

import static dev.meterflow.testdata.PaymentMethodBuilder.aVisaCard;
import static dev.meterflow.testdata.PaymentMethodBuilder.anAmexCard;
import static dev.meterflow.testdata.RechargeRequestBuilder.aRechargeRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meterflow.embedded.EmbeddedKafka;
import dev.meterflow.gatewaysim.GatewaySimulator;
import dev.meterflow.gatewaysim.SimulatorSettings;
import dev.meterflow.schemas.BillingNotification;
import dev.meterflow.schemas.PaymentResult;
import dev.meterflow.schemas.PaymentStatus;
import dev.meterflow.schemas.Receipt;
import dev.meterflow.schemas.RechargeRequest;
import dev.meterflow.topics.Topic;
import dev.meterflow.topics.TopicReader;
import dev.meterflow.topics.Topics;
import dev.meterflow.worker.attempts.AttemptLogEntry;
import dev.meterflow.worker.attempts.KafkaAttemptStore;
import dev.meterflow.worker.config.WorkerConfig;
import dev.meterflow.worker.gateway.ChargeCommand;
import dev.meterflow.worker.gateway.stripe.StripeGateway;
import dev.meterflow.worker.recharge.Attempt;
import dev.meterflow.testdata.TestData;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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

    private EmbeddedKafka kafka;
    private KafkaProducer<byte[], byte[]> producer;
    private GatewaySimulator simulator;
    private RechargeWorkerService worker;

    @BeforeEach
    void start() {
        kafka = EmbeddedKafka.start(null);
        kafka.createTopics(Topics.ALL.stream()
                .map(topic -> new EmbeddedKafka.TopicSpec(topic.name(), 2, topic.compacted())).toList());
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        simulator = GatewaySimulator.start(0, SimulatorSettings.defaults());
        worker = startWorker();
    }

    @AfterEach
    void stop() {
        worker.close();
        simulator.close();
        producer.close();
        kafka.close();
    }

    @Test
    void shouldPublishNothingAgainWhenTheWorkerDiesRightAfterCommittingAResult() {
        holdTheGatewayAnswerOf("rr-held", "acct-held");
        // a crash right after the transaction with this result commits, before anything else runs
        AtomicBoolean armed = new AtomicBoolean(true);
        worker.afterEachCommit(() -> {
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

        worker.close();
        restartWithTheGatewayAnswering();

        assertThat(results("rr-done")).hasSize(1);
        assertThat(values(Topics.RECEIPTS, Receipt::getRequestId)).containsEntry("rr-done", 1L);
        assertThat(values(Topics.BILLING_NOTIFICATIONS, BillingNotification::getNotificationId))
                .containsEntry("recharge-receipt:acct-done:rr-done", 1L)
                .allSatisfy((id, count) -> assertThat(count).as("notices %s", id).isEqualTo(1L));
        assertThat(simulator.successfulChargesByRequestId().get("rr-done")).hasSize(1);
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

        worker.halt();
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
        worker.close();
        String key = ChargeCommand.idempotencyKey("rr-legacy", TestData.VISA);
        try (KafkaAttemptStore log = KafkaAttemptStore.open(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                Topics.RECHARGE_ATTEMPTS.name())) {
            log.record(AttemptLogEntry.opened("rr-legacy", "acct-legacy", 3_575)
                    .with(Attempt.started(TestData.VISA, key, System.currentTimeMillis())));
        }
        worker = startWorker();
        String[] elevenEmails = IntStream.rangeClosed(1, 11).mapToObj(i -> "b" + i + "@legacy.example")
                .toArray(String[]::new);

        send(aRechargeRequest().withId("rr-legacy").forAccount("acct-legacy").amountCents(3_575)
                .payingWith(aVisaCard().primary()).billingEmails(elevenEmails).build());

        PaymentResult result = await().atMost(WAIT).until(() -> results("rr-legacy"), list -> !list.isEmpty()).get(0);
        assertThat(result.getStatus()).isEqualTo(PaymentStatus.SUCCEEDED);
        assertThat(deadLettered("acct-legacy")).isZero();
        assertThat(simulator.successfulChargesByRequestId().get("rr-legacy")).hasSize(1);
    }

    /** A request whose charge the gateway makes but does not answer for 60 s: it stays open, first in line. */
    private void holdTheGatewayAnswerOf(String requestId, String accountId) {
        simulator.updateSettings(SimulatorSettings.defaults().toBuilder()
                .timeoutAfterCharge(Duration.ofSeconds(60), TestData.AMEX).build());
        send(aRechargeRequest().withId(requestId).forAccount(accountId).payingWith(anAmexCard().primary()).build());
        await("a charge held at the gateway").atMost(WAIT)
                .until(() -> simulator.successfulChargesByRequestId().containsKey(requestId));
    }

    /** A new worker, the held answer released: it finishes every request on the partition. */
    private void restartWithTheGatewayAnswering() {
        simulator.updateSettings(SimulatorSettings.defaults());
        worker = startWorker();
        await("the worker caught up on the partition").atMost(WAIT).until(() -> !results("rr-held").isEmpty()
                && committedOffset() == endOffset());
    }

    private RechargeWorkerService startWorker() {
        Properties props = new Properties();
        props.setProperty("bootstrap.servers", kafka.bootstrapServers());
        props.setProperty("meterflow.gateway.base-url", simulator.baseUrl());
        props.setProperty("meterflow.gateway.api-key", "sk_test_meterflow_it");
        props.setProperty("meterflow.gateway.rate-limit", "200");
        props.setProperty("meterflow.unknown.retry-backoff", "PT0.1S");
        props.setProperty("meterflow.reconcile-interval", "PT1S");
        props.setProperty("meterflow.shutdown-timeout", "PT1S");
        WorkerConfig config = WorkerConfig.from(props);
        return RechargeWorkerService.start(config, new StripeGateway(config.gatewayApiKey(),
                config.get(WorkerConfig.GATEWAY_BASE_URL), Duration.ofSeconds(30)));
    }

    private void send(RechargeRequest request) {
        sendRaw(request.getAccountId(), Topics.RECHARGE_REQUESTS.valueSerde().serializer()
                .serialize(Topics.RECHARGE_REQUESTS.name(), request));
    }

    private void sendRaw(String key, byte[] value) {
        producer.send(new ProducerRecord<>(Topics.RECHARGE_REQUESTS.name(), PARTITION,
                key.getBytes(StandardCharsets.UTF_8), value));
        producer.flush();
    }

    private List<PaymentResult> results(String requestId) {
        return records(Topics.PAYMENT_RESULTS.name()).stream()
                .map(record -> Topics.PAYMENT_RESULTS.valueSerde().deserializer()
                        .deserialize(Topics.PAYMENT_RESULTS.name(), record.value()))
                .filter(result -> result.getRequestId().equals(requestId)).toList();
    }

    /** How often each id appears on the topic. */
    private <V> Map<String, Long> values(Topic<String, V> topic, Function<V, String> id) {
        return records(topic.name()).stream()
                .map(record -> topic.valueSerde().deserializer().deserialize(topic.name(), record.value()))
                .collect(Collectors.groupingBy(id, Collectors.counting()));
    }

    private long deadLettered(String key) {
        return records(Topics.RECHARGE_REQUESTS_DLQ.name()).stream()
                .filter(record -> key.equals(new String(record.key(), StandardCharsets.UTF_8))).count();
    }

    private List<ConsumerRecord<byte[], byte[]>> records(String topic) {
        return TopicReader.readCommitted(kafka.bootstrapServers(), topic);
    }

    private long committedOffset() throws Exception {
        try (Admin admin = kafka.admin()) {
            OffsetAndMetadata committed = admin.listConsumerGroupOffsets(WorkerConfig.GROUP_ID.defaultValue())
                    .partitionsToOffsetAndMetadata().get().get(partition());
            return committed == null ? -1 : committed.offset();
        }
    }

    private long endOffset() throws Exception {
        try (Admin admin = kafka.admin()) {
            return admin.listOffsets(Map.of(partition(), OffsetSpec.latest())).all().get().get(partition()).offset();
        }
    }

    private static TopicPartition partition() {
        return new TopicPartition(Topics.RECHARGE_REQUESTS.name(), PARTITION);
    }
}
