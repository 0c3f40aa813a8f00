package dev.meterflow.metering.topology;

import static dev.meterflow.testdata.AccountSettingsBuilder.settingsFor;
import static dev.meterflow.testdata.PaymentMethodBuilder.aMastercard;
import static dev.meterflow.testdata.PaymentResultBuilder.aPaymentResult;
import static dev.meterflow.testdata.RateCardBuilder.aRateCard;
import static dev.meterflow.testdata.TestData.LOCAL_MINUTES;
import static dev.meterflow.testdata.TestData.START;
import static dev.meterflow.testdata.TestData.dollars;
import static dev.meterflow.testdata.UsageEventBuilder.aUsageEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.meterflow.metering.pricing.UnpricedReason;
import dev.meterflow.schemas.AccountBalance;
import dev.meterflow.schemas.AccountStatus;
import dev.meterflow.schemas.AccountStatusChanged;
import dev.meterflow.schemas.BillingNotification;
import dev.meterflow.schemas.LedgerEntry;
import dev.meterflow.schemas.LedgerEntryKind;
import dev.meterflow.schemas.NotificationType;
import dev.meterflow.schemas.RechargeReason;
import dev.meterflow.schemas.RechargeRequest;
import dev.meterflow.schemas.UsageEvent;
import dev.meterflow.testdata.AccountSettingsBuilder;
import dev.meterflow.topics.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, section 5: agency accounts. A sub-account's usage is priced on its own rate plan and debited from its
 * agency's balance (the agency's threshold, cards and recharges apply); every sub-account pauses and resumes with
 * its agency.
 */
class AgencyTopologyTest {

    private static final String AGENCY = "acct-agency-north";
    private static final String OTHER_AGENCY = "acct-agency-south";
    private static final String DALLAS = "acct-sub-dallas";
    private static final String AUSTIN = "acct-sub-austin";
    private static final String WHOLESALE_PLAN = "plan-agency-wholesale";
    /** One cent per started minute on the sub-accounts' plan (the pro plan's is 2.5 cents). */
    private static final long WHOLESALE_MINUTE_PRICE = 10_000;
    private static final String AGENCY_EMAIL = "billing@agency-north.example";

    @TempDir
    Path tempDir;

    private MeteringDriver metering;

    @AfterEach
    void stopTopology() {
        if (metering != null) {
            metering.close();
        }
    }

    @Test
    void shouldDebitASubAccountsUsageFromItsAgencyAtTheSubAccountsRatePlan() {
        // given an agency with $20 and a sub-account on the wholesale plan
        start();
        agencyWithBalance(dollars(20));
        metering.publish(subAccountOf(DALLAS, AGENCY));
        metering.forgetOutputs();

        // when the sub-account makes a 10-minute call
        Instant callAt = START.plusSeconds(120);
        metering.publish(aUsageEvent().forAccount(DALLAS).withEventId("dallas-call-1").sku(LOCAL_MINUTES).minutes(10)
                .at(callAt));

        // then the agency is debited 10 cents, and the entry names the sub-account as the one that used it
        assertThat(metering.ledgerEntries()).singleElement().satisfies(entry -> {
            assertThat(entry.getEntryId()).isEqualTo("usage:dallas-call-1");
            assertThat(entry.getAccountId()).isEqualTo(AGENCY);
            assertThat(entry.getSourceAccountId()).isEqualTo(DALLAS);
            assertThat(entry.getKind()).isEqualTo(LedgerEntryKind.USAGE);
            assertThat(entry.getAmountMicros()).isEqualTo(-10 * WHOLESALE_MINUTE_PRICE);
            assertThat(entry.getBalanceAfterMicros()).isEqualTo(dollars(20) - 10 * WHOLESALE_MINUTE_PRICE);
            assertThat(entry.getSourceId()).isEqualTo("dallas-call-1");
            assertThat(entry.getOccurredAt()).isEqualTo(callAt);
        });
        Map<String, AccountBalance> balances = metering.latestBalances();
        assertThat(balances).containsOnlyKeys(AGENCY);
        assertThat(balances.get(AGENCY).getBalanceMicros()).isEqualTo(dollars(20) - 10 * WHOLESALE_MINUTE_PRICE);
        // and the usage is rolled up for the sub-account that used it
        assertThat(metering.latestRollups().values()).singleElement().satisfies(rollup -> {
            assertThat(rollup.getAccountId()).isEqualTo(DALLAS);
            assertThat(rollup.getAmountMicros()).isEqualTo(10 * WHOLESALE_MINUTE_PRICE);
        });
        assertThat(metering.unpriced()).isEmpty();
    }

