package dev.meterflow.metering.topology;

import static dev.meterflow.testdata.AccountSettingsBuilder.settingsFor;
import static dev.meterflow.testdata.PaymentResultBuilder.aPaymentResult;
import static dev.meterflow.testdata.RateCardBuilder.aRateCard;
import static dev.meterflow.testdata.TestData.ACME;
import static dev.meterflow.testdata.TestData.BETA;
import static dev.meterflow.testdata.TestData.LOCAL_MINUTES;
import static dev.meterflow.testdata.TestData.RECORDING_MINUTES;
import static dev.meterflow.testdata.TestData.START;
import static dev.meterflow.testdata.TestData.dollars;
import static dev.meterflow.testdata.UsageEventBuilder.aUsageEvent;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.schemas.LedgerEntry;
import dev.meterflow.schemas.PaymentResult;
import dev.meterflow.schemas.RechargeRequest;
import dev.meterflow.schemas.UsageEvent;
import dev.meterflow.testdata.PaymentMethodBuilder;
import dev.meterflow.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input is never dropped silently (DESIGN.md decision 5): unusable usage is parked on usage-unpriced with a
 * reason and counted, undecodable bytes go to the dead letter queue, unmatched payment results are parked; and
 * the records after them are still processed.
 */
class BadInputTopologyTest {

    /** Kafka Streams' dead letter queue headers (KIP-1034; ExceptionHandlerUtils is internal). */
    private static final String DLQ_EXCEPTION = "__streams.errors.exception";
    private static final String DLQ_MESSAGE = "__streams.errors.message";
    private static final String DLQ_TOPIC = "__streams.errors.topic";
    private static final String DLQ_PARTITION = "__streams.errors.partition";
    private static final String DLQ_OFFSET = "__streams.errors.offset";

    private static final String UNPRICED_TOTAL = "usage-unpriced-total";

    /** What a producer that forgot the Avro serializer writes. */
    private static final byte[] NOT_AVRO =
            "{\"eventId\":\"call-json\",\"quantity\":60}".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path stateDir;

    private MeteringDriver metering;

    @BeforeEach
    void startTopology() {
        metering = MeteringDriver.start(stateDir);
    }

    @AfterEach
    void stopTopology() {
        metering.close();
    }

    @Test
    void shouldParkUsageWithABlankEventId() {
        // given
        metering.publish(settingsFor(ACME));

        // when
        metering.publish(aUsageEvent().withEventId(" ").minutes(2));

        // then
        assertParkedAs("BLANK_EVENT_ID");
    }

    @Test
    void shouldParkUsageWithANegativeQuantity() {
        // given
        metering.publish(settingsFor(ACME));

        // when
        metering.publish(aUsageEvent().withEventId("call-negative").seconds(-30));

        // then
        assertParkedAs("NEGATIVE_QUANTITY");
    }

    @Test
    void shouldParkUsageOfAnAccountWithoutSettings() {
        // given no settings for ACME

        // when
        metering.publish(aUsageEvent().withEventId("call-orphan").minutes(2));

        // then
        assertParkedAs("NO_SETTINGS");
    }

    @Test
    void shouldParkUsageWhenTheRatePlanHasNoRateCard() {
        // given
        metering.publish(settingsFor(ACME).onRatePlan("plan-enterprise-2026"));

        // when
        metering.publish(aUsageEvent().withEventId("call-no-card").minutes(2));

        // then
        assertParkedAs("NO_RATE_CARD");
    }

    @Test
    void shouldParkUsageOfASkuWithoutAPrice() {
        // given a rate card that does not price encrypted recording
        metering.publish(aRateCard().withoutPriceFor(RECORDING_MINUTES));
        metering.publish(settingsFor(ACME));

        // when
        metering.publish(aUsageEvent().withEventId("rec-0001").sku(RECORDING_MINUTES).minutes(2));

        // then
        assertParkedAs("NO_PRICE");
    }

