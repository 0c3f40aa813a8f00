package dev.meterflow.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.meterflow.gatewaysim.Charge;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 10 §2, bank accounts (ACH) on a real broker against the gateway simulator: a debit answers
 * {@code processing}, the request is parked in the attempt log while the consumer's offset moves on, and its one
 * result comes when the bank settles it; a crash meanwhile neither charges again nor publishes twice. The
 * simulator's settlement delay is moved by its knob, never waited out.
 */
class RechargeWorkerAchIT {

    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Duration DAYS = Duration.ofDays(4);
    private static final String SETTLES = "pm_usBankAccount_success";

    @RegisterExtension
    static final BrokerStack kafka = BrokerStack.perClass();
    @RegisterExtension
    final WorkerStack stack = WorkerStack.perTest(kafka)
            .simulating(SimulatorSettings.builder().achSettlementDelay(DAYS).build())
            .withWorkerSettings(Map.of(WorkerConfig.ACH_POLL_INTERVAL.name(), "PT0.5S"));

    @Test
    void shouldPublishOneSucceededResultAndReceiptOnceTheDebitSettlesWithoutHoldingThePartition() throws Exception {
        // given a bank payment that is processing at the bank
        send(payment("pay-ach-ok", "acct-ach-ok", bank(SETTLES, PaymentMethodRole.PRIMARY)));
        await().atMost(WAIT).until(() -> notices("acct-ach-ok"), list -> !list.isEmpty());

        // when a card payment of the same account follows it on the partition
        send(payment("pay-card-after", "acct-ach-ok", card("pm_card_visa")));

        // then the card payment is finished and every request is committed while the debit is still processing
        await().atMost(WAIT).until(() -> results("pay-card-after"), list -> !list.isEmpty());
        await().atMost(WAIT).untilAsserted(() -> assertThat(committedOffsets()).isEqualTo(endOffsets()));
        assertThat(results("pay-ach-ok")).isEmpty();
        assertThat(stack.simulator().charges()).filteredOn(charge -> "pay-ach-ok".equals(charge.requestId()))
                .singleElement().extracting(Charge::status).hasToString("PENDING");

        // when the bank settles it
        stack.simulator().updateSettings(SimulatorSettings.builder().achSettlementDelayMs(0).build());

        // then one SUCCEEDED result, one receipt, and each notice once
        PaymentResult result = await().atMost(WAIT).until(() -> results("pay-ach-ok"), list -> !list.isEmpty()).get(0);
        assertThat(result.getStatus()).isEqualTo(PaymentStatus.SUCCEEDED);
        assertThat(result.getPaymentMethodId()).isEqualTo(SETTLES);
        assertThat(result.getAttempts()).extracting(PaymentAttempt::getOutcome)
                .containsExactly(AttemptOutcome.SUCCEEDED);
        assertThat(values(Topics.RECEIPTS, "acct-ach-ok")).filteredOn(r -> r.getRequestId().equals("pay-ach-ok"))
                .singleElement().satisfies(receipt -> {
                    assertThat(receipt.getBrand()).isEqualTo("bank");
                    assertThat(receipt.getLast4()).isEqualTo("6789");
                });
        assertThat(notices("acct-ach-ok")).filteredOn(n -> "pay-ach-ok".equals(n.getAttributes().get("requestId")))
                .extracting(BillingNotification::getType)
                .containsExactly(NotificationType.PAYMENT_PROCESSING, NotificationType.RECHARGE_RECEIPT);
        assertThat(stack.simulator().successfulChargesByRequestId().get("pay-ach-ok")).hasSize(1);
        assertThat(results("pay-ach-ok")).hasSize(1);
    }

    @Test
    void shouldDeclineWithTheBanksReturnCodeAndItsClass() {
        stack.simulator().updateSettings(SimulatorSettings.builder().achSettlementDelayMs(0).build());

        send(payment("pay-ach-r01", "acct-ach-r01", bank("pm_usBankAccount_insufficientFunds",
                PaymentMethodRole.PRIMARY)));
        send(payment("pay-ach-r02", "acct-ach-r02", bank("pm_usBankAccount_accountClosed",
                PaymentMethodRole.PRIMARY)));

        PaymentResult r01 = await().atMost(WAIT).until(() -> results("pay-ach-r01"), list -> !list.isEmpty()).get(0);
        PaymentResult r02 = await().atMost(WAIT).until(() -> results("pay-ach-r02"), list -> !list.isEmpty()).get(0);
        assertThat(List.of(r01, r02)).extracting(PaymentResult::getStatus).containsOnly(PaymentStatus.DECLINED);
        assertThat(r01.getAttempts()).extracting(PaymentAttempt::getOutcome, PaymentAttempt::getDeclineCode)
                .containsExactly(tuple(AttemptOutcome.DECLINED_SOFT, "R01"));
        assertThat(r02.getAttempts()).extracting(PaymentAttempt::getOutcome, PaymentAttempt::getDeclineCode)
                .containsExactly(tuple(AttemptOutcome.DECLINED_HARD, "R02"));
        assertThat(notices("acct-ach-r01")).filteredOn(n -> n.getType() == NotificationType.PAYMENT_DECLINED)
                .singleElement().satisfies(notice -> assertThat(notice.getAttributes())
                        .containsEntry("declineCodes", "R01").containsEntry("reason", "ONE_TIME_PAYMENT"));
        assertThat(values(Topics.RECEIPTS, "acct-ach-r01")).isEmpty();
    }