    @Test
    void shouldAskForTheAgencysRechargeWhenSubAccountUsageTakesItUnderItsThreshold() {
        // given an agency topping up to $50 below $15, at $15.05, and a sub-account with auto-recharge of its own
        start();
        agencyWithBalance(dollars(15) + 50_000);
        metering.publish(subAccountOf(DALLAS, AGENCY).topUpTo(dollars(100)).whenBelow(dollars(90))
                .paymentMethods(aMastercard().primary()));
        assertThat(metering.rechargeRequests()).as("a sub-account's own auto-recharge is not applied").isEmpty();
        metering.forgetOutputs();

        // when the sub-account's calls take the agency to $14.95
        metering.publish(aUsageEvent().forAccount(DALLAS).sku(LOCAL_MINUTES).minutes(10).at(START.plusSeconds(120)));

        // then the agency's card is asked for the top-up to $50
        RechargeRequest request = metering.theRechargeRequest();
        assertThat(request.getAccountId()).isEqualTo(AGENCY);
        assertThat(request.getReason()).isEqualTo(RechargeReason.AUTO_RECHARGE);
        assertThat(request.getAmountCents()).isEqualTo(3_505);
        assertThat(request.getPaymentMethods()).extracting(method -> method.getBrand()).containsExactly("visa");
        assertThat(request.getBillingEmails()).containsExactly(AGENCY_EMAIL);
    }

    @Test
    void shouldPauseEverySubAccountWithItsAgencyAndResumeThemWhenItIsPaid() {
        // given an agency with $0.05, auto-recharge on, and two sub-accounts
        start();
        metering.publish(settingsFor(AGENCY).rechargeFixed(dollars(10)).whenBelow(dollars(0))
                .billingEmails(AGENCY_EMAIL));
        metering.publish(subAccountOf(DALLAS, AGENCY));
        metering.publish(subAccountOf(AUSTIN, AGENCY));
        metering.forgetOutputs();

        // when a call of the Austin office takes the agency below zero
        Instant callAt = START.plusSeconds(120);
        metering.publish(aUsageEvent().forAccount(AUSTIN).sku(LOCAL_MINUTES).minutes(3).at(callAt));

        // then the agency and both sub-accounts are PAUSED, in the same step
        assertThat(metering.statusChanges())
                .extracting(AccountStatusChanged::getAccountId, AccountStatusChanged::getStatus,
                        AccountStatusChanged::getReason, AccountStatusChanged::getAt)
                .containsExactly(tuple(AGENCY, AccountStatus.PAUSED, "BALANCE_BELOW_ZERO", callAt),
                        tuple(AUSTIN, AccountStatus.PAUSED, "AGENCY_PAUSED", callAt),
                        tuple(DALLAS, AccountStatus.PAUSED, "AGENCY_PAUSED", callAt));
        // and the pause notice goes to the agency's billing emails only
        assertThat(metering.notifications()).singleElement().satisfies(notice -> {
            assertThat(notice.getType()).isEqualTo(NotificationType.ACCOUNT_PAUSED);
            assertThat(notice.getAccountId()).isEqualTo(AGENCY);
            assertThat(notice.getEmailRecipients()).containsExactly(AGENCY_EMAIL);
        });

        // and when the agency's recharge succeeds
        RechargeRequest recharge = metering.theRechargeRequest();
        Instant paidAt = START.plusSeconds(180);
        metering.publish(aPaymentResult().answering(recharge).succeeded().at(paidAt));

        // then all three are ACTIVE again
        assertThat(metering.statusChanges())
                .extracting(AccountStatusChanged::getAccountId, AccountStatusChanged::getStatus,
                        AccountStatusChanged::getReason)
                .containsExactly(tuple(AGENCY, AccountStatus.ACTIVE, "BALANCE_RESTORED"),
                        tuple(AUSTIN, AccountStatus.ACTIVE, "AGENCY_RESUMED"),
                        tuple(DALLAS, AccountStatus.ACTIVE, "AGENCY_RESUMED"));
    }

