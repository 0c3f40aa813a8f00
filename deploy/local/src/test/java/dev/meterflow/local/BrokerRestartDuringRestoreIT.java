package dev.meterflow.local;

import static dev.meterflow.local.LiveRecords.settingsFor;
import static dev.meterflow.testdata.TestData.LOCAL_MINUTE_PRICE;
import static dev.meterflow.testdata.TestData.PRO_PLAN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meterflow.embedded.EmbeddedKafkaMain;
import dev.meterflow.local.EndToEndCluster.LocalMinutes;
import dev.meterflow.local.faults.ChildJvm;
import dev.meterflow.local.faults.CpuLoad;
import dev.meterflow.local.topics.ProvisionTopics;
import dev.meterflow.local.topics.TopicDefinitions;
import dev.meterflow.metering.MeteringApp;
import dev.meterflow.schemas.AccountBalance;
import dev.meterflow.schemas.UsageEvent;
import dev.meterflow.testdata.RateCardBuilder;
import dev.meterflow.topics.Topic;
import dev.meterflow.topics.TopicReader;
import dev.meterflow.topics.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: the broker is SIGKILLed and restarted while a metering instance restores its stores from the
 * changelogs, on a machine loaded by busy threads, with the broker and the instance in processes of their own.
 * The instance must end up RUNNING and debit every event exactly once; this test plays the supervisor, starting
 * the instance again if its stall watchdog stops it (exit 75).
 */
class BrokerRestartDuringRestoreIT {

    private static final String APPLICATION_ID = "meterflow-e2e-broker-restore";
    private static final Duration WAIT = Duration.ofMinutes(5);
    private static final List<String> ACCOUNTS =
            List.of("acct-brr-a", "acct-brr-b", "acct-brr-c", "acct-brr-d", "acct-brr-e");
    private static final Instant OCCURRED_AT = Instant.parse("2026-11-29T19:00:00Z");
    private static final LocalMinutes USAGE = EndToEndCluster.localMinutes("brr-%05d", ACCOUNTS, OCCURRED_AT);
    private static final String RESTORE_STARTED = "restore started store='dedup-store'";
    private static final String RESTORE_FINISHED = "restore finished store='dedup-store'";
    private static final int BEFORE = 1_500;
    private static final int AFTER = 300;

    @TempDir
    static Path workDir;