    @Test
    void shouldSkipUndecodableUsageAndKeepDebitingTheSamePartition() {
        // given the production configuration (exactly_once_v2, metering-dlq, log-and-continue)
        metering.publish(settingsFor(ACME));

        // when a record that is not Avro single-object encoded arrives, then a good one on the same partition
        metering.publishRawUsage(ACME, NOT_AVRO, START);
        metering.publish(aUsageEvent().withEventId("call-after-garbage").minutes(1).at(START.plusSeconds(1)));

        // then the bad record is skipped by the deserialization handler (counted as dropped), nothing is parked
        // or debited for it, and the next record is debited. Its copy on metering-dlq is not observable here:
        // under exactly_once_v2 the test driver discards it (see MeteringDriver#startAtLeastOnce).
        assertThat(metering.streamsMetric("stream-task-metrics", "dropped-records-total", "task-id", "0_0"))
                .isEqualTo(1.0);
        assertThat(metering.unpriced()).isEmpty();
        assertThat(metering.ledgerEntries()).extracting(LedgerEntry::getSourceId)
                .containsExactly("call-after-garbage");
    }

    @Test
    void shouldSendUndecodableUsageToTheDeadLetterQueueWithKafkaStreamsErrorHeaders(@TempDir Path otherStateDir) {
        // given the same topology and handlers, at_least_once only so that the test driver keeps the DLQ record
        try (MeteringDriver atLeastOnce = MeteringDriver.startAtLeastOnce(otherStateDir)) {
            atLeastOnce.publish(settingsFor(ACME));

            // when
            atLeastOnce.publishRawUsage(ACME, NOT_AVRO, START);
            atLeastOnce.publish(aUsageEvent().withEventId("call-after-garbage").minutes(1).at(START.plusSeconds(1)));

            // then the bad record is on metering-dlq as received, with the error in Kafka Streams' headers
            List<TestRecord<byte[], byte[]>> deadLetters = atLeastOnce.deadLetters();
            assertThat(deadLetters).hasSize(1);
            TestRecord<byte[], byte[]> deadLetter = deadLetters.get(0);
            assertThat(new String(deadLetter.key(), StandardCharsets.UTF_8)).isEqualTo(ACME);
            assertThat(deadLetter.value()).isEqualTo(NOT_AVRO);
            assertThat(header(deadLetter.headers(), DLQ_EXCEPTION)).contains("SerializationException");
            assertThat(header(deadLetter.headers(), DLQ_MESSAGE)).contains("not Avro single-object encoded");
            assertThat(header(deadLetter.headers(), DLQ_TOPIC)).isEqualTo(Topics.USAGE_EVENTS.name());
            assertThat(header(deadLetter.headers(), DLQ_PARTITION)).isEqualTo("0");
            assertThat(header(deadLetter.headers(), DLQ_OFFSET)).isEqualTo("0");
            // and the next record on the partition is still debited
            assertThat(atLeastOnce.ledgerEntries()).extracting(LedgerEntry::getSourceId)
                    .containsExactly("call-after-garbage");
        }
    }

    @Test
    void shouldSendATombstoneOnUsageEventsToTheDeadLetterQueueAndKeepDebiting() {
        // given
        metering.publish(settingsFor(ACME));

        // when a null value (usage-events is not compacted: a tombstone means nothing there), then a good record
        metering.publishRawUsage(ACME, null, START);
        metering.publish(aUsageEvent().withEventId("call-after-tombstone").minutes(1).at(START.plusSeconds(1)));

        // then
        List<TestRecord<byte[], byte[]>> deadLetters = metering.deadLetters();
        assertThat(deadLetters).hasSize(1);
        assertThat(header(deadLetters.get(0).headers(), DLQ_EXCEPTION)).contains("IllegalArgumentException");
        assertThat(header(deadLetters.get(0).headers(), DLQ_TOPIC)).isEqualTo(Topics.USAGE_EVENTS.name());
        assertThat(metering.ledgerEntries()).extracting(LedgerEntry::getSourceId)
                .containsExactly("call-after-tombstone");
    }

