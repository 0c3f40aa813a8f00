package dev.meterflow.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meterflow.gatewaysim.SimulatorSettings;
import dev.meterflow.schemas.AttemptOutcome;
import dev.meterflow.schemas.BillingNotification;
import dev.meterflow.schemas.NotificationType;
import dev.meterflow.schemas.PaymentAttempt;
import dev.meterflow.schemas.PaymentMethodRef;
import dev.meterflow.schemas.PaymentMethodRole;
import dev.meterflow.schemas.PaymentMethodType;
import dev.meterflow.schemas.PaymentResult;
import dev.meterflow.schemas.PaymentStatus;
import dev.meterflow.schemas.RechargeReason;
import dev.meterflow.schemas.RechargeRequest;
import dev.meterflow.testdata.stack.BrokerStack;
import dev.meterflow.topics.Topic;
import dev.meterflow.topics.Topics;
import dev.meterflow.worker.config.WorkerConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The recharge worker on a real KRaft broker against the gateway simulator: results, receipts and notices
 * read back with {@code read_committed}; the simulator's ledger is the authority on charges.
 */
class RechargeWorkerIT {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    static final BrokerStack kafka = BrokerStack.perClass();
    @RegisterExtension
    final WorkerStack stack = WorkerStack.perTest(kafka);

    @Test
    void shouldChargeOnceAndPublishTheResultReceiptAndNotice() {
        RechargeRequest request = request("rr-ok", "acct-ok", card("pm_card_visa", PaymentMethodRole.PRIMARY));

        send(request);

        PaymentResult result = await().atMost(WAIT).until(() -> results("rr-ok"), list -> !list.isEmpty()).get(0);
        assertThat(result.getStatus()).isEqualTo(PaymentStatus.SUCCEEDED);
        assertThat(result.getAttempts()).extracting(PaymentAttempt::getOutcome).containsExactly(AttemptOutcome.SUCCEEDED);
        assertThat(values(Topics.RECEIPTS, "acct-ok")).singleElement().satisfies(receipt -> {
            assertThat(receipt.getAmountCents()).isEqualTo(3_500);
            assertThat(receipt.getLast4()).isEqualTo("4242");
            assertThat(receipt.getRecipients()).containsExactly("billing@acct-ok.example");
        });
        assertThat(values(Topics.BILLING_NOTIFICATIONS, "acct-ok")).extracting(BillingNotification::getType)
                .containsExactly(NotificationType.RECHARGE_RECEIPT);
        assertThat(stack.simulator().successfulChargesByRequestId().get("rr-ok")).hasSize(1);
    }

