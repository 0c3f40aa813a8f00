package dev.meterflow.metering.topology;

import static dev.meterflow.testdata.AccountSettingsBuilder.settingsFor;
import static dev.meterflow.testdata.PaymentResultBuilder.aPaymentResult;
import static dev.meterflow.testdata.TestData.ACME;
import static dev.meterflow.testdata.TestData.PLAN_FEE;
import static dev.meterflow.testdata.TestData.PLAN_FEE_PRICE;
import static dev.meterflow.testdata.UsageEventBuilder.aUsageEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.meterflow.metering.config.MeteringConfig;
import dev.meterflow.metering.state.AccountStateRecord;
import dev.meterflow.metering.state.OpenPlanFeeRecord;
import dev.meterflow.schemas.LedgerEntry;
import dev.meterflow.schemas.LedgerEntryKind;
import dev.meterflow.schemas.PaymentStatus;
import dev.meterflow.schemas.RechargeRequest;
import dev.meterflow.schemas.TaxRate;
import dev.meterflow.schemas.UsageEvent;
import dev.meterflow.testdata.AccountSettingsBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 10, §3 and §4: a plan fee charged directly to a card or bank account is taxable usage of its month, once,
 * whether the worker charges it or it is debited after a decline, and whenever the result arrives.
 */
class PlanFeeTaxTopologyTest {

    private static final Instant MARCH_10 = Instant.parse("2025-03-10T09:00:00Z");
    private static final Instant APRIL_1 = Instant.parse("2025-04-01T00:00:00Z");
    private static final Instant MAY_1 = Instant.parse("2025-05-01T00:00:00Z");
    /** 6.25 %, Texas (the test settings' service address). */
    private static final long TEXAS_PPM = 62_500;
    /** 6.25 % of the $49.00 fee is $3.0625: $3.06, rounded half up to the cent. */
    private static final long FEE_TAX = 3_060_000;
    private static final String FEE_EVENT = "march-plan-fee";
    private static final String MARCH_TAX_ENTRY = "tax:" + ACME + ":2025-03";
    private static final Duration PAST_THE_GRACE = Duration.ofMinutes(62);

    @TempDir
    Path stateDir;

    private final List<MeteringDriver> drivers = new ArrayList<>();

    @AfterEach
    void stopTopology() {
        drivers.forEach(MeteringDriver::close);
    }

    @ParameterizedTest
    @EnumSource(PaymentStatus.class)
    void shouldTaxAPlanFeeOnceInItsMonthWhetherChargedOrDebited(PaymentStatus outcome) {
        // given an opted-in account whose March plan fee was asked of the worker, and the result, delivered twice
        MeteringDriver metering = start(APRIL_1.plusSeconds(10));
        metering.publish(optedIn());
        RechargeRequest request = askMarchFee(metering);
        metering.publish(aPaymentResult().answering(request).withStatus(outcome).at(MARCH_10.plusSeconds(60)));
        metering.publish(aPaymentResult().answering(request).withStatus(outcome).at(MARCH_10.plusSeconds(60)));

        // when April's first record arrives
        metering.publish(aUsageEvent().withEventId("first-call-of-april").minutes(1).at(APRIL_1.plusSeconds(5)));

        // then the fee is March's taxable base once, charged to a card or debited from the balance alike
        assertThat(taxes(metering)).containsExactly(tuple(MARCH_TAX_ENTRY, "2025-03", PLAN_FEE_PRICE, -FEE_TAX));
    }

    @ParameterizedTest
    @EnumSource(value = PaymentStatus.class, names = {"SUCCEEDED", "DECLINED"})
    void shouldTaxAFeeWhoseResultArrivesAfterItsMonthsRunInThatRunNotOnALateLine(PaymentStatus outcome) {
        // given a March plan fee paid from a bank account, still settling when April's first record runs March's tax
        MeteringDriver metering = start(APRIL_1.plusSeconds(10));
        metering.publish(optedIn());
        RechargeRequest request = askMarchFee(metering);
        metering.publish(aUsageEvent().withEventId("first-call-of-april").minutes(1).at(APRIL_1.plusSeconds(5)));
        assertThat(taxes(metering)).containsExactly(tuple(MARCH_TAX_ENTRY, "2025-03", PLAN_FEE_PRICE, -FEE_TAX));
        metering.forgetOutputs();

        // when the result arrives on April 3rd, and May's run has come and gone
        metering.publish(aPaymentResult().answering(request).withStatus(outcome)
                .at(APRIL_1.plus(Duration.ofDays(2))));
        metering.advanceWallClock(Duration.between(APRIL_1, MAY_1).plus(PAST_THE_GRACE));

        // then the fee is charged or debited, and taxed no more: it was in March's own run
        assertThat(metering.ledgerEntries()).extracting(LedgerEntry::getKind).containsExactly(
                outcome == PaymentStatus.SUCCEEDED ? LedgerEntryKind.PLAN_FEE_DIRECT : LedgerEntryKind.USAGE);
    }

