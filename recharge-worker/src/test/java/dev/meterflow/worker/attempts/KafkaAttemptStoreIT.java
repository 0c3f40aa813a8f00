package dev.meterflow.worker.attempts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.schemas.RechargeReason;
import dev.meterflow.schemas.RechargeRequest;
import dev.meterflow.testdata.stack.BrokerStack;
import dev.meterflow.topics.Topics;
import dev.meterflow.worker.gateway.GatewayAnswer;
import dev.meterflow.worker.recharge.Attempt;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Properties;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The attempt log survives a restart as it was last written, on a real broker. */
class KafkaAttemptStoreIT {

    private static final String STOLEN = "pm_card_chargeDeclinedStolenCard";
    private static final String BACKUP = "pm_card_mastercard";
    private static final String BANK = "pm_usBankAccount_success";

    @RegisterExtension
    static final BrokerStack kafka = BrokerStack.perClass().withTopics(List.of(Topics.RECHARGE_ATTEMPTS));

    @Test
    void shouldReloadTheLatestVersionOfEveryRequestAndRememberHardAndSoftDeclines() {
        Map<String, Object> clients = Map.of("bootstrap.servers", kafka.bootstrapServers());
        AttemptLogEntry entry = AttemptLogEntry.opened("rr-acme-1", "acme", 3_500)
                .withCardDetails(Map.of(STOLEN, "9979", BACKUP, "4444"));
        try (KafkaAttemptStore store = KafkaAttemptStore.open(clients, Topics.RECHARGE_ATTEMPTS.name())) {
            // the life of one request: primary started, hard-declined, backup started, charged, committed
            Attempt primary = Attempt.started(STOLEN, "meterflow/rr-acme-1/" + STOLEN, 1_000);
            store.record(entry = entry.with(primary));
            store.record(entry = entry.withLast(primary.answered(new GatewayAnswer(GatewayAnswer.Kind.DECLINED_HARD,
                    "stolen_card", "pi_1", null, "Your card was declined."), 1_100)));
            Attempt backup = Attempt.started(BACKUP, "meterflow/rr-acme-1/" + BACKUP, 1_200);
            store.record(entry = entry.with(backup));
            store.record(entry = entry.withLast(backup.answered(GatewayAnswer.succeeded("pi_2", "ch_2"), 1_300)));
            store.record(entry = entry.completed("SUCCEEDED"));

            // a later request soft-declined on the backup
            Attempt soft = Attempt.started(BACKUP, "meterflow/rr-acme-2/" + BACKUP, 2_000);
            store.record(AttemptLogEntry.opened("rr-acme-2", "acme", 3_500).with(soft.answered(new GatewayAnswer(
                    GatewayAnswer.Kind.DECLINED_SOFT, "insufficient_funds", "pi_3", null, "Insufficient funds."), 2_100))
                    .completed("DECLINED"));
        }

        try (KafkaAttemptStore reopened = KafkaAttemptStore.open(clients, Topics.RECHARGE_ATTEMPTS.name())) {
            assertThat(reopened.find("rr-acme-1")).hasValue(entry);
            assertThat(reopened.hardDeclinedMethods()).containsExactly(STOLEN);
            assertThat(reopened.hardDeclinedCardDetails()).isEqualTo(Map.of(STOLEN, Set.of("9979")));
            assertThat(reopened.softDeclineTimes(BACKUP, 0)).containsExactly(2_100L);
            assertThat(reopened.softDeclineTimes(STOLEN, 0)).isEmpty();

            // catching up re-reads the older versions this instance wrote: it must not step back to them
            reopened.catchUp();
            assertThat(reopened.find("rr-acme-1")).hasValue(entry);
            assertThat(reopened.softDeclineTimes(BACKUP, 0)).as("re-reading counts nothing twice")
                    .containsExactly(2_100L);
        }
    }