    @Test
    void shouldFallBackToTheBackupCardAfterAPrimaryDecline() {
        send(request("rr-fallback", "acct-fallback",
                card("pm_card_chargeDeclinedInsufficientFunds", PaymentMethodRole.PRIMARY),
                card("pm_card_mastercard", PaymentMethodRole.BACKUP)));

        PaymentResult result = await().atMost(WAIT).until(() -> results("rr-fallback"), list -> !list.isEmpty()).get(0);

        assertThat(result.getStatus()).isEqualTo(PaymentStatus.SUCCEEDED);
        assertThat(result.getPaymentMethodId()).isEqualTo("pm_card_mastercard");
        assertThat(result.getAttempts()).extracting(PaymentAttempt::getOutcome, PaymentAttempt::getDeclineCode)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(AttemptOutcome.DECLINED_SOFT, "insufficient_funds"),
                        org.assertj.core.groups.Tuple.tuple(AttemptOutcome.SUCCEEDED, null));
    }

    @Test
    void shouldReportADeclineByEmailAndSmsWhenEveryCardDeclines() {
        send(request("rr-declined", "acct-declined",
                card("pm_card_chargeDeclinedStolenCard", PaymentMethodRole.PRIMARY),
                card("pm_card_chargeDeclinedInsufficientFunds", PaymentMethodRole.BACKUP)));

        PaymentResult result = await().atMost(WAIT).until(() -> results("rr-declined"), list -> !list.isEmpty()).get(0);

        assertThat(result.getStatus()).isEqualTo(PaymentStatus.DECLINED);
        assertThat(result.getAttempts()).extracting(PaymentAttempt::getOutcome)
                .containsExactly(AttemptOutcome.DECLINED_HARD, AttemptOutcome.DECLINED_SOFT);
        assertThat(values(Topics.BILLING_NOTIFICATIONS, "acct-declined")).singleElement().satisfies(notice -> {
            assertThat(notice.getType()).isEqualTo(NotificationType.PAYMENT_DECLINED);
            assertThat(notice.getSmsRecipients()).containsExactly("+15125550142");
        });
        assertThat(values(Topics.RECEIPTS, "acct-declined")).isEmpty();
    }

    @Test
    void shouldTryAHardDeclinedCardAgainOnlyOnceItsExpiryChanges() {
        // issue 10 §6: an account updater renews a card under the same id and last 4 with a new expiry
        PaymentMethodRef stolen = card("pm_card_chargeDeclinedStolenCard", PaymentMethodRole.PRIMARY);
        stolen.setLast4("9979");
        stolen.setExpMonth(8);
        stolen.setExpYear(2028);
        PaymentMethodRef renewed = PaymentMethodRef.newBuilder(stolen).setExpYear(2031).build();
        PaymentMethodRef backup = card("pm_card_mastercard", PaymentMethodRole.BACKUP);

        List<String> declined = methodsTried(request("rr-expiry-1", "acct-renewed", stolen, backup));
        List<String> sameDetails = methodsTried(request("rr-expiry-2", "acct-renewed", stolen, backup));
        List<String> newExpiry = methodsTried(request("rr-expiry-3", "acct-renewed", renewed, backup));

        assertThat(declined).containsExactly(stolen.getPaymentMethodId(), backup.getPaymentMethodId());
        assertThat(sameDetails).containsExactly(backup.getPaymentMethodId());
        assertThat(newExpiry).containsExactly(stolen.getPaymentMethodId(), backup.getPaymentMethodId());
    }

    @Test
    void shouldChargeAPlanFeeLikeAnyRequestAndSayTheReceiptIsForThePlanFee() {
        // issue 10 §3: a plan fee charged directly does not go to the balance, and the receipt's notice says so
        RechargeRequest request = request("fee-paid", "acct-fee-paid", card("pm_card_visa", PaymentMethodRole.PRIMARY));
        request.setReason(RechargeReason.PLAN_FEE_DIRECT);

        send(request);

        PaymentResult result = await().atMost(WAIT).until(() -> results("fee-paid"), list -> !list.isEmpty()).get(0);
        assertThat(result.getStatus()).isEqualTo(PaymentStatus.SUCCEEDED);
        assertThat(result.getReason()).isEqualTo(RechargeReason.PLAN_FEE_DIRECT);
        assertThat(values(Topics.RECEIPTS, "acct-fee-paid")).singleElement()
                .satisfies(receipt -> assertThat(receipt.getAmountCents()).isEqualTo(3_500));
        assertThat(values(Topics.BILLING_NOTIFICATIONS, "acct-fee-paid")).singleElement().satisfies(notice -> {
            assertThat(notice.getType()).isEqualTo(NotificationType.RECHARGE_RECEIPT);
            assertThat(notice.getSummary()).isEqualTo("We charged $35.00 for your plan fee to your visa ending 4242;"
                    + " your prepaid balance is unchanged.");
        });
        assertThat(stack.simulator().successfulChargesByRequestId().get("fee-paid")).hasSize(1);
    }

    @Test
    void shouldSayAPlanFeeNoCardPaidIsDebitedFromTheBalance() {
        RechargeRequest request = request("fee-declined", "acct-fee-declined",
                card("pm_card_chargeDeclinedInsufficientFunds", PaymentMethodRole.PRIMARY));
        request.setReason(RechargeReason.PLAN_FEE_DIRECT);

        send(request);

        PaymentResult result = await().atMost(WAIT).until(() -> results("fee-declined"), list -> !list.isEmpty())
                .get(0);
        assertThat(result.getStatus()).isEqualTo(PaymentStatus.DECLINED);
        assertThat(values(Topics.BILLING_NOTIFICATIONS, "acct-fee-declined")).singleElement().satisfies(notice -> {
            assertThat(notice.getType()).isEqualTo(NotificationType.PAYMENT_DECLINED);
            assertThat(notice.getSmsRecipients()).containsExactly("+15125550142");
            assertThat(notice.getSummary()).startsWith("Your plan fee of $35.00 was not charged")
                    .contains("debited from your prepaid balance instead");
        });
        assertThat(values(Topics.RECEIPTS, "acct-fee-declined")).isEmpty();
    }

    @Test
    void shouldStampItsOutputsWhenWrittenNotWithTheTimeOfAnOldRequest() throws Exception {
        // a request stamped 40 days ago (sent again with its original time, say): what the worker writes must live
        // its topic's retention from when it was written, or a 30-day topic deletes it at once (ARCHITECTURE.md,
        // "Record times")
        RechargeRequest request = request("rr-old", "acct-old", card("pm_card_visa", PaymentMethodRole.PRIMARY));
        long fortyDaysAgo = Instant.now().minus(Duration.ofDays(40)).toEpochMilli();
        long sentAt = System.currentTimeMillis();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.RECHARGE_REQUESTS.name(), null, fortyDaysAgo,
                    "acct-old".getBytes(StandardCharsets.UTF_8), Topics.RECHARGE_REQUESTS.valueSerde().serializer()
                    .serialize(Topics.RECHARGE_REQUESTS.name(), request))).get();
        }

        await().atMost(WAIT).until(() -> results("rr-old"), list -> !list.isEmpty());

        for (Topic<String, ?> output : List.of(Topics.PAYMENT_RESULTS, Topics.RECEIPTS, Topics.BILLING_NOTIFICATIONS)) {
            assertThat(kafka.records(output.name())).filteredOn(record -> "acct-old".equals(BrokerStack.keyOf(record)))
                    .as("%s of acct-old", output.name()).isNotEmpty()
                    .allSatisfy(record -> assertThat(record.timestamp()).isGreaterThanOrEqualTo(sentAt));
        }
    }

    @Test
    void shouldChargeOnceWhenTheSameRequestArrivesTwice() {
        RechargeRequest request = request("rr-twice", "acct-twice", card("pm_card_visa", PaymentMethodRole.PRIMARY));
        send(request);
        send(request);
        RechargeRequest marker = request("rr-after", "acct-twice", card("pm_card_visa", PaymentMethodRole.PRIMARY));
        send(marker);

        await().atMost(WAIT).until(() -> results("rr-after"), list -> !list.isEmpty());

        assertThat(results("rr-twice")).hasSize(1);
        assertThat(stack.simulator().successfulChargesByRequestId().get("rr-twice")).hasSize(1);
    }

    @Test
    void shouldChargeOnceWhenTheWorkerDiesBetweenTheChargeAndTheResult() {
        // the gateway charges the primary card but holds its answer: the worker is waiting when it dies
        stack.simulator().updateSettings(SimulatorSettings.defaults().toBuilder()
                .timeoutAfterCharge(Duration.ofSeconds(20), "pm_card_amex").build());
        send(request("rr-crash", "acct-crash", card("pm_card_amex", PaymentMethodRole.PRIMARY),
                card("pm_card_mastercard", PaymentMethodRole.BACKUP)));
        await().atMost(WAIT).until(() -> stack.simulator().successfulChargesByRequestId().containsKey("rr-crash"));

        stack.worker().halt();
        assertThat(results("rr-crash")).isEmpty();
        stack.simulator().updateSettings(SimulatorSettings.defaults());
        stack.startWorker();

        PaymentResult result = await().atMost(WAIT).until(() -> results("rr-crash"), list -> !list.isEmpty()).get(0);
        assertThat(result.getStatus()).isEqualTo(PaymentStatus.SUCCEEDED);
        assertThat(result.getPaymentMethodId()).isEqualTo("pm_card_amex");
        assertThat(stack.simulator().successfulChargesByRequestId().get("rr-crash")).hasSize(1);
        assertThat(stack.simulator().charges()).noneMatch(charge -> "pm_card_mastercard".equals(charge.paymentMethod())
                && "rr-crash".equals(charge.requestId()));
        assertThat(values(Topics.RECEIPTS, "acct-crash")).hasSize(1);
        assertThat(results("rr-crash")).hasSize(1);
    }

    @Test
    void shouldShowNoLagOnceCaughtUp() {
        // as the metering topology writes them: in transactions, so a commit marker follows each partition's requests
        try (KafkaProducer<byte[], byte[]> topology = transactionalProducer("recharge-worker-it-topology")) {
            topology.initTransactions();
            for (int round = 1; round <= 2; round++) {
                topology.beginTransaction();
                for (int partition = 0; partition < 2; partition++) {
                    RechargeRequest request = request("rr-lag-" + partition + "-" + round, "acct-lag-" + partition,
                            card("pm_card_visa", PaymentMethodRole.PRIMARY));
                    topology.send(new ProducerRecord<>(Topics.RECHARGE_REQUESTS.name(), partition,
                            request.getAccountId().getBytes(StandardCharsets.UTF_8), Topics.RECHARGE_REQUESTS
                            .valueSerde().serializer().serialize(Topics.RECHARGE_REQUESTS.name(), request)));
                }
                topology.commitTransaction();
            }
        }

        await().atMost(WAIT).until(() -> kafka.values(Topics.PAYMENT_RESULTS).stream()
                .map(PaymentResult::getRequestId).toList()
                .containsAll(List.of("rr-lag-0-1", "rr-lag-1-1", "rr-lag-0-2", "rr-lag-1-2")));

        await().atMost(WAIT).untilAsserted(() -> {
            Map<TopicPartition, Long> end = kafka.endOffsets(Topics.RECHARGE_REQUESTS.name());
            assertThat(kafka.committedOffsets(WorkerConfig.GROUP_ID.defaultValue(), Topics.RECHARGE_REQUESTS.name()))
                    .as("the worker group's committed offsets: lag 0 against the end offsets %s", end)
                    .isEqualTo(end);
        });
    }

    private static KafkaProducer<byte[], byte[]> transactionalProducer(String transactionalId) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static List<PaymentResult> results(String requestId) {
        return kafka.values(Topics.PAYMENT_RESULTS).stream()
                .filter(result -> result.getRequestId().equals(requestId)).toList();
    }

    private static <V> List<V> values(Topic<String, V> topic, String accountId) {
        return kafka.values(topic, accountId);
    }

    /** Sends the request, waits for its result and answers the payment methods it tried, in order. */
    private static List<String> methodsTried(RechargeRequest request) {
        send(request);
        PaymentResult result = await().atMost(WAIT).until(() -> results(request.getRequestId()),
                list -> !list.isEmpty()).get(0);
        return result.getAttempts().stream().map(PaymentAttempt::getPaymentMethodId).toList();
    }

    private static void send(RechargeRequest request) {
        kafka.publish(Topics.RECHARGE_REQUESTS, request.getAccountId(), request);
    }

    private static RechargeRequest request(String requestId, String accountId, PaymentMethodRef... methods) {
        return RechargeRequest.newBuilder()
                .setRequestId(requestId)
                .setAccountId(accountId)
                .setReason(RechargeReason.AUTO_RECHARGE)
                .setAmountCents(3_500)
                .setCurrency("USD")
                .setPaymentMethods(List.of(methods))
                .setBalanceMicros(14_000_000)
                .setThresholdMicros(15_000_000)
                .setTargetMicros(49_000_000)
                .setRequestedAt(T0)
                .setBillingEmails(List.of("billing@" + accountId + ".example"))
                .setCriticalBillingPhone("+15125550142")
                .build();
    }

    private static PaymentMethodRef card(String paymentMethodId, PaymentMethodRole role) {
        return PaymentMethodRef.newBuilder()
                .setPaymentMethodId(paymentMethodId)
                .setCustomerId("cus_meterflow")
                .setType(PaymentMethodType.CARD)
                .setBrand(paymentMethodId.contains("mastercard") ? "mastercard"
                        : paymentMethodId.contains("amex") ? "amex" : "visa")
                .setLast4(paymentMethodId.contains("mastercard") ? "4444"
                        : paymentMethodId.contains("amex") ? "8431" : "4242")
                .setRole(role)
                .build();
    }
}