    @Test
    void shouldSendSettingsKeyedByAnotherAccountToTheDeadLetterQueueAndBillNoOne() {
        // when settings naming ACME arrive under another account's key, then ACME's own settings
        metering.publishUnderKey("acct-someone-else", settingsFor(ACME));
        metering.publish(settingsFor(ACME));
        metering.publish(aUsageEvent().withEventId("call-after-misrouted-settings").minutes(1).at(START.plusSeconds(1)));

        // then the misrouted record is dead-lettered with its reason, and ACME is billed under its own key only
        List<TestRecord<byte[], byte[]>> deadLetters = metering.deadLetters();
        assertThat(deadLetters).hasSize(1);
        assertThat(header(deadLetters.get(0).headers(), DLQ_TOPIC)).isEqualTo(Topics.ACCOUNT_SETTINGS.name());
        assertThat(metering.latestBalances()).containsOnlyKeys(ACME);
        assertThat(metering.ledgerEntries()).extracting(LedgerEntry::getAccountId).containsOnly(ACME);
    }

    @Test
    void shouldPriceWithTheRateCardInForceWhenTheEventArrives() {
        // given an event priced with the current card
        metering.publish(settingsFor(ACME));
        UsageEvent before = metering.publish(aUsageEvent().withEventId("call-before-card-change").minutes(1));

        // when the card loses that sku's price, and the same sku is used again
        metering.publish(aRateCard().withoutPriceFor(before.getSku()));
        metering.publish(aUsageEvent().withEventId("call-after-card-change").minutes(1).at(START.plusSeconds(5)));

        // then the second event meets the new card (no stale cached price)
        assertThat(metering.ledgerEntries()).extracting(LedgerEntry::getSourceId).containsExactly("call-before-card-change");
        assertThat(metering.unpriced()).singleElement().satisfies(parked ->
                assertThat(header(parked.headers(), Topics.REASON_HEADER)).isEqualTo("NO_PRICE"));
    }

    @Test
    void shouldSkipADuplicateOfADebitedEventEvenWhenItCouldNotBePricedNow() {
        // given an event debited while its sku had a price
        metering.publish(settingsFor(ACME));
        UsageEvent call = metering.publish(aUsageEvent().withEventId("call-priced-once").minutes(1));

        // when the rate card loses that price and the platform re-sends the event
        metering.publish(aRateCard().withoutPriceFor(call.getSku()));
        metering.publish(call);

        // then the copy is a duplicate, not parked: a later replay could otherwise debit it a second time
        assertThat(metering.unpriced()).isEmpty();
        assertThat(metering.ledgerEntries()).hasSize(1);
        assertThat(metering.meteringMetric("usage-duplicate-total", null, null)).isEqualTo(1.0);
    }

    @Test
    void shouldParkAPaymentResultForAnUnknownAccountAndKeepProcessing() {
        // given an account with a recharge in flight
        metering.publish(settingsFor(ACME).topUpTo(dollars(50)).whenBelow(dollars(15)));
        RechargeRequest pending = metering.theRechargeRequest();

        // when a result arrives for an account the topology never saw, then the real one
        PaymentResult stray = metering.publish(aPaymentResult().forAccount(BETA).forRequest("rr-acct-beta-dental-1")
                .amountCents(2500).succeeded());
        metering.publish(aPaymentResult().answering(pending).succeeded().at(START.plusSeconds(5)));

        // then the stray one is parked with its reason, and the real one is credited
        List<TestRecord<String, PaymentResult>> unmatched = metering.unmatchedPayments();
        assertThat(unmatched).hasSize(1);
        assertThat(unmatched.get(0).key()).isEqualTo(BETA);
        assertThat(unmatched.get(0).value()).isEqualTo(stray);
        assertThat(header(unmatched.get(0).headers(), Topics.REASON_HEADER)).isEqualTo("UNKNOWN_ACCOUNT");
        assertThat(metering.ledgerEntries()).extracting(LedgerEntry::getEntryId)
                .containsExactly("recharge:" + pending.getRequestId());
        assertThat(metering.meteringMetric("payment-result-unmatched-total", "reason", "UNKNOWN_ACCOUNT"))
                .isEqualTo(1.0);
    }