    @ParameterizedTest
    @EnumSource(value = PaymentStatus.class, names = {"SUCCEEDED", "DECLINED"})
    void shouldTaxAFeeAskedByAnEarlierReleaseAtItsResultOnALateLine(PaymentStatus outcome) {
        // given a March plan fee that an earlier release asked of the worker: open, and in no taxable line
        MeteringDriver metering = start(APRIL_1.plusSeconds(10));
        metering.publish(optedIn());
        RechargeRequest request = askMarchFee(metering);
        stageAsAskedByAnEarlierRelease(metering, request.getRequestId());
        metering.publish(aUsageEvent().withEventId("first-call-of-april").minutes(1).at(APRIL_1.plusSeconds(5)));
        assertThat(taxes(metering)).isEmpty();

        // when its result arrives after March's run, and May's run comes
        metering.publish(aPaymentResult().answering(request).withStatus(outcome)
                .at(APRIL_1.plus(Duration.ofDays(2))));
        metering.advanceWallClock(Duration.between(APRIL_1, MAY_1).plus(PAST_THE_GRACE));

        // then it is taxed once, on a late line naming March
        assertThat(taxes(metering)).containsExactly(
                tuple(MARCH_TAX_ENTRY + ":late:2025-04", "2025-03", PLAN_FEE_PRICE, -FEE_TAX));
    }

    @Test
    void shouldTaxAFeeOnceWhenItsEventIsReadAgainAfterACrash() {
        // given a March plan fee asked and committed, then a crash
        MeteringDriver first = start(APRIL_1.plusSeconds(10));
        first.publish(optedIn());
        RechargeRequest request = askMarchFee(first);
        MeteringDriver.CommittedState committed = first.committedState();
        first.close();
        drivers.remove(first);

        // when a new instance restores the stores, reads the fee event again, and the decline arrives
        MeteringDriver second = start(APRIL_1.plusSeconds(20));
        second.restore(committed);
        second.publish(marchFee());
        second.publish(aPaymentResult().answering(request).declined().at(MARCH_10.plusSeconds(60)));
        second.publish(aUsageEvent().withEventId("first-call-of-april").minutes(1).at(APRIL_1.plusSeconds(5)));

        // then the fee is asked no more and taxed once
        assertThat(second.rechargeRequests()).isEmpty();
        assertThat(taxes(second)).containsExactly(tuple(MARCH_TAX_ENTRY, "2025-03", PLAN_FEE_PRICE, -FEE_TAX));
    }

    private MeteringDriver start(Instant wallClock) {
        Properties settings = new Properties();
        settings.setProperty(MeteringConfig.TAX_RUN_INTERVAL.name(), Duration.ofSeconds(30).toString());
        MeteringDriver metering = MeteringDriver.startAt(stateDir.resolve("driver-" + drivers.size()), wallClock,
                settings);
        metering.publish(TaxRate.newBuilder().setJurisdiction("US-TX").setRatePpm(TEXAS_PPM).setName("sales tax")
                .build());
        drivers.add(metering);
        return metering;
    }

    private static AccountSettingsBuilder optedIn() {
        return settingsFor(ACME).autoRechargeOff().directChargePlanFee();
    }

    private static RechargeRequest askMarchFee(MeteringDriver metering) {
        metering.publish(marchFee());
        RechargeRequest request = metering.theRechargeRequest();
        metering.forgetOutputs();
        return request;
    }

    private static UsageEvent marchFee() {
        return aUsageEvent().withEventId(FEE_EVENT).sku(PLAN_FEE).quantity(1).at(MARCH_10).build();
    }

    /** The open fee as an earlier release kept it (not indexed for tax), and no March line for it. */
    private static void stageAsAskedByAnEarlierRelease(MeteringDriver metering, String requestId) {
        KeyValueStore<String, AccountStateRecord> states = metering.accountStateStore();
        AccountStateRecord state = states.get(ACME);
        List<OpenPlanFeeRecord> fees = new ArrayList<>();
        for (OpenPlanFeeRecord fee : state.getOpenPlanFees()) {
            fees.add(OpenPlanFeeRecord.newBuilder(fee).setIndexedForTax(false).build());
        }
        assertThat(fees).extracting(OpenPlanFeeRecord::getRequestId).containsExactly(requestId);
        states.put(ACME, AccountStateRecord.newBuilder(state).setOpenPlanFees(fees).build());
        metering.taxableUsageStore().delete("2025-03|2025-03|" + ACME);
    }

    private static List<org.assertj.core.groups.Tuple> taxes(MeteringDriver metering) {
        return metering.ledgerEntries().stream().filter(entry -> entry.getKind() == LedgerEntryKind.TAX)
                .map(tax -> tuple(tax.getEntryId(), tax.getTaxPeriod(), tax.getTaxableBaseMicros(),
                        tax.getAmountMicros()))
                .toList();
    }
}
