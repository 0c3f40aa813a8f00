package dev.meterflow.metering.topology;

import static dev.meterflow.testdata.AccountSettingsBuilder.settingsFor;
import static dev.meterflow.testdata.PaymentResultBuilder.aPaymentResult;
import static dev.meterflow.testdata.TestData.ACME;
import static dev.meterflow.testdata.TestData.LOCAL_MINUTES;
import static dev.meterflow.testdata.TestData.LOCAL_NUMBER;
import static dev.meterflow.testdata.TestData.START;
import static dev.meterflow.testdata.TestData.dollars;
import static dev.meterflow.testdata.UsageEventBuilder.aUsageEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.meterflow.schemas.AccountStatus;
import dev.meterflow.schemas.AccountStatusChanged;
import dev.meterflow.schemas.BillingNotification;
import dev.meterflow.schemas.NotificationType;
import dev.meterflow.schemas.RechargeRequest;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pause and resume (billing rules: "balance below zero: the account is paused until the balance is zero or more
 * again; then it is resumed. Status events only on transitions").
 */
class PauseResumeTopologyTest {

    private static final String CRITICAL_PHONE = "+15125550199";

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
    void shouldPauseOnceWhenTheBalanceGoesBelowZero() {
        // given an account at zero, with two billing admins and a critical billing phone
        metering.publish(settingsFor(ACME)
                .billingEmails("billing@acme-plumbing.example", "owner@acme-plumbing.example")
                .criticalBillingPhone(CRITICAL_PHONE));
        metering.forgetOutputs();

        // when a 61-second call takes it to -$0.05
        Instant callAt = START.plusSeconds(60);
        metering.publish(aUsageEvent().withEventId("call-into-red").sku(LOCAL_MINUTES).seconds(61).at(callAt));

        // then one PAUSED status and one ACCOUNT_PAUSED notification, by email and SMS
        assertThat(metering.statusChanges())
                .extracting(AccountStatusChanged::getAccountId, AccountStatusChanged::getStatus,
                        AccountStatusChanged::getBalanceMicros, AccountStatusChanged::getAt)
                .containsExactly(tuple(ACME, AccountStatus.PAUSED, -50_000L, callAt));
        assertThat(metering.notifications()).singleElement().satisfies(notification -> {
            assertThat(notification.getType()).isEqualTo(NotificationType.ACCOUNT_PAUSED);
            assertThat(notification.getEmailRecipients())
                    .containsExactly("billing@acme-plumbing.example", "owner@acme-plumbing.example");
            assertThat(notification.getSmsRecipients()).containsExactly(CRITICAL_PHONE);
        });
        assertThat(metering.latestBalances().get(ACME).getStatus()).isEqualTo(AccountStatus.PAUSED);

        // and when further calls are debited while paused
        metering.publish(aUsageEvent().sku(LOCAL_MINUTES).minutes(3).at(callAt.plusSeconds(60)));
        metering.publish(aUsageEvent().sku(LOCAL_NUMBER).quantity(1).at(callAt.plusSeconds(120)));

        // then they are debited, and nothing more is said
        assertThat(metering.ledgerEntries()).hasSize(3);
        assertThat(metering.statusChanges()).isEmpty();
        assertThat(metering.notifications()).isEmpty();
    }

    @Test
    void shouldNotifyThePauseByEmailOnlyWithoutACriticalBillingPhone() {
        // given an account with no critical billing phone
        metering.publish(settingsFor(ACME).billingEmails("billing@acme-plumbing.example"));

        // when
        metering.publish(aUsageEvent().sku(LOCAL_MINUTES).minutes(1).at(START.plusSeconds(60)));

        // then
        assertThat(metering.notifications()).singleElement().satisfies(notification -> {
            assertThat(notification.getType()).isEqualTo(NotificationType.ACCOUNT_PAUSED);
            assertThat(notification.getEmailRecipients()).containsExactly("billing@acme-plumbing.example");
            assertThat(notification.getSmsRecipients()).isEmpty();
        });
    }

    @Test
    void shouldResumeOnceWhenARechargeBringsTheBalanceBackToZero() {
        // given a fixed $10 recharge below $5, requested for the opening balance of zero and not yet answered
        metering.publish(settingsFor(ACME).rechargeFixed(dollars(10)).whenBelow(dollars(5))
                .criticalBillingPhone(CRITICAL_PHONE));
        RechargeRequest opening = metering.theRechargeRequest();
        // and the account paused at exactly -$10: three tracking numbers ($9) and 40 minutes of calls ($1)
        metering.publish(aUsageEvent().sku(LOCAL_NUMBER).quantity(3).at(START.plusSeconds(60)));
        metering.publish(aUsageEvent().sku(LOCAL_MINUTES).minutes(40).at(START.plusSeconds(120)));
        assertThat(metering.statusChanges()).extracting(AccountStatusChanged::getStatus)
                .containsExactly(AccountStatus.PAUSED);
        metering.forgetOutputs();

        // when the $10 recharge succeeds: the balance is back at exactly zero
        Instant paidAt = START.plusSeconds(180);
        metering.publish(aPaymentResult().answering(opening).succeeded().at(paidAt));

        // then one ACTIVE status and one ACCOUNT_RESUMED notification
        assertThat(metering.statusChanges())
                .extracting(AccountStatusChanged::getStatus, AccountStatusChanged::getBalanceMicros,
                        AccountStatusChanged::getAt)
                .containsExactly(tuple(AccountStatus.ACTIVE, 0L, paidAt));
        assertThat(metering.notifications()).singleElement().satisfies(notification -> {
            assertThat(notification.getType()).isEqualTo(NotificationType.ACCOUNT_RESUMED);
            assertThat(notification.getEmailRecipients()).containsExactly("billing@acme-plumbing.example");
            assertThat(notification.getSmsRecipients()).containsExactly(CRITICAL_PHONE);
        });
        assertThat(metering.latestBalances().get(ACME).getStatus()).isEqualTo(AccountStatus.ACTIVE);

        // and when the next recharge (zero is still under $5) takes it to $10
        RechargeRequest next = metering.theRechargeRequest();
        metering.publish(aPaymentResult().answering(next).succeeded().at(paidAt.plusSeconds(60)));

        // then no further status change
        assertThat(metering.statusChanges()).isEmpty();
        assertThat(metering.notifications()).extracting(BillingNotification::getType).isEmpty();
        assertThat(metering.latestBalances().get(ACME).getBalanceMicros()).isEqualTo(dollars(10));
    }
}
