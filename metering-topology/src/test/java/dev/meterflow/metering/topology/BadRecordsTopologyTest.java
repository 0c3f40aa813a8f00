package dev.meterflow.metering.topology;

import static dev.meterflow.testdata.AccountSettingsBuilder.settingsFor;
import static dev.meterflow.testdata.PaymentMethodBuilder.aDinersCard;
import static dev.meterflow.testdata.PaymentMethodBuilder.aPayPalAccount;
import static dev.meterflow.testdata.PaymentResultBuilder.aPaymentResult;
import static dev.meterflow.testdata.RateCardBuilder.aRateCard;
import static dev.meterflow.testdata.TestData.ACME;
import static dev.meterflow.testdata.TestData.LOCAL_MINUTES;
import static dev.meterflow.testdata.TestData.LOCAL_MINUTE_PRICE;
import static dev.meterflow.testdata.TestData.PRO_PLAN;
import static dev.meterflow.testdata.TestData.START;
import static dev.meterflow.testdata.TestData.dollars;
import static dev.meterflow.testdata.UsageEventBuilder.aUsageEvent;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.metering.errors.DeadLetters;
import dev.meterflow.schemas.AccountSettings;
import dev.meterflow.schemas.LedgerEntry;
import dev.meterflow.schemas.NotificationType;
import dev.meterflow.schemas.UsageEvent;
import dev.meterflow.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16: no input record can stop billing or bill wrongly. Bad reference data is refused and the previous rate
 * card kept; copies too large to write become references; implausible usage is parked; settings that make no
 * sense are refused with a reason and the previous ones kept.
 */
class BadRecordsTopologyTest {

    private static final byte[] GARBAGE = "\u0007garbage".getBytes(StandardCharsets.UTF_8);
    /** Just under the broker's default 1 MB limit: accepted on the input, too large with headers on a copy. */
    private static final int NEAR_LIMIT = 1_048_000;

    @TempDir
    Path stateDir;

    private MeteringDriver metering;

    @BeforeEach
    void startTopology() {
        metering = MeteringDriver.start(stateDir);
        metering.publish(settingsFor(ACME));
        metering.forgetOutputs();
    }

    @AfterEach
    void stopTopology() {
        metering.close();
    }

