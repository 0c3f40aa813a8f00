package dev.meterflow.metering.topology;

import static dev.meterflow.testdata.AccountSettingsBuilder.settingsFor;
import static dev.meterflow.testdata.PaymentResultBuilder.aPaymentResult;
import static dev.meterflow.testdata.TestData.ACME;
import static dev.meterflow.testdata.TestData.BETA;
import static dev.meterflow.testdata.TestData.LOCAL_NUMBER;
import static dev.meterflow.testdata.TestData.START;
import static dev.meterflow.testdata.TestData.dollars;
import static dev.meterflow.testdata.UsageEventBuilder.aUsageEvent;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.schemas.RechargeRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No request left hanging (issue 10, §6): an automatic recharge with no result after
 * {@code meterflow.recharge.pending-timeout} (30 minutes) is reported once, as a log line and the counter
 * {@code recharge-pending-overdue-total}; only the worker's answer releases it.
 */
class PendingRechargeTimeoutTopologyTest {

    private static final String OVERDUE_TOTAL = "recharge-pending-overdue-total";

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
    void shouldReportARechargeStillPendingAfterTheTimeoutOnce() {
        // given an opening recharge the worker never answers
        metering.publish(settingsFor(ACME).topUpTo(dollars(50)).whenBelow(dollars(15)));
        metering.theRechargeRequest();

        // when 29 minutes pass, then 2 more, then another hour
        metering.advanceWallClock(Duration.ofMinutes(29));
        double beforeTheTimeout = overdue();
        metering.advanceWallClock(Duration.ofMinutes(2));
        double afterTheTimeout = overdue();
        metering.advanceWallClock(Duration.ofHours(1));

        // then it is reported once, past the timeout only
        assertThat(beforeTheTimeout).isZero();
        assertThat(afterTheTimeout).isEqualTo(1.0);
        assertThat(overdue()).isEqualTo(1.0);
    }

    @Test
    void shouldNotReportARechargeAnsweredInTime() {
        // given two accounts' opening recharges, one answered within the timeout
        metering.publish(settingsFor(ACME).topUpTo(dollars(50)).whenBelow(dollars(15)));
        RechargeRequest answered = metering.theRechargeRequest();
        metering.publish(settingsFor(BETA).topUpTo(dollars(50)).whenBelow(dollars(15)));
        metering.theRechargeRequest();
        metering.advanceWallClock(Duration.ofMinutes(10));
        metering.publish(aPaymentResult().answering(answered).succeeded().at(START.plusSeconds(600)));

        // when the timeout passes
        metering.advanceWallClock(Duration.ofMinutes(25));

        // then only the unanswered one is reported
        assertThat(overdue()).isEqualTo(1.0);
    }

    @Test
    void shouldReportTheNextRequestOfAnAccountOnItsOwnTime() {
        // given a recharge declined at once, and the retry after the back-off left unanswered
        metering.publish(settingsFor(ACME).topUpTo(dollars(50)).whenBelow(dollars(15)));
        metering.publish(aPaymentResult().answering(metering.theRechargeRequest()).declined().at(START));
        metering.advanceWallClock(Duration.ofHours(24).plusMinutes(1));
        metering.theRechargeRequest();
        double whenTheRetryIsAsked = overdue();

        // when its own 30 minutes pass
        metering.advanceWallClock(Duration.ofMinutes(31));

        // then the declined first request is never reported, the retry is
        assertThat(whenTheRetryIsAsked).isZero();
        assertThat(overdue()).isEqualTo(1.0);
    }

    private double overdue() {
        return metering.meteringMetric(OVERDUE_TOTAL, null, null);
    }

    @Test
    void shouldKeepAnOverdueRechargePendingUntilTheWorkerAnswersThatItNeverChargedIt() {
        // given an opening recharge that is overdue, and usage that crosses the threshold again meanwhile
        metering.publish(settingsFor(ACME).topUpTo(dollars(50)).whenBelow(dollars(15)));
        RechargeRequest overdueRequest = metering.theRechargeRequest();
        metering.advanceWallClock(Duration.ofMinutes(31));
        metering.publish(aUsageEvent().sku(LOCAL_NUMBER).quantity(1).at(START.plusSeconds(40 * 60)));
        List<RechargeRequest> whileOverdue = metering.rechargeRequests();

        // when the worker refused it before the gateway: a FAILED result without attempts
        metering.publish(aPaymentResult().answering(overdueRequest).refusedBeforeTheGateway()
                .at(START.plusSeconds(45 * 60)));
        String pendingAfterTheAnswer = metering.latestBalances().get(ACME).getPendingRechargeId();
        // and usage arrives once the decline back-off (24 hours) has passed
        metering.publish(aUsageEvent().sku(LOCAL_NUMBER).quantity(1)
                .at(START.plusSeconds(45 * 60).plus(Duration.ofHours(24)).plusSeconds(1)));

        // then a report never released it, the answer did, and the next crossing asks again
        assertThat(overdue()).isEqualTo(1.0);
        assertThat(whileOverdue).as("no second request while the first may still be charged").isEmpty();
        assertThat(pendingAfterTheAnswer).isNull();
        assertThat(metering.theRechargeRequest().getRequestId()).isNotEqualTo(overdueRequest.getRequestId());
        assertThat(metering.unmatchedPayments()).isEmpty();
    }
}