    @Test
    void shouldStartASubAccountAddedToAPausedAgencyPaused() {
        // given a paused agency
        start();
        metering.publish(settingsFor(AGENCY).autoRechargeOff().billingEmails(AGENCY_EMAIL));
        metering.publish(aUsageEvent().forAccount(AGENCY).sku(LOCAL_MINUTES).minutes(2).at(START.plusSeconds(60)));
        metering.forgetOutputs();

        // when a sub-account joins it
        metering.publish(subAccountOf(DALLAS, AGENCY).at(START.plusSeconds(120)));

        // then the sub-account is PAUSED at once, with the agency's balance
        assertThat(metering.statusChanges())
                .extracting(AccountStatusChanged::getAccountId, AccountStatusChanged::getStatus,
                        AccountStatusChanged::getReason, AccountStatusChanged::getBalanceMicros)
                .containsExactly(tuple(DALLAS, AccountStatus.PAUSED, "JOINED_AGENCY_PAUSED", -50_000L));
    }

    @Test
    void shouldBillTheNewAgencyFromTheNextEventOnceASubAccountMovesAndItselfOnceIndependent() {
        // given Dallas billed to the north agency, and a south agency, both with $20
        start();
        agencyWithBalance(dollars(20));
        agencyWithBalance(OTHER_AGENCY, "billing@south.example", dollars(20));
        metering.publish(subAccountOf(DALLAS, AGENCY));
        metering.publish(aUsageEvent().forAccount(DALLAS).withEventId("before-move").sku(LOCAL_MINUTES).minutes(1)
                .at(START.plusSeconds(60)));
        metering.forgetOutputs();

        // when Dallas moves to the south agency
        metering.publish(subAccountOf(DALLAS, OTHER_AGENCY).at(START.plusSeconds(120)));

        // then it takes the south agency's status, and its next event is debited from the south agency
        assertThat(metering.statusChanges()).extracting(AccountStatusChanged::getAccountId,
                AccountStatusChanged::getReason).containsExactly(tuple(DALLAS, "JOINED_AGENCY_ACTIVE"));
        metering.publish(aUsageEvent().forAccount(DALLAS).withEventId("after-move").sku(LOCAL_MINUTES).minutes(1)
                .at(START.plusSeconds(180)));
        assertThat(metering.ledgerEntries()).extracting(LedgerEntry::getEntryId, LedgerEntry::getAccountId)
                .containsExactly(tuple("usage:after-move", OTHER_AGENCY));
        // and the north agency's pause no longer reaches it
        metering.publish(aUsageEvent().forAccount(AGENCY).sku(LOCAL_MINUTES).minutes(2_000)
                .at(START.plusSeconds(240)));
        assertThat(metering.statusChanges()).extracting(AccountStatusChanged::getAccountId)
                .containsExactly(AGENCY);

        metering.forgetOutputs();

        // and when Dallas is made independent, it shows its own status and pays for itself
        metering.publish(settingsFor(DALLAS).onRatePlan(WHOLESALE_PLAN).at(START.plusSeconds(300)));
        assertThat(metering.statusChanges()).extracting(AccountStatusChanged::getAccountId,
                AccountStatusChanged::getStatus, AccountStatusChanged::getReason)
                .containsExactly(tuple(DALLAS, AccountStatus.ACTIVE, "LEFT_AGENCY"));
        metering.publish(aUsageEvent().forAccount(DALLAS).withEventId("independent").sku(LOCAL_MINUTES).minutes(1)
                .at(START.plusSeconds(360)));
        assertThat(metering.ledgerEntries()).extracting(LedgerEntry::getAccountId, LedgerEntry::getSourceAccountId)
                .containsExactly(tuple(DALLAS, DALLAS));
    }

