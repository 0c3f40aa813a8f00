package dev.meterflow.local;

import static dev.meterflow.local.LiveRecords.settingsFor;
import static dev.meterflow.testdata.TestData.LOCAL_MINUTE_PRICE;
import static dev.meterflow.local.LiveRecords.aUsageEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meterflow.schemas.LedgerEntry;
import dev.meterflow.schemas.LedgerEntryKind;
import dev.meterflow.schemas.UsageEvent;
import dev.meterflow.topics.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 16, item 3: valid usage dead-lettered while a store was not ready went unnoticed, and nothing could
 * replay it. {@code meterflow dead-letters} lists it by reason and re-publishes it; twice is harmless.
 */
class DeadLettersIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    static final RunningPipeline pipeline = RunningPipeline.meteringOnly("meterflow-e2e-dead-letters");
    private static final EndToEndCluster cluster = pipeline.cluster();

    @Test
    void shouldListDeadLettersByReasonAndRepublishThemToBeDebitedOnce() throws Exception {
        // given an account, and one of its valid events dead-lettered as the closed global store did
        String account = "acct-e2e-dead-letter";
        cluster.publish(Topics.ACCOUNT_SETTINGS, account, settingsFor(account).autoRechargeOff().build());
        await().atMost(WAIT).until(() -> cluster.latest(Topics.ACCOUNT_BALANCES, account).isPresent());
        UsageEvent event = aUsageEvent().withEventId("dead-lettered-1").forAccount(account).minutes(3).build();
        deadLetter(account, event);

        // when an operator lists the queues, then re-publishes that reason, twice
        String listed = meterflow("dead-letters", "--bootstrap-servers", cluster.bootstrapServers());
        String first = meterflow("dead-letters", "--bootstrap-servers", cluster.bootstrapServers(),
                "--republish-reason", "InvalidStateStoreException");
        meterflow("dead-letters", "--bootstrap-servers", cluster.bootstrapServers(), "--republish-reason",
                "InvalidStateStoreException");
        cluster.publish(Topics.USAGE_EVENTS, account, aUsageEvent().withEventId("marker").forAccount(account)
                .minutes(1).build());

        // then the listing says why and from where, and the event is debited exactly once
        assertThat(listed).contains("metering-dlq: 1 records", "reason=InvalidStateStoreException count=1",
                "source=usage-events-0@41", "key='" + account + "'", "recharge-requests-dlq: 0 records");
        assertThat(first).contains("re-published metering-dlq-0@0 to usage-events key='" + account + "'");
        await().atMost(WAIT).untilAsserted(() -> assertThat(cluster.values(Topics.LEDGER_ENTRIES, account).stream()
                .filter(entry -> entry.getKind() == LedgerEntryKind.USAGE).map(LedgerEntry::getEntryId).toList())
                .containsExactly("usage:dead-lettered-1", "usage:marker"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(
                cluster.latest(Topics.ACCOUNT_BALANCES, account).orElseThrow().getBalanceMicros())
                .isEqualTo(-4 * LOCAL_MINUTE_PRICE));
    }

    private static void deadLetter(String account, UsageEvent event) throws Exception {
        RecordHeaders headers = new RecordHeaders();
        Map.of("__streams.errors.exception", "org.apache.kafka.streams.errors.InvalidStateStoreException",
                "__streams.errors.message", "Store rate-cards-global-store is currently closed",
                "__streams.errors.topic", "usage-events", "__streams.errors.partition", "0",
                "__streams.errors.offset", "41")
                .forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.METERING_DLQ.name(), 0, account.getBytes(StandardCharsets.UTF_8),
                    Topics.USAGE_EVENTS.valueSerde().serializer().serialize(Topics.USAGE_EVENTS.name(), event),
                    headers)).get();
        }
    }

    private static String meterflow(String... args) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        PrintStream previous = System.out;
        System.setOut(new PrintStream(output, true, StandardCharsets.UTF_8));
        try {
            assertThat(MeterflowCli.commandLine().execute(args)).as(List.of(args).toString()).isZero();
        } finally {
            System.setOut(previous);
        }
        return output.toString(StandardCharsets.UTF_8);
    }
}
