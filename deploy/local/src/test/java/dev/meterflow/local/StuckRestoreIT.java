package dev.meterflow.local;

import static dev.meterflow.local.LiveRecords.settingsFor;
import static dev.meterflow.testdata.TestData.LOCAL_MINUTE_PRICE;
import static dev.meterflow.testdata.TestData.PRO_PLAN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meterflow.local.EndToEndCluster.LocalMinutes;
import dev.meterflow.metering.MeteringApp;
import dev.meterflow.metering.MeteringService;
import dev.meterflow.schemas.UsageEvent;
import dev.meterflow.testdata.RateCardBuilder;
import dev.meterflow.topics.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Issue 17: a restore that cannot reach its changelog's end must be reported and acted on, never waited on in
 * silence. A transaction left open on a changelog partition holds every {@code read_committed} reader, the
 * restore consumer included, below it, while the restore waits for the partition's end: the state a metering
 * instance was left in after a broker restart, reproduced here on purpose.
 */
class StuckRestoreIT {

    private static final String APPLICATION_ID = "meterflow-e2e-stuck";
    private static final String STALL_TIMEOUT = "PT10S";
    private static final Duration WAIT = Duration.ofMinutes(3);
    private static final List<String> ACCOUNTS = List.of("acct-stuck-a", "acct-stuck-b", "acct-stuck-c");
    private static final Instant OCCURRED_AT = Instant.parse("2026-11-29T19:00:00Z");
    private static final LocalMinutes USAGE = EndToEndCluster.localMinutes("stuck-%03d", ACCOUNTS, OCCURRED_AT);

    @TempDir
    static Path workDir;

    @RegisterExtension
    static final EndToEndCluster cluster = EndToEndCluster.perClass();
    private static MeteringService metering;
    private static KafkaProducer<byte[], byte[]> blocker;

    @BeforeAll
    static void startBroker() {
        cluster.publish(Topics.RATE_CARDS, PRO_PLAN, RateCardBuilder.aRateCard().build());
        ACCOUNTS.forEach(account ->
                cluster.publish(Topics.ACCOUNT_SETTINGS, account, settingsFor(account).autoRechargeOff().build()));
    }

    @AfterAll
    static void stop() {
        if (metering != null) {
            metering.close();
        }
        if (blocker != null) {
            blocker.close(Duration.ZERO);
        }
    }

    @Test
    void shouldReportAStuckRestoreStopForItsSupervisorAndRestoreOnceTheChangelogMovesAgain() throws Exception {
        // given an instance that billed usage into its stores, then stopped
        List<UsageEvent> events = new ArrayList<>(USAGE.events(0, 40));
        metering = cluster.startMetering(settings("first"));
        cluster.sendUsage(events);
        await().atMost(WAIT).untilAsserted(() -> assertThat(cluster.debitedUsageEventIds()).hasSize(events.size()));
        metering.close();

        // and a transaction left open on partition 0 of the account state changelog
        String changelog = APPLICATION_ID + "-account-state-store-changelog";
        blocker = openTransactionOn(changelog);

        // when a new instance restores its stores from the changelogs (an empty state directory)
        metering = cluster.startMetering(settings("second"));

        // then it reports the restore as stuck, naming the task and the store, goes not ready and stops by itself
        assertThat(metering.awaitStopped(WAIT)).as("stopped by its watchdog").isTrue();
        assertThat(metering.stoppedStuck()).isTrue();
        assertThat(metering.readiness().ready()).isFalse();
        assertThat(metering.readiness().stuckReason()).hasValueSatisfying(reason -> assertThat(reason)
                .contains("task=1_0", "store='account-state-store'", "changelog=" + changelog + "-0",
                        "noProgressFor=")
                // and what the broker says: the open transaction holding the changelog's last stable offset
                .containsPattern("changelog=" + changelog + "-0 lastStableOffset=\\d+ endOffset=\\d+ "
                        + "openTransactions=\\[producerId=\\d+ epoch=\\d+ startOffset=\\d+")
                // and a transaction its coordinator still has open is never aborted, however long it lasts
                .contains("left partition=" + changelog + "-0 ")
                .contains("its coordinator still has it open on this partition")
                .doesNotContain("aborted partition="));
        assertThat(cluster.openTransactionLag(changelog)).containsEntry(new TopicPartition(changelog, 0), 1L);

        // and the app, run as a supervisor runs it, exits with the code that asks for a restart
        CompletableFuture<Integer> app = CompletableFuture.supplyAsync(() -> new CommandLine(new MeteringApp())
                .execute("--config", writeConfig(settings("third")).toString()));
        assertThat(app.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .isEqualTo(MeteringApp.EXIT_STUCK);

        // when the transaction ends (an operator's kafka-transactions.sh abort, or its timeout) and it is restarted
        blocker.abortTransaction();
        List<UsageEvent> later = USAGE.events(40, 60);
        cluster.sendUsage(later);
        events.addAll(later);
        metering = cluster.startMetering(settings("second"));

        // then it restores, runs and debits every event once
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(metering.readiness().ready()).isTrue();
            assertThat(cluster.debitedUsageEventIds()).containsExactlyInAnyOrderElementsOf(
                    events.stream().map(UsageEvent::getEventId).toList());
        });
        for (String account : ACCOUNTS) {
            long debits = events.stream().filter(event -> event.getAccountId().equals(account)).count();
            assertThat(cluster.latest(Topics.ACCOUNT_BALANCES, account).orElseThrow().getBalanceMicros())
                    .as("balance of %s", account).isEqualTo(-debits * LOCAL_MINUTE_PRICE);
        }
        // and an idle running instance is not taken for a stuck one
        await().during(Duration.ofSeconds(25)).atMost(Duration.ofSeconds(40))
                .until(() -> metering.readiness().ready() && !metering.stoppedStuck());
    }

    private static KafkaProducer<byte[], byte[]> openTransactionOn(String topic) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "stuck-restore-it-blocker");
        // longer than the whole test: only the test ends it
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "600000");
        KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        producer.initTransactions();
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(topic, 0, "blocker".getBytes(StandardCharsets.UTF_8),
                "never committed".getBytes(StandardCharsets.UTF_8)));
        producer.flush();
        return producer;
    }

    private static Properties settings(String stateDir) {
        Properties settings = cluster.meteringProperties(APPLICATION_ID, workDir.resolve(stateDir));
        settings.setProperty("meterflow.stall-timeout", STALL_TIMEOUT);
        settings.setProperty("meterflow.shutdown-timeout", "PT10S");
        return settings;
    }

    private static Path writeConfig(Properties settings) {
        Path config = workDir.resolve("metering.properties");
        try (Writer writer = Files.newBufferedWriter(config)) {
            settings.store(writer, "metering app run as its supervisor would");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return config;
    }
}