    @Test
    void shouldDebitADuplicateSubAccountEventOnce() {
        // given a sub-account whose call was debited from its agency
        start();
        agencyWithBalance(dollars(20));
        metering.publish(subAccountOf(DALLAS, AGENCY));
        metering.forgetOutputs();
        UsageEvent call = metering.publish(aUsageEvent().forAccount(DALLAS).sku(LOCAL_MINUTES).minutes(10)
                .at(START.plusSeconds(60)));
        assertThat(metering.ledgerEntries()).hasSize(1);
        metering.forgetOutputs();

        // when the telephony platform delivers it again
        metering.publish(call);

        // then nothing more is debited, and it is counted as a duplicate
        assertThat(metering.ledgerEntries()).isEmpty();
        assertThat(metering.latestBalances()).isEmpty();
        assertThat(metering.meteringMetric("usage-duplicate-total", null, null)).isEqualTo(1.0);
    }

    @Test
    void shouldReplayAPauseCascadeInterruptedByACrashWithTheSameOutputs() throws IOException {
        // given an agency at $0 with two sub-accounts, committed
        UsageEvent pausingCall = aUsageEvent().forAccount(DALLAS).withEventId("pausing-call").sku(LOCAL_MINUTES)
                .minutes(5).at(START.plusSeconds(60)).build();
        MeteringDriver uninterrupted = started(Files.createDirectories(tempDir.resolve("uninterrupted")));
        committedAgencyOfTwo(uninterrupted);

        // when the pausing call is processed without a crash
        uninterrupted.publish(pausingCall);
        Outputs expected = Outputs.of(uninterrupted);
        uninterrupted.close();
        // and by an instance that crashed in the middle of its cascade: that transaction was aborted (none of its
        // outputs committed), the task's stores restored from their changelogs (what the committed records made
        // them) and the call read again, minutes later by the wall clock
        metering = started(Files.createDirectories(tempDir.resolve("restored")));
        committedAgencyOfTwo(metering);
        metering.advanceWallClock(Duration.ofMinutes(10));
        metering.publish(pausingCall);
        Outputs replayed = Outputs.of(metering);

        // then the replay publishes what the uninterrupted run did, in the one step of the call: the same ids,
        // statuses, notices and entries, in the same order
        assertThat(expected.statuses()).extracting(AccountStatusChanged::getAccountId, AccountStatusChanged::getStatus)
                .containsExactly(tuple(AGENCY, AccountStatus.PAUSED), tuple(AUSTIN, AccountStatus.PAUSED),
                        tuple(DALLAS, AccountStatus.PAUSED));
        assertThat(replayed).isEqualTo(expected);

        // and once committed, the call delivered again changes nothing and cascades nothing
        metering.publish(pausingCall);
        assertThat(Outputs.of(metering)).isEqualTo(new Outputs(List.of(), List.of(), List.of()));
    }

    @Test
    void shouldParkASubAccountsUsageUnderItsOwnKeyWhenTheAgencyCannotBeBilled() {
        // given a sub-account of an agency that has no settings, and one of an agency that is itself a sub-account
        start();
        metering.publish(subAccountOf(DALLAS, AGENCY));
        metering.publish(settingsFor(OTHER_AGENCY).billedTo(AGENCY));
        metering.publish(subAccountOf(AUSTIN, OTHER_AGENCY));
        metering.forgetOutputs();

        // when both use the service
        metering.publish(aUsageEvent().forAccount(DALLAS).withEventId("no-agency").at(START.plusSeconds(60)));
        metering.publish(aUsageEvent().forAccount(AUSTIN).withEventId("nested").at(START.plusSeconds(60)));

        // then both are parked, keyed by the sub-account so that replay-unpriced sends them back there
        List<TestRecord<String, UsageEvent>> parked = metering.unpriced();
        assertThat(parked).extracting(TestRecord::key, record -> record.value().getEventId(), this::reason)
                .containsExactly(tuple(DALLAS, "no-agency", UnpricedReason.NO_SETTINGS.name()),
                        tuple(AUSTIN, "nested", UnpricedReason.AGENCY_BILLING_UNSUPPORTED.name()));
        assertThat(metering.ledgerEntries()).isEmpty();
    }

