package dev.meterflow.worker;

import static dev.meterflow.testdata.PaymentMethodBuilder.aMastercard;
import static dev.meterflow.testdata.PaymentMethodBuilder.aVisaCard;
import static dev.meterflow.testdata.RechargeRequestBuilder.aRechargeRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meterflow.embedded.EmbeddedKafka;
import dev.meterflow.gatewaysim.GatewaySimulator;
import dev.meterflow.gatewaysim.SimulatorSettings;
import dev.meterflow.schemas.PaymentResult;
import dev.meterflow.schemas.PaymentStatus;
import dev.meterflow.schemas.RechargeRequest;
import dev.meterflow.testdata.HangingTransactionBlocker;
import dev.meterflow.topics.TopicReader;
import dev.meterflow.topics.Topics;
import dev.meterflow.worker.config.WorkerConfig;
import dev.meterflow.worker.gateway.stripe.StripeGateway;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RELIABILITY.md, "A transaction left open on {@code recharge-attempts} by a broker kill stops the recharge worker
 * for good": a transaction no coordinator has open kept the attempt log's last stable offset below its end, so the
 * worker's read of the log at start-up gave up after two minutes, on every restart. The worker now has the hanging
 * transaction aborted while it reads, starts, and charges each request once.
 */
class RechargeWorkerHangingTransactionIT {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dataDir;

    private EmbeddedKafka kafka;
    private GatewaySimulator simulator;
    private RechargeWorkerService worker;

    @BeforeEach
    void startBrokerAndSimulator() {
        kafka = EmbeddedKafka.start(dataDir);
        kafka.createTopics(Topics.ALL.stream()
                .map(topic -> new EmbeddedKafka.TopicSpec(topic.name(), 2, topic.compacted())).toList());
        simulator = GatewaySimulator.start(0, SimulatorSettings.defaults());
    }

    @AfterEach
    void stop() {
        if (worker != null) {
            worker.close();
        }
        if (simulator != null) {
            simulator.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldAbortAHangingAttemptLogTransactionThenStartAndChargeOnceEach() throws Exception {
        // given a worker that charged, then stopped
        worker = startWorker();
        List<String> requestIds = new ArrayList<>(send("before", 2));
        awaitResults(requestIds);
        worker.close();
        worker = null;

        // and a transaction no coordinator has open on the attempt log, last written an hour ago
        TopicPartition attemptLog = new TopicPartition(Topics.RECHARGE_ATTEMPTS.name(), 0);
        HangingTransactionBlocker.hangOn(kafka.bootstrapServers(), attemptLog,
                Instant.now().minus(Duration.ofHours(1)));

        // when the worker starts again (it used to give up reading the attempt log here, on every restart)
        worker = startWorker();

        // then the hanging transaction is gone and the worker charges what comes, once each
        assertThat(openTransactions(attemptLog)).as("transactions open on %s", attemptLog).isZero();
        requestIds.addAll(send("after", 3));
        awaitResults(requestIds);
        assertChargedAndAnsweredOnceEach(requestIds);
    }

    private long openTransactions(TopicPartition partition) throws Exception {
        try (Admin admin = kafka.admin()) {
            return admin.describeProducers(List.of(partition)).partitionResult(partition).get().activeProducers()
                    .stream().filter(producer -> producer.currentTransactionStartOffset().isPresent()).count();
        }
    }

    private void assertChargedAndAnsweredOnceEach(List<String> requestIds) {
        Map<String, Long> resultsPerRequest = results().stream()
                .collect(Collectors.groupingBy(PaymentResult::getRequestId, Collectors.counting()));
        assertThat(resultsPerRequest).containsOnlyKeys(requestIds).allSatisfy((requestId, count) ->
                assertThat(count).as("payment results of %s", requestId).isEqualTo(1L));
        assertThat(results()).allSatisfy(result -> assertThat(result.getStatus()).isEqualTo(PaymentStatus.SUCCEEDED));
        assertThat(simulator.successfulChargesByRequestId()).containsOnlyKeys(requestIds).allSatisfy(
                (requestId, charges) -> assertThat(charges).as("successful charges of %s", requestId).hasSize(1));
    }

    private void awaitResults(List<String> requestIds) {
        await("a payment result for each of " + requestIds).atMost(WAIT)
                .until(() -> results().stream().map(PaymentResult::getRequestId).toList().containsAll(requestIds));
    }

    private RechargeWorkerService startWorker() {
        Properties props = new Properties();
        props.setProperty("bootstrap.servers", kafka.bootstrapServers());
        props.setProperty("meterflow.gateway.base-url", simulator.baseUrl());
        props.setProperty("meterflow.gateway.api-key", "sk_test_meterflow_it");
        props.setProperty("meterflow.gateway.rate-limit", "200");
        props.setProperty("meterflow.shutdown-timeout", "PT5S");
        WorkerConfig config = WorkerConfig.from(props);
        return RechargeWorkerService.start(config, new StripeGateway(config.gatewayApiKey(),
                config.get(WorkerConfig.GATEWAY_BASE_URL), Duration.ofSeconds(30)), new SimpleMeterRegistry());
    }

    /** Sends {@code count} requests, each for an account of its own; returns their request ids. */
    private List<String> send(String phase, int count) {
        List<RechargeRequest> requests = IntStream.rangeClosed(1, count)
                .mapToObj(i -> aRechargeRequest().withId("rr-hanging-" + phase + "-" + i)
                        .forAccount("acct-hanging-" + phase + "-" + i)
                        .payingWith(aVisaCard().primary(), aMastercard().backup()).build())
                .toList();
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (RechargeRequest request : requests) {
                producer.send(new ProducerRecord<>(Topics.RECHARGE_REQUESTS.name(),
                        request.getAccountId().getBytes(StandardCharsets.UTF_8),
                        Topics.RECHARGE_REQUESTS.valueSerde().serializer()
                                .serialize(Topics.RECHARGE_REQUESTS.name(), request)));
            }
            producer.flush();
        }
        return requests.stream().map(RechargeRequest::getRequestId).toList();
    }

    private List<PaymentResult> results() {
        return TopicReader.readCommitted(kafka.bootstrapServers(), Topics.PAYMENT_RESULTS.name()).stream()
                .map(record -> Topics.PAYMENT_RESULTS.valueSerde().deserializer()
                        .deserialize(Topics.PAYMENT_RESULTS.name(), record.value()))
                .toList();
    }
}
