package dev.meterflow.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meterflow.gatewaysim.Charge;
import dev.meterflow.gatewaysim.GatewaySimulator;
import dev.meterflow.gatewaysim.SimulatorSettings;
import dev.meterflow.local.faults.ChildJvm;
import dev.meterflow.schemas.PaymentMethodRef;
import dev.meterflow.schemas.PaymentMethodRole;
import dev.meterflow.schemas.PaymentMethodType;
import dev.meterflow.schemas.PaymentResult;
import dev.meterflow.schemas.PaymentStatus;
import dev.meterflow.schemas.RechargeReason;
import dev.meterflow.schemas.RechargeRequest;
import dev.meterflow.topics.Topics;
import dev.meterflow.worker.RechargeWorkerApp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, the worker's side: no record on {@code recharge-requests} can stop the recharge worker. It runs as a
 * process of its own against a real broker and the gateway simulator; the topic gets random bytes, an empty value,
 * a value of another type, a null value, nearly 1 MB of garbage and a request it must refuse; each goes to
 * {@code recharge-requests-dlq} with its reason, nothing is charged for them, and the good request after them is
 * charged exactly once, also after a restart.
 */
class BadRechargeRequestsEndToEndIT {

    private static final String ACCOUNT = "acct-bad-requests";
    private static final Duration WAIT = Duration.ofSeconds(120);
    /** Just under the broker's 1 MB limit: accepted on the way in, too large to copy with its headers. */
    private static final int NEAR_LIMIT = 1_048_000;

    @TempDir
    static Path workDir;

    @RegisterExtension
    static final EndToEndCluster cluster = EndToEndCluster.perClass();
    private static GatewaySimulator gateway;
    private static ChildJvm worker;

    @BeforeAll
    static void startBrokerGatewayAndWorker() throws IOException {
        gateway = GatewaySimulator.start(0, SimulatorSettings.defaults());
        Path config = workDir.resolve("worker.properties");
        Files.writeString(config, "bootstrap.servers=" + cluster.bootstrapServers() + "\n"
                + "meterflow.gateway.base-url=" + gateway.baseUrl() + "\n"
                + "meterflow.shutdown-timeout=PT10S\n");
        worker = new ChildJvm("worker-bad-requests", RechargeWorkerApp.class.getName(),
                List.of("--config", config.toString()), Map.of("METERFLOW_GATEWAY_API_KEY",
                EndToEndCluster.GATEWAY_API_KEY), Path.of("target", "worker-bad-requests-child.log"), "256m");
        worker.start();
    }

