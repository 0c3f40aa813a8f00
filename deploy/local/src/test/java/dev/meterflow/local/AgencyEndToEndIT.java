package dev.meterflow.local;

import static dev.meterflow.local.LiveRecords.settingsFor;
import static dev.meterflow.testdata.TestData.LOCAL_NUMBER;
import static dev.meterflow.testdata.TestData.dollars;
import static dev.meterflow.local.LiveRecords.aUsageEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.meterflow.schemas.AccountStatus;
import dev.meterflow.schemas.AccountStatusChanged;
import dev.meterflow.schemas.BillingNotification;
import dev.meterflow.schemas.LedgerEntry;
import dev.meterflow.schemas.LedgerEntryKind;
import dev.meterflow.schemas.NotificationType;
import dev.meterflow.schemas.PaymentCommand;
import dev.meterflow.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Agency accounts end to end (issue 10, section 5) on a real broker: two sub-accounts' usage debited from their
 * agency through the metering app's internal repartition topic, the agency's pause reaching both sub-accounts,
 * and a payment charged by the recharge worker against the gateway simulator resuming all three.
 */
class AgencyEndToEndIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String AGENCY = "acct-e2e-agency";
    private static final String NORTH_OFFICE = "acct-e2e-office-north";
    private static final String SOUTH_OFFICE = "acct-e2e-office-south";

    @RegisterExtension
    static final RunningPipeline pipeline = RunningPipeline.perClass("meterflow-e2e-agency");
    private static final EndToEndCluster cluster = pipeline.cluster();

    @Test
    void shouldDebitTheAgencyForBothSubAccountsPauseThemWithItAndResumeThemWhenItPays() {
        // given an agency at $0 without automatic recharge, and two sub-accounts, one of them on another partition
        assertThat(List.of(NORTH_OFFICE, SOUTH_OFFICE)).as("a sub-account's usage must cross partitions")
                .anyMatch(office -> partitionOf(office) != partitionOf(AGENCY));
        cluster.publish(Topics.ACCOUNT_SETTINGS, AGENCY, settingsFor(AGENCY).autoRechargeOff().build());
        cluster.publish(Topics.ACCOUNT_SETTINGS, NORTH_OFFICE, settingsFor(NORTH_OFFICE).billedTo(AGENCY).build());
        cluster.publish(Topics.ACCOUNT_SETTINGS, SOUTH_OFFICE, settingsFor(SOUTH_OFFICE).billedTo(AGENCY).build());
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(statuses(NORTH_OFFICE)).containsExactly(AccountStatus.ACTIVE);
            assertThat(statuses(SOUTH_OFFICE)).containsExactly(AccountStatus.ACTIVE);
        });

        // when each office rents a tracking number ($3 each)
        cluster.publish(Topics.USAGE_EVENTS, NORTH_OFFICE, aUsageEvent().withEventId("north-number")
                .forAccount(NORTH_OFFICE).sku(LOCAL_NUMBER).quantity(1).build());
        cluster.publish(Topics.USAGE_EVENTS, SOUTH_OFFICE, aUsageEvent().withEventId("south-number")
                .forAccount(SOUTH_OFFICE).sku(LOCAL_NUMBER).quantity(1).build());

        // then both are debited from the agency, naming the office that used it
        await().atMost(WAIT).untilAsserted(() -> assertThat(cluster.values(Topics.LEDGER_ENTRIES, AGENCY))
                .extracting(LedgerEntry::getKind, LedgerEntry::getSourceAccountId, LedgerEntry::getAmountMicros)
                .containsExactlyInAnyOrder(tuple(LedgerEntryKind.USAGE, NORTH_OFFICE, -dollars(3)),
                        tuple(LedgerEntryKind.USAGE, SOUTH_OFFICE, -dollars(3))));
        assertThat(cluster.values(Topics.LEDGER_ENTRIES, NORTH_OFFICE)).isEmpty();
        assertThat(cluster.values(Topics.LEDGER_ENTRIES, SOUTH_OFFICE)).isEmpty();
        // and the agency is paused, with both offices, and told at its own billing email
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(statuses(AGENCY)).containsExactly(AccountStatus.PAUSED);
            assertThat(statuses(NORTH_OFFICE)).containsExactly(AccountStatus.ACTIVE, AccountStatus.PAUSED);
            assertThat(statuses(SOUTH_OFFICE)).containsExactly(AccountStatus.ACTIVE, AccountStatus.PAUSED);
        });
        assertThat(notifications(AGENCY, NotificationType.ACCOUNT_PAUSED)).singleElement().satisfies(notice ->
                assertThat(notice.getEmailRecipients()).containsExactly(settingsFor(AGENCY).billingEmail()));

        // when the agency's admin pays $25, charged by the worker
        cluster.publish(Topics.PAYMENT_COMMANDS, AGENCY, PaymentCommand.newBuilder().setCommandId("cmd-e2e-agency")
                .setAccountId(AGENCY).setAmountCents(2_500).setPaymentMethodId(null).setRequestedAt(Instant.now())
                .build());

        // then the payment is credited once, and the agency and both offices are active again
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(statuses(AGENCY)).containsExactly(AccountStatus.PAUSED, AccountStatus.ACTIVE);
            assertThat(statuses(NORTH_OFFICE))
                    .containsExactly(AccountStatus.ACTIVE, AccountStatus.PAUSED, AccountStatus.ACTIVE);
            assertThat(statuses(SOUTH_OFFICE))
                    .containsExactly(AccountStatus.ACTIVE, AccountStatus.PAUSED, AccountStatus.ACTIVE);
        });
        assertThat(cluster.values(Topics.LEDGER_ENTRIES, AGENCY)).filteredOn(e -> e.getKind() == LedgerEntryKind.PAYMENT)
                .singleElement().satisfies(payment -> {
                    assertThat(payment.getAmountMicros()).isEqualTo(dollars(25));
                    assertThat(payment.getBalanceAfterMicros()).isEqualTo(dollars(19));
                });
        assertThat(pipeline.gateway().successfulChargesByRequestId().values()).filteredOn(charges -> charges.stream()
                .anyMatch(charge -> AGENCY.equals(charge.accountId()))).singleElement()
                .satisfies(charges -> assertThat(charges).singleElement()
                        .satisfies(charge -> assertThat(charge.amountCents()).isEqualTo(2_500)));
    }

    private static List<AccountStatus> statuses(String account) {
        return cluster.values(Topics.ACCOUNT_STATUS, account).stream().map(AccountStatusChanged::getStatus).toList();
    }

    private static List<BillingNotification> notifications(String account, NotificationType type) {
        return cluster.values(Topics.BILLING_NOTIFICATIONS, account).stream()
                .filter(notice -> notice.getType() == type).toList();
    }

    /** The partition the default partitioner gives an account id, of the test cluster's topics. */
    private static int partitionOf(String accountId) {
        return Utils.toPositive(Utils.murmur2(accountId.getBytes(StandardCharsets.UTF_8)))
                % EndToEndCluster.PARTITIONS;
    }
}
