package dev.meterflow.metering.topology;

import static dev.meterflow.testdata.AccountSettingsBuilder.settingsFor;
import static dev.meterflow.testdata.PaymentMethodBuilder.aMastercard;
import static dev.meterflow.testdata.PaymentResultBuilder.aPaymentResult;
import static dev.meterflow.testdata.TestData.ACME;
import static dev.meterflow.testdata.TestData.LOCAL_MINUTES;
import static dev.meterflow.testdata.TestData.LOCAL_NUMBER;
import static dev.meterflow.testdata.TestData.START;
import static dev.meterflow.testdata.TestData.dollars;
import static dev.meterflow.testdata.UsageEventBuilder.aUsageEvent;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.schemas.BillingNotification;
import dev.meterflow.schemas.LedgerEntry;
import dev.meterflow.schemas.NotificationType;
import dev.meterflow.schemas.RechargeRequest;
import dev.meterflow.schemas.UsageEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every id the topology emits is derived from its input (DESIGN.md decision 3), so a replay after a crash emits
 * the same ids and downstream dedup works.
 */
class DeterministicIdsTopologyTest {

    @Test
    void shouldEmitTheSameIdsWhenTheSameInputRunsThroughAFreshTopology(@TempDir Path firstStateDir,
                                                                       @TempDir Path secondStateDir) {
        // given one day of an account's life: usage built once, so both runs see identical records
        List<UsageEvent> morningCalls = List.of(
                aUsageEvent().sku(LOCAL_NUMBER).quantity(12).at(START.plusSeconds(600)).build(),
                aUsageEvent().sku(LOCAL_MINUTES).minutes(7).at(START.plusSeconds(900)).build());
        List<UsageEvent> afternoonCalls = List.of(
                aUsageEvent().sku(LOCAL_MINUTES).minutes(600).at(START.plusSeconds(7200)).build(),
                aUsageEvent().sku(LOCAL_MINUTES).minutes(30).at(START.plusSeconds(7300)).build());

        // when it runs through two fresh topologies
        EmittedIds first = runOneDay(firstStateDir, morningCalls, afternoonCalls);
        EmittedIds second = runOneDay(secondStateDir, morningCalls, afternoonCalls);

        // then
        assertThat(first.requestIds()).hasSize(3).doesNotHaveDuplicates();
        assertThat(first.notificationIds()).isNotEmpty();
        assertThat(second).isEqualTo(first);
    }

    /**
     * Opening recharge succeeds; usage asks for a second one, declined; the account goes negative and is paused;
     * a new card asks for a third, which succeeds and resumes the account.
     */
    private static EmittedIds runOneDay(Path stateDir, List<UsageEvent> morningCalls, List<UsageEvent> afternoonCalls) {
        List<RechargeRequest> requests = new ArrayList<>();
        try (MeteringDriver metering = MeteringDriver.start(stateDir)) {
            metering.publish(settingsFor(ACME).topUpTo(dollars(50)).whenBelow(dollars(15)).criticalBillingPhone(
                    "+15125550199"));
            requests.add(metering.theRechargeRequest());
            metering.publish(aPaymentResult().answering(requests.get(0)).succeeded().at(START.plusSeconds(5)));
            morningCalls.forEach(metering::publish);
            requests.add(metering.theRechargeRequest());
            metering.publish(aPaymentResult().answering(requests.get(1)).declined().at(START.plusSeconds(1800)));
            afternoonCalls.forEach(metering::publish);
            metering.publish(settingsFor(ACME).topUpTo(dollars(50)).whenBelow(dollars(15))
                    .paymentMethods(aMastercard().primary()).at(START.plusSeconds(9000)));
            requests.add(metering.theRechargeRequest());
            metering.publish(aPaymentResult().answering(requests.get(2)).succeeded().at(START.plusSeconds(9100)));
            assertThat(metering.rechargeRequests()).isEmpty();

            List<BillingNotification> notifications = metering.notifications();
            assertThat(notifications).extracting(BillingNotification::getType)
                    .contains(NotificationType.ACCOUNT_PAUSED, NotificationType.ACCOUNT_RESUMED);
            return new EmittedIds(
                    requests.stream().map(RechargeRequest::getRequestId).toList(),
                    notifications.stream().map(BillingNotification::getNotificationId).toList(),
                    metering.ledgerEntries().stream().map(LedgerEntry::getEntryId).toList());
        }
    }

    private record EmittedIds(List<String> requestIds, List<String> notificationIds, List<String> ledgerEntryIds) {
    }
}
