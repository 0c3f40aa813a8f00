package dev.meterflow.metering.topology;

import static dev.meterflow.testdata.AccountSettingsBuilder.settingsFor;
import static dev.meterflow.testdata.PaymentCommandBuilder.aPaymentCommand;
import static dev.meterflow.testdata.PaymentResultBuilder.aPaymentResult;
import static dev.meterflow.testdata.TestData.ACME;
import static dev.meterflow.testdata.TestData.BETA;
import static dev.meterflow.testdata.TestData.START;
import static dev.meterflow.testdata.TestData.dollars;
import static dev.meterflow.testdata.UsageEventBuilder.aUsageEvent;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The record time of what the topology writes (ARCHITECTURE.md, "Record times"). A topic deletes its records by their
 * record time, so what others read later (recharge requests, notices, parked and refused records) is stamped when
 * it is written; an input stamped weeks ago (a late batch, a replay) would otherwise leave outputs that are deleted
 * before they are read. The ledger keeps its input's time: it is kept for ever, and readers order it by that time.
 */
class OutputTimestampTopologyTest {

    /** Older than the 30 days recharge requests and parked records are kept. */
    private static final Instant FORTY_DAYS_AGO = START.minus(Duration.ofDays(40));

    @TempDir
    Path stateDir;

    private MeteringDriver metering;

    @BeforeEach
    void startTopology() {
        // the driver's wall clock is START
        metering = MeteringDriver.start(stateDir);
    }

    @AfterEach
    void stopTopology() {
        metering.close();
    }

    @Test
    void shouldStampTheRechargeRequestAndNoticesOfAnOldEventWhenWrittenAndKeepTheEventsTimeInTheLedger() {
        // given an account recharged up to $50 once its balance goes below $0
        metering.publish(settingsFor(ACME).topUpTo(dollars(50)).whenBelow(0));
        metering.forgetOutputs();

        // when a call made 40 days ago arrives now (a platform's late batch) and takes the balance below $0
        metering.publish(aUsageEvent().withEventId("late-call").minutes(2).at(FORTY_DAYS_AGO));

        // then the request and the notices are stamped now, the ledger entry at the call's time
        assertThat(metering.rechargeRequestRecords()).extracting(TestRecord::getRecordTime).containsExactly(START);
        assertThat(metering.notificationRecords()).isNotEmpty()
                .allSatisfy(notice -> assertThat(notice.getRecordTime()).isEqualTo(START));
        assertThat(metering.ledgerEntryRecords()).extracting(TestRecord::getRecordTime)
                .containsExactly(FORTY_DAYS_AGO);
    }

    @Test
    void shouldStampParkedAndRefusedRecordsWhenParked() {
        // given ACME's settings; BETA has none
        metering.publish(settingsFor(ACME).autoRechargeOff());
        metering.forgetOutputs();

        // when records stamped 40 days ago are parked or refused
        metering.publish(aUsageEvent().forAccount(BETA).withEventId("orphan-call").minutes(2).at(FORTY_DAYS_AGO));
        metering.publish(settingsFor(ACME).topUpTo(dollars(20)).whenBelow(dollars(60)).at(FORTY_DAYS_AGO));
        metering.publish(aPaymentCommand().withCommandId("cmd-49c").amountCents(49).at(FORTY_DAYS_AGO));
        metering.publish(aPaymentResult().forAccount(BETA).forRequest("rr-acct-beta-dental-1").amountCents(2500)
                .succeeded().at(FORTY_DAYS_AGO));

        // then each is kept from now on by its topic's retention
        assertThat(metering.unpriced()).extracting(TestRecord::getRecordTime).containsExactly(START);
        assertThat(metering.rejectedSettings()).extracting(TestRecord::getRecordTime).containsExactly(START);
        assertThat(metering.rejectedPayments()).extracting(TestRecord::getRecordTime).containsExactly(START);
        assertThat(metering.unmatchedPayments()).extracting(TestRecord::getRecordTime).containsExactly(START);
    }

    @Test
    void shouldStampTheReferenceOfAnOldRecordTooLargeToParkWhenDeadLettered() {
        // given ACME's settings
        metering.publish(settingsFor(ACME).autoRechargeOff());
        metering.forgetOutputs();

        // when an event of nearly 1 MB stamped 40 days ago is parked: its copy would not fit, a reference is written
        metering.publish(aUsageEvent().withEventId("huge-call").sku("x".repeat(1_048_000)).at(FORTY_DAYS_AGO));

        // then
        assertThat(metering.deadLetters()).extracting(TestRecord::getRecordTime).containsExactly(START);
    }
}
