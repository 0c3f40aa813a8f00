package dev.meterflow.local;

import static dev.meterflow.local.LiveRecords.settingsFor;
import static dev.meterflow.testdata.PaymentMethodBuilder.aCardWithInsufficientFunds;
import static dev.meterflow.testdata.PaymentMethodBuilder.aVisaCard;
import static dev.meterflow.testdata.TestData.LOCAL_NUMBER;
import static dev.meterflow.testdata.TestData.dollars;
import static dev.meterflow.local.LiveRecords.aUsageEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.meterflow.local.scan.Finding;
import dev.meterflow.local.scan.ScanReport;
import dev.meterflow.local.scan.SecretDetector;
import dev.meterflow.local.scan.SecretScan;
import dev.meterflow.local.scan.TestCards;
import dev.meterflow.schemas.LedgerEntryKind;
import dev.meterflow.topics.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code meterflow scan-secrets} on a real broker after a real run of the pipeline (usage, recharges, a decline,
 * a bad record in the DLQ, Kafka Streams changelogs): nothing found; then a card number planted in a DLQ record's
 * header and in a log file, each found where it was put and never printed whole.
 */
class SecretScanIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String PLANTED_CARD = TestCards.grouped(TestCards.VISA_DEBIT, " ", 4, 4, 4, 4);

    @TempDir
    static Path stateDir;

    private static RunningPipeline pipeline;
    private static EndToEndCluster cluster;

    @BeforeAll
    static void startPipeline() {
        pipeline = RunningPipeline.start("meterflow-scan-it", stateDir.resolve("state"));
        cluster = pipeline.cluster();
    }

    @AfterAll
    static void stopPipeline() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void shouldFindNothingInANormalRunAndThenTheCardNumbersPlantedInADlqHeaderAndALogFile() throws Exception {
        // given a normal run: a recharge charged and credited, usage debited, a decline, a record the topology
        // cannot decode (dead-lettered with Kafka Streams' headers)
        String paid = "acct-scan-paid";
        String declined = "acct-scan-declined";
        cluster.publish(Topics.ACCOUNT_SETTINGS, paid, settingsFor(paid).topUpTo(dollars(50)).whenBelow(dollars(15))
                .paymentMethods(aVisaCard()).build());
        cluster.publish(Topics.ACCOUNT_SETTINGS, declined, settingsFor(declined).topUpTo(dollars(50))
                .whenBelow(dollars(15)).paymentMethods(aCardWithInsufficientFunds()).build());
        cluster.publish(Topics.USAGE_EVENTS, paid, aUsageEvent().withEventId("scan-number").forAccount(paid)
                .sku(LOCAL_NUMBER).quantity(1).build());
        cluster.publishRaw(Topics.USAGE_EVENTS.name(), paid, "not avro".getBytes(StandardCharsets.UTF_8));
        await().atMost(WAIT).until(() -> cluster.values(Topics.LEDGER_ENTRIES, paid).stream()
                .anyMatch(entry -> entry.getKind() == LedgerEntryKind.RECHARGE));
        await().atMost(WAIT).until(() -> !cluster.values(Topics.PAYMENT_RESULTS, declined).isEmpty());
        await().atMost(WAIT).until(() -> !cluster.records(Topics.METERING_DLQ.name(),
                org.apache.kafka.common.IsolationLevel.READ_COMMITTED).isEmpty());
        Path logs = Files.createDirectories(stateDir.resolve("logs"));
        Files.writeString(logs.resolve("worker.log"), "12:00:01.123 INFO charged requestId='rr-1' amountCents=5000 "
                + "paymentMethodId='pm_card_visa' at=1764144000007 chargedAtMicros=1764144000000125\n");

        // when the cluster and the logs are scanned, the worker's API key among the secrets
        List<String> secrets = List.of(EndToEndCluster.GATEWAY_API_KEY);
        ScanReport clean = SecretScan.scan(cluster.bootstrapServers(), List.of(logs), secrets);

        // then nothing is found, in every topic: the contract's, the DLQs, the Streams changelogs
        assertThat(clean.findings()).isEmpty();
        assertThat(clean.recordsPerTopic()).containsKeys(Topics.METERING_DLQ.name(), Topics.RECHARGE_ATTEMPTS.name(),
                Topics.LEDGER_ENTRIES.name());
        assertThat(clean.recordsPerTopic().keySet()).anySatisfy(topic -> assertThat(topic).endsWith("-changelog"));
        assertThat(clean.recordsPerTopic().get(Topics.METERING_DLQ.name())).isPositive();
        assertThat(clean.topicsSkipped()).contains("__consumer_offsets").doesNotContain(Topics.METERING_DLQ.name());
        assertThat(clean.recordsPerTopic()).doesNotContainKeys("__consumer_offsets", "__transaction_state");
        assertThat(clean.files()).containsExactly(logs.resolve("worker.log"));
        assertThat(clean.lines()).isEqualTo(1);

        // when a card number is planted in a DLQ record's header and in a log line, and the API key in another
        RecordMetadata planted = sendWithHeader(Topics.METERING_DLQ.name(), "payload.card", PLANTED_CARD);
        Files.writeString(logs.resolve("worker.log"), "12:00:02.000 WARN declined card " + TestCards.VISA + "\n"
                + "12:00:03.000 DEBUG Authorization: Bearer " + EndToEndCluster.GATEWAY_API_KEY + "\n",
                java.nio.file.StandardOpenOption.APPEND);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exitCode = cli(out, logs);
        System.out.print(out.toString(StandardCharsets.UTF_8)); // the operator's view, in the test log

        // then each is found where it was put, masked but its last four characters
        ScanReport found = SecretScan.scan(cluster.bootstrapServers(), List.of(logs), secrets);
        Path log = logs.resolve("worker.log");
        assertThat(found.findings()).extracting(Finding::kind, Finding::location).containsExactly(
                tuple(SecretDetector.Kind.CARD_NUMBER, Topics.METERING_DLQ.name() + "-"
                        + planted.partition() + "@" + planted.offset() + " header 'payload.card'"),
                tuple(SecretDetector.Kind.CARD_NUMBER, log + ":2"),
                tuple(SecretDetector.Kind.LITERAL_SECRET, log + ":3"));
        assertThat(found.findings().get(0).excerpt()).isEqualTo("**** **** **** 5556");
        assertThat(exitCode).isEqualTo(1);
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("3 SECRETS FOUND", "**** **** **** 5556", "************4242")
                .doesNotContain("4000 0566", TestCards.VISA, EndToEndCluster.GATEWAY_API_KEY);
    }

    private static RecordMetadata sendWithHeader(String topic, String header, String value) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, "acct-scan-paid".getBytes(
                    StandardCharsets.UTF_8), "raw".getBytes(StandardCharsets.UTF_8));
            record.headers().add(header, value.getBytes(StandardCharsets.UTF_8));
            return producer.send(record).get();
        }
    }

    /** Runs {@code meterflow scan-secrets} in this JVM, the API key to look for in a file. */
    private static int cli(ByteArrayOutputStream out, Path logs) throws Exception {
        Path keyFile = Files.writeString(stateDir.resolve("gateway.key"), EndToEndCluster.GATEWAY_API_KEY + "\n");
        PrintStream original = System.out;
        try (PrintStream capture = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            return MeterflowCli.commandLine().execute("scan-secrets", "--bootstrap-servers",
                    cluster.bootstrapServers(), "--logs", logs.toString(), "--secret-file", keyFile.toString());
        } finally {
            System.setOut(original);
        }
    }
}
