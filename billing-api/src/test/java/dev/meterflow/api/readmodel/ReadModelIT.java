package dev.meterflow.api.readmodel;

import static dev.meterflow.api.readmodel.TestRecords.balance;
import static dev.meterflow.api.readmodel.TestRecords.command;
import static dev.meterflow.api.readmodel.TestRecords.paused;
import static dev.meterflow.api.readmodel.TestRecords.receipt;
import static dev.meterflow.api.readmodel.TestRecords.result;
import static dev.meterflow.api.readmodel.TestRecords.rollup;
import static dev.meterflow.api.readmodel.TestRecords.settings;
import static dev.meterflow.api.readmodel.TestRecords.usageEntry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meterflow.api.db.Database;
import dev.meterflow.api.db.DatabaseStack;
import dev.meterflow.schemas.PaymentStatus;
import dev.meterflow.testdata.stack.BrokerStack;
import dev.meterflow.topics.Topic;
import dev.meterflow.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 11: the read model on a real broker and a real PostgreSQL. Its rows match the topics, and a read model
 * whose transaction dies in the middle of a batch, restarted, writes every row once.
 */
class ReadModelIT {

    private static final int ACCOUNTS = 20;
    private static final int DAYS = 10;
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private static final LocalDate TODAY = LocalDate.ofInstant(NOW, ZoneOffset.UTC);

    @RegisterExtension
    static final BrokerStack kafka = BrokerStack.perClass().withTopics(RecordProjector.TOPICS);
    @RegisterExtension
    static final DatabaseStack postgres = DatabaseStack.perClass(4);

    @Test
    void shouldWriteEveryRowOnceWhenATransactionDiesMidBatchAndTheReadModelRestarts() throws Exception {
        produceHistory();
        Jdbi jdbi = postgres.jdbi();
        // a sequence is not rolled back: the second offset write of ledger-entries fails, once, after its batch's
        // rows were written (stored apart from them, those rows would be added again on the restart)
        jdbi.useHandle(handle -> handle.execute("""
                CREATE SEQUENCE offset_writes;
                CREATE FUNCTION die_once() RETURNS trigger AS $$
                BEGIN
                  IF NEW.topic = 'ledger-entries' AND nextval('offset_writes') = 2 THEN
                    RAISE EXCEPTION 'simulated crash mid-batch';
                  END IF;
                  RETURN NEW;
                END $$ LANGUAGE plpgsql;
                CREATE TRIGGER die_once BEFORE INSERT ON read_model_offsets
                    FOR EACH ROW EXECUTE FUNCTION die_once();"""));

        ReadModel first = readModel(jdbi);
        CompletableFuture<Void> firstRun = CompletableFuture.runAsync(first);
        await().atMost(Duration.ofMinutes(2)).until(firstRun::isDone);
        assertThat(firstRun).isCompletedExceptionally();
        assertThat(cause(firstRun)).hasStackTraceContaining("simulated crash mid-batch");
        assertThat(count(jdbi, "read_model_offsets")).as("the batches before the crash were written").isPositive();
        assertThat(storedOffsetsReachTheEnd(jdbi)).as("the crash left records to read").isFalse();

        try (ReadModel second = readModel(jdbi)) {
            CompletableFuture<Void> secondRun = CompletableFuture.runAsync(second);
            await().atMost(Duration.ofMinutes(2)).until(() -> storedOffsetsReachTheEnd(jdbi));
            assertRowsMatchTheTopics(jdbi);
            second.close();
            secondRun.get();
        }
    }

    @Test
    void shouldDropTheMonthsTheRetentionNoLongerKeepsAndLeaveOutRowsOlderThanIt() {
        try (Database retentionDb = postgres.create("retention", 2)) {
            Jdbi jdbi = retentionDb.jdbi();
            Batch batch = new Batch();
            batch.add(Projection.usageRollup("acct-1/2024-01-31/sku", rollup("acct-1", LocalDate.of(2024, 1, 31),
                    "sku", 1)));
            batch.add(Projection.usageRollup("acct-1/2024-02-01/sku", rollup("acct-1", LocalDate.of(2024, 2, 1),
                    "sku", 1)));
            batch.add(Projection.usageRollup("acct-1/2022-01-01/sku", rollup("acct-1", LocalDate.of(2022, 1, 1),
                    "sku", 1)));
            batch.consumed("usage-rollups", 0, 2);
            // a 24-month retention keeps January 2024 and later in January 2026, February 2024 a month later
            ReadModelWriter january = new ReadModelWriter(jdbi, new Retention(24),
                    Clock.fixed(Instant.parse("2026-01-15T00:00:00Z"), ZoneOffset.UTC));
            ReadModelWriter february = new ReadModelWriter(jdbi, new Retention(24),
                    Clock.fixed(Instant.parse("2026-02-15T00:00:00Z"), ZoneOffset.UTC));

            assertThat(january.write(batch)).as("January 2022 is left out").isEqualTo(1);
            assertThat(partitions(jdbi)).containsExactlyInAnyOrder("daily_usage_2024_01", "daily_usage_2024_02");
            assertThat(january.dropExpiredPartitions()).isZero();
            assertThat(february.dropExpiredPartitions()).isEqualTo(1);
            assertThat(partitions(jdbi)).containsExactly("daily_usage_2024_02");
            assertThat(count(jdbi, "daily_usage")).isEqualTo(1);
        }
    }