    private static ChildJvm broker;
    private static ChildJvm metering;
    private static CpuLoad load;
    private static String bootstrap;
    private static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = new ChildJvm("broker", EmbeddedKafkaMain.class.getName(),
                List.of(workDir.resolve("kafka").toString()), Map.of(), Path.of("target", "broker-restore-broker.log"),
                "512m");
        startTheBroker();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            new ProvisionTopics(admin).apply(TopicDefinitions.all(2, (short) 1));
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "300000");
        producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        send(Topics.RATE_CARDS, PRO_PLAN, RateCardBuilder.aRateCard().build());
        ACCOUNTS.forEach(account -> send(Topics.ACCOUNT_SETTINGS, account,
                settingsFor(account).autoRechargeOff().build()));
        producer.flush();
    }

    @AfterAll
    static void stop() {
        if (load != null) {
            load.close();
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        if (metering != null) {
            metering.kill();
        }
        if (broker != null) {
            broker.stop();
        }
    }

    @Test
    void shouldRunAgainAndDebitEveryEventOnceWhenTheBrokerRestartsDuringARestoreOnALoadedMachine() throws Exception {
        // given an instance that billed usage into its stores, then was stopped and its state lost
        List<UsageEvent> before = USAGE.events(0, BEFORE);
        metering = new ChildJvm("metering", MeteringApp.class.getName(),
                List.of("--config", writeConfig("first").toString()), Map.of(),
                Path.of("target", "broker-restore-metering.log"), "384m");
        metering.start();
        sendAll(before);
        await().atMost(WAIT).untilAsserted(() -> {
            metering.assertAlive();
            assertThat(debitedUsageEventIds()).hasSize(BEFORE);
        });
        assertThat(metering.stop()).as("stopped on SIGTERM").isTrue();

        // and a machine loaded by a busy thread per core
        load = CpuLoad.start(Runtime.getRuntime().availableProcessors(), WAIT.multipliedBy(3));

        // when a new instance (an empty state directory) restores, and the broker is SIGKILLed and restarted meanwhile
        metering = new ChildJvm("metering", MeteringApp.class.getName(),
                List.of("--config", writeConfig("second").toString()), Map.of(),
                Path.of("target", "broker-restore-metering.log"), "384m");
        long mark = metering.logSize();
        metering.start();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(() -> restoringDedup(mark));
        // frozen, so the restore cannot finish before the broker is gone
        metering.freeze();
        boolean restoring = restoringDedup(mark);
        broker.kill();
        metering.thaw();
        startTheBroker();
        // and usage keeps coming
        List<UsageEvent> after = USAGE.events(BEFORE, BEFORE + AFTER);
        sendAll(after);

        // then the instance runs again (restarted, as a supervisor would, if its watchdog stopped it)
        await().atMost(WAIT).untilAsserted(() -> {
            restartIfStoppedStuck();
            metering.assertAlive();
            assertThat(metering.countSince(mark, "-> RUNNING")).isPositive();
            assertThat(debitedUsageEventIds()).hasSize(BEFORE + AFTER);
        });
        assertThat(restoring).as("a store was restoring when the broker was killed").isTrue();
        // and every event is debited exactly once, every balance is minus its priced usage
        List<String> all = IntStream.range(0, BEFORE + AFTER).mapToObj(USAGE::eventId).toList();
        assertThat(debitedUsageEventIds()).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(all);
        Map<String, Long> balances = latestBalances();
        for (int i = 0; i < ACCOUNTS.size(); i++) {
            long events = (BEFORE + AFTER + ACCOUNTS.size() - 1 - i) / ACCOUNTS.size();
            assertThat(balances.get(ACCOUNTS.get(i))).as("balance of %s", ACCOUNTS.get(i))
                    .isEqualTo(-events * LOCAL_MINUTE_PRICE);
        }
        assertThat(metering.stop()).as("stopped on SIGTERM").isTrue();
    }

    /** The largest store (the dedup window store) has started restoring and not finished, since {@code mark}. */
    private static boolean restoringDedup(long mark) {
        return metering.countSince(mark, RESTORE_STARTED) > metering.countSince(mark, RESTORE_FINISHED);
    }

    private static void restartIfStoppedStuck() {
        if (metering.exitCode().orElse(0) == MeteringApp.EXIT_STUCK) {
            metering.start();
        }
    }

    private static void startTheBroker() throws IOException {
        Path ready = workDir.resolve("kafka").resolve(EmbeddedKafkaMain.BOOTSTRAP_FILE);
        Files.deleteIfExists(ready);
        broker.start();
        await().atMost(Duration.ofSeconds(120)).until(() -> Files.exists(ready) || !broker.isAlive());
        broker.assertAlive();
        bootstrap = Files.readString(ready, StandardCharsets.UTF_8).strip();
    }

    private static void sendAll(List<UsageEvent> events) {
        events.forEach(event -> send(Topics.USAGE_EVENTS, event.getAccountId(), event));
        producer.flush();
    }

    private static <V> void send(Topic<String, V> topic, String key, V value) {
        producer.send(new ProducerRecord<>(topic.name(), key, topic.valueSerde().serializer()
                .serialize(topic.name(), value)));
    }

    private static List<String> debitedUsageEventIds() {
        return EndToEndCluster.debitedUsageEventIds(TopicReader.readCommitted(bootstrap, Topics.LEDGER_ENTRIES.name()));
    }

    private static Map<String, Long> latestBalances() {
        Map<String, Long> balances = new HashMap<>();
        TopicReader.readCommitted(bootstrap, Topics.ACCOUNT_BALANCES.name()).forEach(record -> {
            AccountBalance balance = Topics.ACCOUNT_BALANCES.valueSerde().deserializer()
                    .deserialize(Topics.ACCOUNT_BALANCES.name(), record.value());
            balances.put(balance.getAccountId(), balance.getBalanceMicros());
        });
        return balances;
    }

    private static Path writeConfig(String stateDir) {
        Properties settings = new Properties();
        settings.setProperty("bootstrap.servers", bootstrap);
        settings.setProperty("application.id", APPLICATION_ID);
        settings.setProperty("state.dir", workDir.resolve("state-" + stateDir).toString());
        settings.setProperty("commit.interval.ms", "200");
        settings.setProperty("session.timeout.ms", "6000");
        settings.setProperty("heartbeat.interval.ms", "1500");
        settings.setProperty("meterflow.stall-timeout", "PT60S");
        settings.setProperty("meterflow.shutdown-timeout", "PT20S");
        Path config = workDir.resolve("metering-" + stateDir + ".properties");
        try (Writer writer = Files.newBufferedWriter(config)) {
            settings.store(writer, "metering app in its own process");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return config;
    }
}