    @Test
    void shouldNotCascadeToTheSubAccountsOfAnAgencyWhoseIdExtendsThisOnesPastTheStoreSeparator() {
        // given an agency and another whose id is the first's, the store's key separator and more
        start();
        String longerAgency = AGENCY + "\u001fwest";
        metering.publish(settingsFor(AGENCY).autoRechargeOff().billingEmails(AGENCY_EMAIL));
        metering.publish(settingsFor(longerAgency).autoRechargeOff().billingEmails(AGENCY_EMAIL));
        metering.publish(subAccountOf(DALLAS, AGENCY));
        metering.publish(subAccountOf(AUSTIN, longerAgency));
        metering.forgetOutputs();

        // when the first agency pauses
        metering.publish(aUsageEvent().forAccount(AGENCY).sku(LOCAL_MINUTES).minutes(2).at(START.plusSeconds(60)));

        // then only its own sub-account pauses with it
        assertThat(metering.statusChanges()).extracting(AccountStatusChanged::getAccountId)
                .containsExactly(AGENCY, DALLAS);
    }

    // ---- given steps

    private void start() {
        metering = started(tempDir);
    }

    private static MeteringDriver started(Path stateDir) {
        return withWholesalePlan(MeteringDriver.start(stateDir));
    }

    private static MeteringDriver withWholesalePlan(MeteringDriver driver) {
        driver.publish(aRateCard().forPlan(WHOLESALE_PLAN).localMinutesAt(WHOLESALE_MINUTE_PRICE));
        return driver;
    }

    /** The agency with {@code balanceMicros}, then auto-recharge to $50 below $15 on its Visa. */
    private void agencyWithBalance(long balanceMicros) {
        agencyWithBalance(AGENCY, AGENCY_EMAIL, balanceMicros);
    }

    private void agencyWithBalance(String agencyId, String billingEmail, long balanceMicros) {
        // a fixed recharge of the balance asked at once, since $0 is below the one-micro threshold
        metering.publish(settingsFor(agencyId).rechargeFixed(balanceMicros).whenBelow(1).billingEmails(billingEmail));
        metering.publish(aPaymentResult().answering(metering.theRechargeRequest()).succeeded().at(START));
        metering.publish(settingsFor(agencyId).topUpTo(dollars(50)).whenBelow(dollars(15)).billingEmails(billingEmail)
                .at(START.plusSeconds(1)));
    }

    private static AccountSettingsBuilder subAccountOf(String subAccountId, String agencyId) {
        return settingsFor(subAccountId).onRatePlan(WHOLESALE_PLAN).billedTo(agencyId)
                .billingEmails("office@" + subAccountId + ".example");
    }

    private String reason(TestRecord<String, UsageEvent> record) {
        return new String(record.headers().lastHeader(Topics.REASON_HEADER).value(), StandardCharsets.UTF_8);
    }

    private static void committedAgencyOfTwo(MeteringDriver driver) {
        driver.publish(settingsFor(AGENCY).autoRechargeOff().billingEmails(AGENCY_EMAIL));
        driver.publish(subAccountOf(DALLAS, AGENCY));
        driver.publish(subAccountOf(AUSTIN, AGENCY));
        driver.forgetOutputs();
    }

    /**
     * What one step published on the topics a pause cascade writes; of the ledger entries, all but the posting
     * time (the wall clock's, which a replay does not keep).
     */
    private record Outputs(List<String> entries, List<AccountStatusChanged> statuses,
                           List<BillingNotification> notifications) {

        static Outputs of(MeteringDriver metering) {
            return new Outputs(metering.ledgerEntries().stream().map(Outputs::withoutPostingTime).toList(),
                    metering.statusChanges(), metering.notifications());
        }

        private static String withoutPostingTime(LedgerEntry entry) {
            return LedgerEntry.newBuilder(entry).setPostedAt(Instant.EPOCH).build().toString();
        }
    }
}
