package dev.meterflow.local.reconcile;

import dev.meterflow.local.deadletter.DeadLetter;
import dev.meterflow.schemas.AccountBalance;
import dev.meterflow.schemas.BillingNotification;
import dev.meterflow.schemas.LedgerEntry;
import dev.meterflow.schemas.PaymentResult;
import dev.meterflow.schemas.Receipt;
import dev.meterflow.schemas.RechargeRequest;
import dev.meterflow.topics.Topic;
import dev.meterflow.topics.TopicReader;
import dev.meterflow.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads what the pipeline committed and what the gateway charged, and compares them ({@link Reconciler}):
 * ledger replay = balances; recharge requests = payment results = ledger credits; succeeded results =
 * receipts; usage in = debited + duplicates + parked + dead-lettered; receipts = the gateway's charges.
 *
 * <p>Topics are read whole with {@code read_committed}, one after the other (ledger-entries before
 * account-balances, recharge-requests before payment-results), each up to its end when its read starts. On a
 * pipeline still running, records committed in between can show as differences of the ledger check; run it
 * on a settled pipeline (the request checks tolerate work in flight through the grace period).
 *
 * <pre>{@code
 * ReconciliationReport report = Reconciliation.run(Reconciliation.Options.of(bootstrapServers)
 *         .withGateway(ChargeSource.of(simulator)));
 * report.differences().forEach(System.out::println);
 * }</pre>
 */
public final class Reconciliation {

    /** Default grace period: a worker at Stripe's pace finishes a request well within it. */
    public static final Duration DEFAULT_GRACE = Duration.ofMinutes(2);

    private Reconciliation() {
    }

    /**
     * What to reconcile.
     *
     * @param kafkaClient client settings: bootstrap servers and, if needed, security
     * @param gateway     where the gateway's charges come from, or {@code null} to skip {@link Check#CHARGES}
     * @param grace       unfinished requests younger than this are open, not differences
     * @param since       compare only requests from this instant ({@code null}: all); the ledger is always whole
     */
    public record Options(Properties kafkaClient, ChargeSource gateway, Duration grace, Instant since,
                          String meteringApplicationId) {

        public static Options of(String bootstrapServers) {
            Properties client = new Properties();
            client.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            return new Options(client, null, DEFAULT_GRACE, null, DEFAULT_METERING_APPLICATION_ID);
        }

        public Options withGateway(ChargeSource source) {
            return new Options(kafkaClient, source, grace, since, meteringApplicationId);
        }

        public Options withGrace(Duration period) {
            return new Options(kafkaClient, gateway, period, since, meteringApplicationId);
        }

        public Options withSince(Instant from) {
            return new Options(kafkaClient, gateway, grace, from, meteringApplicationId);
        }

        /** The metering app's {@code application.id}: its committed offsets say which usage it has processed. */
        public Options withMeteringApplicationId(String applicationId) {
            return new Options(kafkaClient, gateway, grace, since, applicationId);
        }
    }

    /** The metering app's default {@code application.id}. */
    public static final String DEFAULT_METERING_APPLICATION_ID = "metering-topology";

    public static ReconciliationReport run(Options options) {
        Instant now = Instant.now();
        return Reconciler.compare(read(options), now, options.grace(), options.since());
    }

    /** The records of every compared topic and the gateway's charges, as they stand now. */
    public static ReconciliationInput read(Options options) {
        Properties props = new Properties();
        props.putAll(options.kafkaClient());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // a check only reads: asking for a topic that is missing must not create it
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        List<ReconciliationInput.Undecodable> undecodable = new ArrayList<>();
        // what the metering app has processed, then its inputs, then its outputs: outputs and offsets are
        // committed together, so everything below these offsets has its outputs among those read after
        Map<Integer, Long> processedUpTo = UsageReading.committedOffsets(options.kafkaClient(),
                options.meteringApplicationId());
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            Reader reader = new Reader(consumer, undecodable);
            List<UsageAccounting.InputRecord> usageIn = UsageReading.inputs(consumer);
            List<LedgerEntry> ledger = reader.read(Topics.LEDGER_ENTRIES, Check.LEDGER);
            List<AccountBalance> balances = reader.read(Topics.ACCOUNT_BALANCES, Check.LEDGER);
            List<RechargeRequest> requests = reader.read(Topics.RECHARGE_REQUESTS, Check.RESULTS);
            List<PaymentResult> results = reader.read(Topics.PAYMENT_RESULTS, Check.RESULTS);
            List<Receipt> receipts = reader.read(Topics.RECEIPTS, Check.RECEIPTS);
            List<BillingNotification> notifications = reader.read(Topics.BILLING_NOTIFICATIONS, Check.RECEIPTS);
            Set<DeadLetter.Location> deadLettered = UsageReading.deadLettered(consumer);
            UsageAccounting.Input usage = new UsageAccounting.Input(usageIn, UsageReading.debited(ledger),
                    UsageReading.parked(reader.read(Topics.USAGE_UNPRICED, Check.USAGE)),
                    UsageReading.usagePositions(deadLettered), processedUpTo,
                    UsageReading.openPlanFees(requests, results));
            // the gateway last: a charge made after the topics were read belongs to a request not read, and is
            // young enough to be open
            List<GatewayCharge> charges = options.gateway() == null ? null
                    : options.gateway().successfulCharges(options.since());
            return new ReconciliationInput(ledger, balances, requests, results, receipts, notifications, charges,
                    undecodable, usage, deadLettered);
        }
    }

    private record Reader(KafkaConsumer<byte[], byte[]> consumer, List<ReconciliationInput.Undecodable> undecodable) {

        <V> List<V> read(Topic<String, V> topic, Check check) {
            List<V> values = new ArrayList<>();
            TopicReader.readToEnd(consumer, topic.name(), record -> {
                if (record.value() == null) {
                    return; // a tombstone deletes nothing the comparison needs
                }
                try {
                    values.add(topic.valueSerde().deserializer().deserialize(topic.name(), record.value()));
                } catch (RuntimeException e) {
                    undecodable.add(new ReconciliationInput.Undecodable(check, new DeadLetter.Location(
                            record.topic(), record.partition(), record.offset()), key(record), e.getMessage()));
                }
            });
            return values;
        }

        private static String key(ConsumerRecord<byte[], byte[]> record) {
            return record.key() == null ? "null" : new String(record.key(), StandardCharsets.UTF_8);
        }
    }
}