    @Test
    void shouldParkAPaymentResultForAnUnknownRequestAndKeepProcessing() {
        // given an account with a recharge in flight
        metering.publish(settingsFor(ACME).topUpTo(dollars(50)).whenBelow(dollars(15)));
        RechargeRequest pending = metering.theRechargeRequest();
        metering.forgetOutputs();

        // when a result arrives for a request id never issued, then the real one
        metering.publish(aPaymentResult().forAccount(ACME).forRequest("rr-made-up-42").succeeded()
                .at(START.plusSeconds(70)));
        metering.publish(aPaymentResult().answering(pending).succeeded().at(START.plusSeconds(90)));

        // then the unknown one is parked with its reason, and the real one is credited
        List<TestRecord<String, PaymentResult>> unmatched = metering.unmatchedPayments();
        assertThat(unmatched).extracting(record -> record.value().getRequestId()).containsExactly("rr-made-up-42");
        assertThat(unmatched).extracting(record -> header(record.headers(), Topics.REASON_HEADER))
                .containsExactly("UNKNOWN_REQUEST");
        assertThat(metering.ledgerEntries()).extracting(LedgerEntry::getEntryId)
                .containsExactly("recharge:" + pending.getRequestId());
        assertThat(metering.meteringMetric("payment-result-unmatched-total", "reason", "UNKNOWN_REQUEST"))
                .isEqualTo(1.0);
    }

    @Test
    void shouldParkASucceededResultForARequestThatIsNoLongerPending() {
        // Rule: a payment result for an unknown or non-pending request goes to payment-results-unmatched.
        // Regression: a SUCCEEDED result for a request already applied as DECLINED (say, the worker's reconciler
        // finds the charge went through after all) was skipped as a "duplicate", because the topology remembered
        // only the requestId, not the outcome applied: money taken, never credited, and nothing for an operator.

        // given an account whose recharge was declined, and which now has a second one in flight
        metering.publish(settingsFor(ACME).topUpTo(dollars(50)).whenBelow(dollars(15)));
        RechargeRequest declined = metering.theRechargeRequest();
        metering.publish(aPaymentResult().answering(declined).declined().at(START.plusSeconds(5)));
        metering.publish(settingsFor(ACME).topUpTo(dollars(50)).whenBelow(dollars(15))
                .paymentMethods(PaymentMethodBuilder.aMastercard().primary()).at(START.plusSeconds(60)));
        RechargeRequest pending = metering.theRechargeRequest();
        metering.forgetOutputs();

        // when a SUCCEEDED result arrives for the declined request, then the pending one's result
        PaymentResult late = metering.publish(aPaymentResult().answering(declined).succeeded()
                .at(START.plusSeconds(80)));
        metering.publish(aPaymentResult().answering(pending).succeeded().at(START.plusSeconds(90)));

        // then the late one is parked for an operator, not credited; the pending one is credited
        List<TestRecord<String, PaymentResult>> unmatched = metering.unmatchedPayments();
        assertThat(unmatched).extracting(TestRecord::value).containsExactly(late);
        assertThat(unmatched).extracting(record -> header(record.headers(), Topics.REASON_HEADER))
                .containsExactly("UNKNOWN_REQUEST");
        assertThat(metering.ledgerEntries()).extracting(LedgerEntry::getEntryId)
                .containsExactly("recharge:" + pending.getRequestId());
    }

    private void assertParkedAs(String reason) {
        List<TestRecord<String, UsageEvent>> parked = metering.unpriced();
        assertThat(parked).hasSize(1);
        assertThat(parked.get(0).key()).isEqualTo(ACME);
        assertThat(header(parked.get(0).headers(), Topics.REASON_HEADER)).isEqualTo(reason);
        assertThat(header(parked.get(0).headers(), Topics.DETAIL_HEADER)).isNotBlank();
        assertThat(metering.ledgerEntries()).isEmpty();
        assertThat(metering.meteringMetric(UNPRICED_TOTAL, "reason", reason)).isEqualTo(1.0);
    }

    private static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