    /**
     * Issue 11: settings_versions was never pruned. Versions older than the retention go, but each account keeps the
     * last one accepted before it: a refusal of a newer version still sends the account back to it.
     */
    @Test
    void shouldPruneSettingsVersionsOlderThanTheRetentionButKeepTheLastAcceptedOne() {
        try (Database pruneDb = postgres.create("prune", 2)) {
            Jdbi jdbi = pruneDb.jdbi();
            Instant first = Instant.parse("2023-01-01T00:00:00Z");
            Instant accepted = Instant.parse("2023-06-01T00:00:00Z");
            Instant refused = Instant.parse("2023-09-01T00:00:00Z");
            Instant recent = Instant.parse("2025-12-01T00:00:00Z");
            Batch batch = new Batch();
            for (Instant at : List.of(first, accepted, refused, recent)) {
                batch.add(Projection.settings("acct-1", settings("acct-1", at), null));
            }
            batch.add(Projection.settingsRefused("acct-1", settings("acct-1", refused), "THRESHOLD_ABOVE_TARGET",
                    "Refused", null));
            batch.add(Projection.settings("acct-2", settings("acct-2", first), null));
            batch.consumed("account-settings", 0, 5);
            // a 24-month retention keeps January 2024 and later in January 2026
            ReadModelWriter writer = new ReadModelWriter(jdbi, new Retention(24),
                    Clock.fixed(Instant.parse("2026-01-15T00:00:00Z"), ZoneOffset.UTC));
            writer.write(batch);

            assertThat(writer.pruneSettingsVersions()).isEqualTo(1);
            assertThat(versions(jdbi, "acct-1")).containsExactly(accepted, refused, recent);
            assertThat(versions(jdbi, "acct-2")).as("an account's only version stays").containsExactly(first);

            Batch refusal = new Batch();
            refusal.add(Projection.settingsRefused("acct-1", settings("acct-1", recent), "THRESHOLD_ABOVE_TARGET",
                    "Refused", null));
            refusal.consumed("account-settings-rejected", 0, 0);
            writer.write(refusal);
            Instant shown = jdbi.withHandle(h -> h.createQuery("SELECT settings_updated_at FROM accounts"
                    + " WHERE account_id = 'acct-1'").mapTo(Instant.class).one());
            assertThat(shown).as("back to the last accepted version").isEqualTo(accepted);
        }
    }