    /**
     * Issue 15: a completion mark is written in the worker's transaction with the request's outputs; the log is
     * read read_committed, so a mark whose transaction aborted (the outputs with it) never counts.
     */
    @Test
    void shouldSeeACompletionMarkOnlyOnceItsTransactionCommitted() {
        Map<String, Object> clients = Map.of("bootstrap.servers", kafka.bootstrapServers());
        AttemptLogEntry charged = AttemptLogEntry.opened("rr-txn-1", "acme", 3_500).with(Attempt.started(BACKUP,
                "meterflow/rr-txn-1/" + BACKUP, 1_000).answered(GatewayAnswer.succeeded("pi_9", "ch_9"), 1_100));
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "attempt-store-it");
        try (KafkaAttemptStore store = KafkaAttemptStore.open(clients, Topics.RECHARGE_ATTEMPTS.name());
             KafkaProducer<String, byte[]> worker =
                     new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            store.record(charged);
            worker.initTransactions();
            worker.beginTransaction();
            worker.send(store.completionRecord(charged.completed("SUCCEEDED")));
            worker.flush(); // on the log, as a worker that died before its commit leaves it
            worker.abortTransaction();

            try (KafkaAttemptStore reopened = KafkaAttemptStore.open(clients, Topics.RECHARGE_ATTEMPTS.name())) {
                assertThat(reopened.find("rr-txn-1")).as("the aborted mark is not seen").hasValue(charged);
            }

            worker.beginTransaction();
            worker.send(store.completionRecord(charged.completed("SUCCEEDED")));
            worker.commitTransaction();
        }
        try (KafkaAttemptStore reopened = KafkaAttemptStore.open(clients, Topics.RECHARGE_ATTEMPTS.name())) {
            assertThat(reopened.find("rr-txn-1")).hasValue(charged.completed("SUCCEEDED"));
        }
    }

    /** Issue 10 §2: a parked request (bank debit processing) comes back with its request; its settlement wins. */
    @Test
    void shouldReloadAParkedRequestAndItsSettlement() {
        Map<String, Object> clients = Map.of("bootstrap.servers", kafka.bootstrapServers());
        RechargeRequest request = RechargeRequest.newBuilder().setRequestId("pay-bank-1").setAccountId("acme")
                .setReason(RechargeReason.ONE_TIME_PAYMENT).setAmountCents(2_500).setCurrency("USD")
                .setPaymentMethods(List.of()).setBalanceMicros(0).setThresholdMicros(0).setTargetMicros(0)
                .setRequestedAt(Instant.EPOCH).build();
        Attempt debit = Attempt.started(BANK, "meterflow/pay-bank-1/" + BANK, 1_000);
        AttemptLogEntry parked = AttemptLogEntry.opened("pay-bank-1", "acme", 2_500)
                .with(debit.answered(GatewayAnswer.processing("pi_bank"), 1_100)).parked(request, 1);
        AttemptLogEntry settled = parked.withLast(debit.answered(GatewayAnswer.succeeded("pi_bank", "ch_bank"), 9_000));
        try (KafkaAttemptStore store = KafkaAttemptStore.open(clients, Topics.RECHARGE_ATTEMPTS.name())) {
            store.record(parked);
            try (KafkaAttemptStore reopened = KafkaAttemptStore.open(clients, Topics.RECHARGE_ATTEMPTS.name())) {
                assertThat(reopened.find("pay-bank-1")).hasValue(parked);
                assertThat(reopened.parked()).containsExactly(parked);
            }
            store.record(settled);
        }
        try (KafkaAttemptStore reopened = KafkaAttemptStore.open(clients, Topics.RECHARGE_ATTEMPTS.name())) {
            assertThat(reopened.find("pay-bank-1")).hasValue(settled);
            assertThat(reopened.find("pay-bank-1").orElseThrow().isParked()).as("still to be published").isTrue();
        }
    }

    /** An upgraded worker reads the attempt log its predecessor wrote with the first version of the record. */
    @Test
    void shouldReadEntriesWrittenWithTheFirstVersionOfTheLog() throws Exception {
        Schema v1;
        try (InputStream in = getClass().getClassLoader()
                .getResourceAsStream("attempt-log-history/RechargeAttemptLog-v1.avsc")) {
            v1 = new Schema.Parser().parse(in);
        }
        GenericRecord attempt = new GenericData.Record(v1.getField("attempts").schema().getElementType());
        attempt.put("paymentMethodId", BACKUP);
        attempt.put("idempotencyKey", "meterflow/rr-old-1/" + BACKUP);
        attempt.put("outcome", "SUCCEEDED");
        attempt.put("chargeId", "ch_old");
        attempt.put("at", 5_000L);
        GenericRecord old = new GenericData.Record(v1);
        old.put("requestId", "rr-old-1");
        old.put("accountId", "acme");
        old.put("amountCents", 3_500L);
        old.put("attempts", List.of(attempt));
        old.put("completedStatus", "SUCCEEDED");
        ByteBuffer encoded = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(old);
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<String, byte[]> predecessor =
                     new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            predecessor.send(new ProducerRecord<>(Topics.RECHARGE_ATTEMPTS.name(), "rr-old-1", bytes)).get();
        }

        try (KafkaAttemptStore store = KafkaAttemptStore.open(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                Topics.RECHARGE_ATTEMPTS.name())) {
            assertThat(store.find("rr-old-1")).hasValueSatisfying(entry -> {
                assertThat(entry.isCompleted()).isTrue();
                assertThat(entry.isParked()).isFalse();
                assertThat(entry.attempts()).singleElement()
                        .satisfies(a -> assertThat(a.chargeId()).isEqualTo("ch_old"));
            });
        }
    }
}