    @Test
    void shouldRefuseGarbageOnRateCardsAndKeepPricingWithThePreviousCard() {
        // when seven bytes of garbage and a usage event land on rate-cards under the plan's key
        metering.publishRaw(Topics.RATE_CARDS.name(), PRO_PLAN.getBytes(StandardCharsets.UTF_8), GARBAGE);
        UsageEvent wrongType = aUsageEvent().withEventId("not-a-card").build();
        metering.publishRaw(Topics.RATE_CARDS.name(), PRO_PLAN.getBytes(StandardCharsets.UTF_8),
                Topics.USAGE_EVENTS.valueSerde().serializer().serialize(Topics.USAGE_EVENTS.name(), wrongType));
        metering.publishRaw(Topics.RATE_CARDS.name(), null, GARBAGE);
        metering.publish(aUsageEvent().withEventId("call-after-bad-cards").minutes(2));

        // then each is refused and parked, and the plan's previous card still prices the usage
        assertThat(metering.refusedReferenceRecords()).containsExactly("rate-cards-0@1 UNDECODABLE",
                "rate-cards-0@2 UNDECODABLE", "rate-cards-0@3 NO_KEY");
        assertThat(metering.ledgerEntries()).extracting(LedgerEntry::getSourceId, LedgerEntry::getAmountMicros)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("call-after-bad-cards", -2 * LOCAL_MINUTE_PRICE));
    }

    @Test
    void shouldDeleteARateCardOnATombstone() {
        // when
        metering.publishRaw(Topics.RATE_CARDS.name(), PRO_PLAN.getBytes(StandardCharsets.UTF_8), null);
        metering.publish(aUsageEvent().withEventId("call-after-delete").minutes(2));

        // then a tombstone on a compacted reference topic is a delete, not a bad record
        assertThat(metering.refusedReferenceRecords()).isEmpty();
        assertThat(metering.unpriced()).extracting(record -> header(record.headers(), Topics.REASON_HEADER))
                .containsExactly("NO_RATE_CARD");
    }

    @Test
    void shouldParkUsageAboveThePlausibilityCap() {
        // when an event worth far more than $1,000 (the default cap) arrives: 100,000 minutes at $0.025
        metering.publish(aUsageEvent().withEventId("call-implausible").minutes(100_000));
        metering.publish(aUsageEvent().withEventId("call-plausible").minutes(1).at(START.plusSeconds(1)));

        // then it is parked, not debited, and no recharge of that size is asked for
        assertThat(metering.unpriced()).extracting(record -> header(record.headers(), Topics.REASON_HEADER))
                .containsExactly("IMPLAUSIBLE_AMOUNT");
        assertThat(metering.ledgerEntries()).extracting(LedgerEntry::getSourceId).containsExactly("call-plausible");
        assertThat(metering.rechargeRequests()).isEmpty();
    }

    @Test
    void shouldParkAReferenceWhenTheParkedCopyWouldNotFit() {
        // when a valid event of nearly 1 MB with an unknown SKU arrives, then a good one
        String hugeSku = "x".repeat(NEAR_LIMIT);
        metering.publish(aUsageEvent().withEventId("call-huge").sku(hugeSku));
        metering.publish(aUsageEvent().withEventId("call-after-huge").minutes(1).at(START.plusSeconds(1)));

        // then a reference (no key, no value; where, hash and size in headers) is dead-lettered instead of a copy
        List<TestRecord<byte[], byte[]>> deadLetters = metering.deadLetters();
        assertThat(deadLetters).hasSize(1);
        TestRecord<byte[], byte[]> reference = deadLetters.get(0);
        assertThat(reference.value()).isNull();
        assertThat(header(reference.headers(), DeadLetters.COPY_HEADER)).isEqualTo(DeadLetters.REFERENCE);
        assertThat(header(reference.headers(), DeadLetters.SOURCE_HEADER)).isEqualTo("usage-events-0@0");
        assertThat(header(reference.headers(), Topics.REASON_HEADER)).isEqualTo("OVERSIZED_EVENT");
        assertThat(header(reference.headers(), Parking.PARKED_ON_HEADER)).isEqualTo(Topics.USAGE_UNPRICED.name());
        assertThat(Integer.parseInt(header(reference.headers(), DeadLetters.SIZE_HEADER))).isGreaterThan(NEAR_LIMIT);
        assertThat(header(reference.headers(), DeadLetters.SHA256_HEADER)).hasSize(64);
        assertThat(metering.unpriced()).isEmpty();
        assertThat(metering.ledgerEntries()).extracting(LedgerEntry::getSourceId).containsExactly("call-after-huge");
    }

    @Test
    void shouldDeadLetterAReferenceToUndecodableBytesTooLargeToCopy(@TempDir Path otherStateDir) {
        // given at_least_once only so that the test driver keeps the deserialization handler's record
        try (MeteringDriver atLeastOnce = MeteringDriver.startAtLeastOnce(otherStateDir)) {
            atLeastOnce.publish(settingsFor(ACME));
            byte[] garbage = new byte[NEAR_LIMIT];
            Arrays.fill(garbage, (byte) 'g');

            // when
            atLeastOnce.publishRawUsage(ACME, garbage, START);
            atLeastOnce.publish(aUsageEvent().withEventId("call-after-garbage").minutes(1).at(START.plusSeconds(1)));

            // then
            List<TestRecord<byte[], byte[]>> deadLetters = atLeastOnce.deadLetters();
            assertThat(deadLetters).hasSize(1);
            Headers headers = deadLetters.get(0).headers();
            assertThat(deadLetters.get(0).value()).isNull();
            assertThat(header(headers, DeadLetters.SIZE_HEADER)).isEqualTo(Integer.toString(NEAR_LIMIT));
            assertThat(header(headers, DeadLetters.SHA256_HEADER)).isEqualTo(DeadLetters.sha256(garbage));
            assertThat(header(headers, "__streams.errors.exception")).contains("SerializationException");
            assertThat(header(headers, "__streams.errors.topic")).isEqualTo(Topics.USAGE_EVENTS.name());
            assertThat(atLeastOnce.ledgerEntries()).extracting(LedgerEntry::getSourceId)
                    .containsExactly("call-after-garbage");
        }
    }

    @Test
    void shouldRefuseSettingsWithAThresholdAboveTheTargetAndKeepThePreviousOnes() {
        // given ACME's settings without automatic recharge, and a balance of $0.00

        // when a change would recharge to $20 whenever the balance is below $60
        metering.publish(settingsFor(ACME).topUpTo(dollars(20)).whenBelow(dollars(60)).at(START.plusSeconds(2)));

        // then it is refused with a reason the page can show
        List<TestRecord<String, AccountSettings>> rejected = metering.rejectedSettings();
        assertThat(rejected).hasSize(1);
        assertThat(rejected.get(0).key()).isEqualTo(ACME);
        assertThat(header(rejected.get(0).headers(), Topics.REASON_HEADER)).isEqualTo("THRESHOLD_ABOVE_TARGET");
        assertThat(header(rejected.get(0).headers(), Topics.DETAIL_HEADER)).contains("$60.00").contains("$20.00");
        // and the previous settings stay: had the change applied, $0.00 under $60 would ask for a recharge at once
        assertThat(metering.rechargeRequests()).isEmpty();
        assertThat(metering.meteringMetric("settings-rejected-total", "reason", "THRESHOLD_ABOVE_TARGET"))
                .isEqualTo(1.0);
    }

    @Test
    void shouldRefuseARechargeAboveTheCap() {
        // when
        metering.publish(settingsFor(ACME).rechargeFixed(dollars(5_000_000)).whenBelow(dollars(15))
                .at(START.plusSeconds(1)));

        // then no recharge of $5,000,000 is asked for, and the refusal says why
        assertThat(metering.rechargeRequests()).isEmpty();
        assertThat(metering.rejectedSettings()).extracting(record -> header(record.headers(), Topics.REASON_HEADER))
                .containsExactly("AMOUNT_ABOVE_LIMIT");
    }

    @Test
    void shouldRefuseAutoRechargeWithOnlyPayPalAndDiners() {
        // when
        metering.publish(settingsFor(ACME).topUpTo(dollars(50)).whenBelow(dollars(15))
                .paymentMethods(aPayPalAccount().primary(), aDinersCard().backup()).at(START.plusSeconds(1)));

        // then
        assertThat(metering.rejectedSettings()).extracting(record -> header(record.headers(), Topics.REASON_HEADER))
                .containsExactly("NO_USABLE_PAYMENT_METHOD");
    }

    @Test
    void shouldParkAReferenceForAnOversizedUnmatchedPaymentResult() {
        // when a payment result for no pending request, padded to nearly 1 MB, arrives
        metering.publish(aPaymentResult().forAccount(ACME).forRequest("rr-" + "9".repeat(NEAR_LIMIT)));

        // then
        assertThat(metering.unmatchedPayments()).isEmpty();
        List<TestRecord<byte[], byte[]>> deadLetters = metering.deadLetters();
        assertThat(deadLetters).hasSize(1);
        assertThat(header(deadLetters.get(0).headers(), Parking.PARKED_ON_HEADER))
                .isEqualTo(Topics.PAYMENT_RESULTS_UNMATCHED.name());
    }

    @Test
    void shouldSayWhenNoPaymentMethodCanBeChargedAutomatically() {
        // given settings stored before the rules refused them: auto-recharge on, PayPal only, balance under $15
        // (Ledger, not the processor: the processor refuses such settings now)
        var ledger = new dev.meterflow.metering.ledger.Ledger(java.time.Duration.ofHours(24));
        var settings = AvroMapping.settings(settingsFor(ACME).topUpTo(dollars(50)).whenBelow(dollars(15))
                .paymentMethods(aPayPalAccount().primary()).build());

        // when
        var decision = ledger.applySettings(dev.meterflow.metering.ledger.AccountState.opening(), settings,
                START.toEpochMilli());

        // then a LOW_BALANCE notice says that nothing can be charged automatically
        assertThat(decision.effects()).singleElement().satisfies(effect -> {
            var notice = (dev.meterflow.metering.ledger.Effect.Notify) effect;
            assertThat(notice.kind().name()).isEqualTo(NotificationType.LOW_BALANCE.name());
            assertThat(notice.attributes()).containsEntry("reason", "NO_USABLE_PAYMENT_METHOD");
            assertThat(notice.summary()).contains("no payment method can be charged automatically");
        });
    }

    private static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