    /**
     * The refusals table was never pruned. A refusal older than the retention goes once what it refused is gone: a
     * pruned settings version's, a pruned payment command's. A refusal of a settings version still kept stays: it
     * keeps that version from being shown. Payment commands older than the retention go with their results'
     * partitions, so an old command is not listed as waiting again.
     */
    @Test
    void shouldPruneRefusalsOlderThanTheRetentionOnceWhatTheyRefusedIsGone() {
        try (Database pruneDb = postgres.create("refusals", 2)) {
            Jdbi jdbi = pruneDb.jdbi();
            Instant first = Instant.parse("2023-01-01T00:00:00Z");
            Instant refusedEarly = Instant.parse("2023-03-01T00:00:00Z");
            Instant accepted = Instant.parse("2023-06-01T00:00:00Z");
            Instant refusedLater = Instant.parse("2023-09-01T00:00:00Z");
            Instant recent = Instant.parse("2025-12-01T00:00:00Z");
            Batch batch = new Batch();
            for (Instant at : List.of(first, refusedEarly, accepted, refusedLater, recent)) {
                batch.add(Projection.settings("acct-1", settings("acct-1", at), null));
            }
            for (Instant at : List.of(refusedEarly, refusedLater, recent)) {
                batch.add(Projection.settingsRefused("acct-1", settings("acct-1", at), "THRESHOLD_ABOVE_TARGET",
                        "Refused", null));
            }
            for (Instant at : List.of(refusedEarly, recent)) {
                String commandId = "cmd-" + at.toEpochMilli();
                batch.add(Projection.paymentCommand("acct-1", command("acct-1", commandId, 500, at), null));
                batch.add(Projection.paymentCommandRefused("acct-1", command("acct-1", commandId, 500, at),
                        "AMOUNT_ABOVE_LIMIT", "Refused", null));
            }
            batch.consumed("account-settings", 0, 4);
            // a 24-month retention keeps January 2024 and later in January 2026
            ReadModelWriter writer = new ReadModelWriter(jdbi, new Retention(24),
                    Clock.fixed(Instant.parse("2026-01-15T00:00:00Z"), ZoneOffset.UTC));
            writer.write(batch);

            assertThat(writer.pruneSettingsVersions()).isEqualTo(2);
            assertThat(writer.prunePaymentCommands()).isEqualTo(1);
            assertThat(writer.pruneRefusals()).as("the early settings refusal and the old command's").isEqualTo(2);
            assertThat(refusals(jdbi)).containsExactlyInAnyOrder("SETTINGS " + refusedLater, "SETTINGS " + recent,
                    "PAYMENT " + recent);
            assertThat(count(jdbi, "payment_commands")).isEqualTo(1);

            Batch again = new Batch();
            again.add(Projection.settingsRefused("acct-1", settings("acct-1", recent), "THRESHOLD_ABOVE_TARGET",
                    "Refused", null));
            again.consumed("account-settings-rejected", 0, 3);
            writer.write(again);
            Instant shown = jdbi.withHandle(h -> h.createQuery("SELECT settings_updated_at FROM accounts"
                    + " WHERE account_id = 'acct-1'").mapTo(Instant.class).one());
            assertThat(shown).as("the refused version kept is still not shown").isEqualTo(accepted);
        }
    }

    private static List<String> refusals(Jdbi jdbi) {
        return jdbi.withHandle(h -> h.createQuery("SELECT kind, subject_at FROM refusals").map((rs, ctx) ->
                rs.getString("kind") + " " + rs.getTimestamp("subject_at").toInstant()).list());
    }

    private static List<Instant> versions(Jdbi jdbi, String account) {
        return jdbi.withHandle(h -> h.createQuery("SELECT updated_at FROM settings_versions WHERE account_id = :a"
                + " ORDER BY updated_at").bind("a", account).mapTo(Instant.class).list());
    }

    private static List<String> partitions(Jdbi jdbi) {
        return jdbi.withHandle(h -> h.createQuery("SELECT c.relname FROM pg_inherits i JOIN pg_class c"
                + " ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'daily_usage'")
                .mapTo(String.class).list());
    }

    private static ReadModel readModel(Jdbi jdbi) {
        Properties props = new Properties();
        props.put("bootstrap.servers", kafka.bootstrapServers());
        return new ReadModel(props, jdbi, new Retention(25), 100, Clock.systemUTC());
    }