    @AfterAll
    static void stop() {
        if (worker != null) {
            worker.kill();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void shouldDeadLetterEveryKindOfBadRequestChargeNothingForThemAndChargeTheGoodOneOnce() {
        // given the worker answering
        assertChargedOnce("rr-before");

        // when every kind of bad record arrives, then a good request
        Map<String, RecordMetadata> bad = sendEveryKind();
        assertChargedOnce("rr-after");

        // then each bad record is in recharge-requests-dlq by its source, with a reason, none copied whole if too large
        await().atMost(WAIT).untilAsserted(() -> {
            Map<String, ConsumerRecord<byte[], byte[]>> deadLetters = deadLettersBySource();
            bad.forEach((kind, sent) -> assertThat(deadLetters).as("dead letter of the %s record", kind)
                    .containsKey("recharge-requests/" + sent.partition() + "/" + sent.offset()));
        });
        Map<String, ConsumerRecord<byte[], byte[]>> deadLetters = deadLettersBySource();
        bad.forEach((kind, sent) -> {
            ConsumerRecord<byte[], byte[]> letter = deadLetters.get("recharge-requests/" + sent.partition() + "/"
                    + sent.offset());
            assertThat(EndToEndCluster.header(letter, Topics.REASON_HEADER)).as(kind)
                    .isEqualTo(kind.equals("refused") ? "AMOUNT_OUT_OF_BOUNDS" : "UNDECODABLE");
            assertThat(letter.serializedValueSize()).as("copy of the %s record", kind).isLessThan(NEAR_LIMIT);
        });
        // and the refused request is answered FAILED, never charged
        assertThat(results("rr-refused")).extracting(PaymentResult::getStatus).containsExactly(PaymentStatus.FAILED);
        assertThat(gateway.charges()).noneMatch(charge -> "rr-refused".equals(charge.requestId()));

        // and a restart reads none of them again: nothing more charged, answered or dead-lettered
        int letters = cluster.records(Topics.RECHARGE_REQUESTS_DLQ.name(), IsolationLevel.READ_COMMITTED).size();
        assertThat(worker.stop()).as("stopped on SIGTERM").isTrue();
        worker.start();
        assertChargedOnce("rr-after-restart");
        assertChargedOnce("rr-after");
        assertThat(cluster.records(Topics.RECHARGE_REQUESTS_DLQ.name(), IsolationLevel.READ_COMMITTED))
                .hasSize(letters);
        assertThat(results("rr-refused")).hasSize(1);
    }

    /** One of each kind of bad record, by kind. */
    private static Map<String, RecordMetadata> sendEveryKind() {
        byte[] nearLimit = new byte[NEAR_LIMIT];
        new Random(16).nextBytes(nearLimit);
        byte[] otherType = Topics.USAGE_EVENTS.valueSerde().serializer().serialize(Topics.USAGE_EVENTS.name(),
                LiveRecords.aUsageEvent().withEventId("not-a-request").forAccount(ACCOUNT).build());
        Map<String, RecordMetadata> sent = new LinkedHashMap<>();
        String topic = Topics.RECHARGE_REQUESTS.name();
        byte[] garbage = "\u0007garbage".getBytes(StandardCharsets.UTF_8);
        sent.put("undecodable", cluster.publishRaw(topic, ACCOUNT, garbage));
        sent.put("empty", cluster.publishRaw(topic, ACCOUNT, new byte[0]));
        sent.put("another type", cluster.publishRaw(topic, ACCOUNT, otherType));
        sent.put("null", cluster.publishRaw(topic, ACCOUNT, null));
        sent.put("nearly 1 MB", cluster.publishRaw(topic, ACCOUNT, nearLimit));
        sent.put("refused", cluster.publish(Topics.RECHARGE_REQUESTS, ACCOUNT, request("rr-refused", 10)));
        return sent;
    }

    /** A good request is answered SUCCEEDED once and charged once at the gateway, the worker still running. */
    private static void assertChargedOnce(String requestId) {
        if (results(requestId).isEmpty()) {
            cluster.publish(Topics.RECHARGE_REQUESTS, ACCOUNT, request(requestId, 2_000));
        }
        await().atMost(WAIT).untilAsserted(() -> {
            worker.assertAlive();
            assertThat(results(requestId)).extracting(PaymentResult::getStatus)
                    .containsExactly(PaymentStatus.SUCCEEDED);
        });
        assertThat(gateway.charges()).filteredOn(charge -> requestId.equals(charge.requestId()))
                .filteredOn(Charge::succeeded).hasSize(1);
    }

    private static List<PaymentResult> results(String requestId) {
        return cluster.values(Topics.PAYMENT_RESULTS, ACCOUNT).stream()
                .filter(result -> result.getRequestId().equals(requestId)).toList();
    }

    private static Map<String, ConsumerRecord<byte[], byte[]>> deadLettersBySource() {
        Map<String, ConsumerRecord<byte[], byte[]>> bySource = new LinkedHashMap<>();
        cluster.records(Topics.RECHARGE_REQUESTS_DLQ.name(), IsolationLevel.READ_COMMITTED)
                .forEach(record -> bySource.put(EndToEndCluster.header(record, "meterflow.source"), record));
        return bySource;
    }

    private static RechargeRequest request(String requestId, long cents) {
        PaymentMethodRef card = PaymentMethodRef.newBuilder().setPaymentMethodId("pm_card_visa__" + ACCOUNT)
                .setCustomerId("cus_badrequests").setType(PaymentMethodType.CARD).setBrand("visa").setLast4("4242")
                .setRole(PaymentMethodRole.PRIMARY).build();
        return RechargeRequest.newBuilder().setRequestId(requestId).setAccountId(ACCOUNT)
                .setReason(RechargeReason.AUTO_RECHARGE).setAmountCents(cents).setCurrency("USD")
                .setPaymentMethods(List.of(card)).setBalanceMicros(0).setThresholdMicros(0).setTargetMicros(0)
                .setRequestedAt(Instant.now()).setBillingEmails(List.of("billing@bad-requests.example"))
                .setCriticalBillingPhone(null).build();
    }
}