    @Test
    void shouldChargeOnceAndPublishOneResultWhenTheWorkerStopsWhileTheDebitIsProcessing() {
        // given a bank payment parked while it is processing
        send(payment("pay-ach-crash", "acct-ach-crash", bank(SETTLES + "__crash", PaymentMethodRole.PRIMARY)));
        await().atMost(WAIT).until(() -> notices("acct-ach-crash"), list -> !list.isEmpty());

        // when the worker dies, the bank settles, and a new worker starts
        stack.worker().halt();
        stack.simulator().updateSettings(SimulatorSettings.builder().achSettlementDelayMs(0).build());
        stack.startWorker();

        // then the new worker finds the parked request in the attempt log and finishes it, without a new debit
        PaymentResult result = await().atMost(WAIT).until(() -> results("pay-ach-crash"), list -> !list.isEmpty())
                .get(0);
        assertThat(result.getStatus()).isEqualTo(PaymentStatus.SUCCEEDED);
        assertThat(stack.simulator().charges()).filteredOn(charge -> "pay-ach-crash".equals(charge.requestId()))
                .hasSize(1);
        assertThat(stack.simulator().successfulChargesByRequestId().get("pay-ach-crash")).hasSize(1);
        assertThat(notices("acct-ach-crash")).extracting(BillingNotification::getType)
                .containsExactly(NotificationType.PAYMENT_PROCESSING, NotificationType.RECHARGE_RECEIPT);
        assertThat(results("pay-ach-crash")).hasSize(1);
    }

    @Test
    void shouldNeverChargeABankAccountForAnAutomaticRecharge() {
        // a request the topology never makes: an automatic recharge offering a bank account first
        RechargeRequest automatic = RechargeRequest.newBuilder(payment("rr-auto-ach", "acct-auto-ach",
                bank(SETTLES, PaymentMethodRole.PRIMARY), card("pm_card_visa")))
                .setReason(RechargeReason.AUTO_RECHARGE).build();

        send(automatic);

        PaymentResult result = await().atMost(WAIT).until(() -> results("rr-auto-ach"), list -> !list.isEmpty())
                .get(0);
        assertThat(result.getStatus()).isEqualTo(PaymentStatus.FAILED);
        assertThat(result.getAttempts()).isEmpty();
        assertThat(kafka.records(Topics.RECHARGE_REQUESTS_DLQ.name()))
                .extracting(record -> new String(record.headers().lastHeader(Topics.REASON_HEADER).value(),
                        StandardCharsets.UTF_8)).contains("ACH_FOR_AUTO_RECHARGE");
        assertThat(stack.simulator().charges()).noneMatch(charge -> "rr-auto-ach".equals(charge.requestId()));
    }

    /** The request topic's end offsets, of the partitions written to (the others have no committed offset). */
    private static Map<TopicPartition, Long> endOffsets() {
        Map<TopicPartition, Long> end = new HashMap<>(kafka.endOffsets(Topics.RECHARGE_REQUESTS.name()));
        end.values().removeIf(offset -> offset == 0);
        return end;
    }

    private static Map<TopicPartition, Long> committedOffsets() {
        return kafka.committedOffsets(WorkerConfig.GROUP_ID.defaultValue(), Topics.RECHARGE_REQUESTS.name());
    }

    private static List<PaymentResult> results(String requestId) {
        return kafka.values(Topics.PAYMENT_RESULTS).stream()
                .filter(result -> result.getRequestId().equals(requestId)).toList();
    }

    private static List<BillingNotification> notices(String accountId) {
        return values(Topics.BILLING_NOTIFICATIONS, accountId);
    }

    private static <V> List<V> values(Topic<String, V> topic, String accountId) {
        return kafka.values(topic, accountId);
    }

    private static void send(RechargeRequest request) {
        kafka.publish(Topics.RECHARGE_REQUESTS, request.getAccountId(), request);
    }

    /** A one-time payment (issue 10 §1), the only kind besides plan fees a bank account may pay. */
    private static RechargeRequest payment(String requestId, String accountId, PaymentMethodRef... methods) {
        return RechargeRequest.newBuilder()
                .setRequestId(requestId)
                .setAccountId(accountId)
                .setReason(RechargeReason.ONE_TIME_PAYMENT)
                .setAmountCents(2_500)
                .setCurrency("USD")
                .setPaymentMethods(List.of(methods))
                .setBalanceMicros(4_000_000)
                .setThresholdMicros(0)
                .setTargetMicros(0)
                .setRequestedAt(T0)
                .setBillingEmails(List.of("billing@" + accountId + ".example"))
                .setCriticalBillingPhone("+15125550142")
                .build();
    }

    private static PaymentMethodRef bank(String paymentMethodId, PaymentMethodRole role) {
        return PaymentMethodRef.newBuilder()
                .setPaymentMethodId(paymentMethodId)
                .setCustomerId("cus_meterflow")
                .setType(PaymentMethodType.ACH)
                .setBrand("bank")
                .setLast4("6789")
                .setRole(role)
                .build();
    }

    private static PaymentMethodRef card(String paymentMethodId) {
        return PaymentMethodRef.newBuilder()
                .setPaymentMethodId(paymentMethodId)
                .setCustomerId("cus_meterflow")
                .setType(PaymentMethodType.CARD)
                .setBrand("visa")
                .setLast4("4242")
                .setRole(PaymentMethodRole.BACKUP)
                .build();
    }
}