    /** Per account: settings, DAYS days of usage and ledger entries, a charge, a decline, a receipt, a pause. */
    private static void produceHistory() {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", kafka.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int a = 0; a < ACCOUNTS; a++) {
                String account = "acct-" + a;
                send(producer, Topics.ACCOUNT_SETTINGS, account, settings(account, NOW.minusSeconds(3600)));
                for (int d = DAYS - 1; d >= 0; d--) {
                    LocalDate day = TODAY.minusDays(d);
                    Instant at = day.atTime(12, 0).toInstant(ZoneOffset.UTC);
                    // two running totals for the day: the later one is the day's usage
                    send(producer, Topics.USAGE_ROLLUPS, Topics.rollupKey(account, day, "call.minutes.local"),
                            rollup(account, day, "call.minutes.local", 1));
                    send(producer, Topics.USAGE_ROLLUPS, Topics.rollupKey(account, day, "call.minutes.local"),
                            rollup(account, day, "call.minutes.local", d + 2));
                    send(producer, Topics.LEDGER_ENTRIES, account, usageEntry(account, account + "-e" + d, -12_000,
                            50_000_000 - (DAYS - d) * 12_000L, at));
                }
                send(producer, Topics.PAYMENT_RESULTS, account, result(account, "rr-" + account + "-1",
                        PaymentStatus.SUCCEEDED, 3_500, NOW.minusSeconds(600)));
                send(producer, Topics.RECEIPTS, account, receipt(account, "rr-" + account + "-1", 3_500,
                        NOW.minusSeconds(600)));
                send(producer, Topics.PAYMENT_RESULTS, account, result(account, "rr-" + account + "-2",
                        PaymentStatus.DECLINED, 1_000, NOW.minusSeconds(300)));
                send(producer, Topics.BILLING_NOTIFICATIONS, account, paused(account, "usage:x",
                        NOW.minusSeconds(200)));
                send(producer, Topics.ACCOUNT_BALANCES, account, balance(account, -5_000 - a, NOW.minusSeconds(100)));
                send(producer, Topics.PAYMENT_COMMANDS, account, command(account, "cmd-" + account, 2_000,
                        NOW.minusSeconds(50)));
            }
            producer.send(new ProducerRecord<>(Topics.PAYMENT_RESULTS.name(), bytes("acct-0"),
                    "not avro".getBytes(StandardCharsets.UTF_8)));
            producer.flush();
        }
    }

    private static void assertRowsMatchTheTopics(Jdbi jdbi) {
        assertThat(count(jdbi, "accounts")).isEqualTo(ACCOUNTS);
        assertThat(count(jdbi, "daily_usage")).isEqualTo(ACCOUNTS * DAYS);
        assertThat(count(jdbi, "daily_closing_balances")).isEqualTo(ACCOUNTS * DAYS);
        // the totals add up rather than replace: a ledger entry written twice would show here
        assertThat(one(jdbi, "SELECT sum(amount_micros) FROM daily_ledger_totals", Long.class))
                .isEqualTo(-12_000L * ACCOUNTS * DAYS);
        assertThat(one(jdbi, "SELECT sum(entry_count) FROM daily_ledger_totals", Long.class))
                .isEqualTo((long) ACCOUNTS * DAYS);
        assertThat(count(jdbi, "payments")).isEqualTo(ACCOUNTS * 2);
        assertThat(count(jdbi, "receipts")).isEqualTo(ACCOUNTS);
        assertThat(count(jdbi, "payment_commands")).isEqualTo(ACCOUNTS);
        // settings, two payments, a pause and a command per account
        assertThat(count(jdbi, "billing_log")).isEqualTo(ACCOUNTS * 5);
        assertThat(one(jdbi, "SELECT sum(event_count) FROM daily_usage", Long.class))
                .as("each day's latest running total")
                .isEqualTo((long) ACCOUNTS * (DAYS * (DAYS + 1) / 2 + DAYS));
        assertThat(one(jdbi, "SELECT balance_micros FROM accounts WHERE account_id = 'acct-7'", Long.class))
                .isEqualTo(-5_007L);
        assertThat(one(jdbi, "SELECT balance_micros FROM daily_closing_balances WHERE account_id = 'acct-3'"
                + " AND day = CURRENT_DATE", Long.class)).isEqualTo(50_000_000 - DAYS * 12_000L);
        assertThat(one(jdbi, "SELECT summary FROM billing_log WHERE log_id = 'payment:rr-acct-4-2'", String.class))
                .isEqualTo("Charge of $10.00 (automatic recharge) not made."
                        + " Declined: the card has insufficient funds.");
        List<String> skipped = jdbi.withHandle(h -> h.createQuery(
                "SELECT topic || '/' || partition_no || ': ' || reason FROM read_model_skipped")
                .mapTo(String.class).list());
        assertThat(skipped).singleElement().asString().startsWith("payment-results/")
                .contains("SerializationException");
    }

    private static boolean storedOffsetsReachTheEnd(Jdbi jdbi) {
        Map<String, Long> stored = jdbi.withExtension(ReadModelDao.class, ReadModelDao::storedOffsets);
        try (var admin = kafka.admin()) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (Topic<String, ?> topic : RecordProjector.TOPICS) {
                partitions.add(new TopicPartition(topic.name(), 0));
                partitions.add(new TopicPartition(topic.name(), 1));
            }
            var ends = admin.listOffsets(partitions.stream().collect(java.util.stream.Collectors.toMap(p -> p,
                    p -> org.apache.kafka.clients.admin.OffsetSpec.latest()))).all().get();
            return ends.entrySet().stream().allMatch(end -> end.getValue().offset() == 0
                    || stored.getOrDefault(end.getKey().topic() + "-" + end.getKey().partition(), -1L)
                    == end.getValue().offset());
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T one(Jdbi jdbi, String sql, Class<T> type) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(type).one());
    }

    private static long count(Jdbi jdbi, String table) {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM " + table).mapTo(Long.class).one());
    }

    private static Throwable cause(CompletableFuture<Void> run) {
        try {
            run.get();
            return null;
        } catch (InterruptedException | ExecutionException e) {
            return e.getCause();
        }
    }

    private static <V> void send(KafkaProducer<byte[], byte[]> producer, Topic<String, V> topic, String key, V value) {
        producer.send(new ProducerRecord<>(topic.name(), bytes(key),
                topic.valueSerde().serializer().serialize(topic.name(), value)));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
