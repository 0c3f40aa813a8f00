package dev.meterflow.metering.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.metering.topology.BillingAction.AnswerPayment;
import dev.meterflow.metering.topology.BillingAction.AnswerPlanFee;
import dev.meterflow.metering.topology.BillingAction.AnswerRecharge;
import dev.meterflow.metering.topology.BillingAction.ChangeSettings;
import dev.meterflow.metering.topology.BillingAction.MethodSpec;
import dev.meterflow.metering.topology.BillingAction.PassTime;
import dev.meterflow.metering.topology.BillingAction.Pay;
import dev.meterflow.metering.topology.BillingAction.ReplayPaymentResult;
import dev.meterflow.metering.topology.BillingAction.ReplayUsage;
import dev.meterflow.metering.topology.BillingAction.SettingsSpec;
import dev.meterflow.metering.topology.BillingAction.SubAccountUse;
import dev.meterflow.metering.topology.BillingAction.Use;
import dev.meterflow.metering.topology.ScenarioDriver.Emitted;
import dev.meterflow.metering.topology.ScenarioDriver.Sent;
import dev.meterflow.metering.payments.PlanFeeRules;
import dev.meterflow.metering.topology.BillingAction.TurnOfTheMonth;
import dev.meterflow.metering.tax.TaxCalculator;
import dev.meterflow.money.Money;
import dev.meterflow.schemas.AccountBalance;
import dev.meterflow.schemas.AccountSettings;
import dev.meterflow.schemas.AccountStatus;
import dev.meterflow.schemas.AccountStatusChanged;
import dev.meterflow.schemas.AttemptOutcome;
import dev.meterflow.schemas.AutoRecharge;
import dev.meterflow.schemas.AutoRechargeMode;
import dev.meterflow.schemas.LedgerEntry;
import dev.meterflow.schemas.LedgerEntryKind;
import dev.meterflow.schemas.PaymentAttempt;
import dev.meterflow.schemas.PaymentCommand;
import dev.meterflow.schemas.PaymentMethodRef;
import dev.meterflow.schemas.PaymentMethodRole;
import dev.meterflow.schemas.PaymentMethodType;
import dev.meterflow.schemas.PaymentResult;
import dev.meterflow.schemas.PaymentStatus;
import dev.meterflow.schemas.Price;
import dev.meterflow.schemas.RechargeReason;
import dev.meterflow.schemas.PriceCategory;
import dev.meterflow.schemas.RateCard;
import dev.meterflow.schemas.RechargeRequest;
import dev.meterflow.schemas.ServiceAddress;
import dev.meterflow.schemas.TaxRate;
import dev.meterflow.schemas.UsageEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Tuple;

/**
 * CONTRACT.md's invariants, checked on the records the metering topology publishes for random sequences of
 * usage, replays, settings changes, payment results and the passing of time over one to three accounts.
 */
class LedgerInvariantsProperties {

    /** Twelve days before a month turns, so that scenarios see the monthly tax run. */
    private static final Instant START = Instant.parse("2025-03-20T00:00:00Z");
    /** 7.25 %: every scenario account but the sub-account is served in California. */
    private static final long CALIFORNIA_PPM = 72_500;
    /** 6.85 %: the sub-account is served in Nevada, so its tax shows which address decided it. */
    private static final long NEVADA_PPM = 68_500;
    /** Every action takes a second of record and wall-clock time, so timestamps always move forward. */
    private static final Duration ACTION_TIME = Duration.ofSeconds(1);
    /** Stays inside the contract's 35-day dedup horizon, so every replay must be recognised. */
    private static final Duration MAX_SCENARIO_SPAN = Duration.ofDays(30);
    private static final String RATE_PLAN = "standard-2025";
    private static final String PLAN_FEE_SKU = "plan.standard.monthly";
    private static final Map<String, Price> PRICES = prices();
    private static final List<String> SKUS = List.copyOf(PRICES.keySet());
    private static final Set<String> REFUSED_BRANDS = Set.of("paypal", "diners");
    /** Issue 10, section 5: billed to account 0, its agency; on a rate plan of its own; served in Nevada. */
    private static final String SUB_ACCOUNT = "acct-sub";
    private static final String SUB_ACCOUNT_RATE_PLAN = "sub-accounts-2025";

    /*
     * Embedded edge cases are off: mixed into every nested value they turn most settings into $0.000001
     * thresholds and empty payment-method lists, and scenarios seldom reach a recharge. The boundaries that
     * matter (zero amounts and quantities, a top-up to $0, no usable payment method) have explicit weights in
     * the arbitraries below instead.
     * Shrinking is not time-bounded: a failing try takes ~0.1 s, and the default 10 s bound stops at
     * 30-step counterexamples (and abandons the driver of the try it interrupts).
     */
    @Property(tries = 40, edgeCases = EdgeCasesMode.NONE, shrinking = ShrinkingMode.FULL)
    void invariantsHoldForAnySequenceOfBillingEvents(@ForAll("scenarios") Scenario scenario) {
        try (ScenarioDriver driver = ScenarioDriver.startingAt(START)) {
            new ScenarioRun(driver, scenario).play();
            collectStatistics(driver);

            for (String account : scenario.accountIds()) {
                assertBalanceIsTheRunningSumOfLedgerEntries(driver, account);
                assertAtMostOneRechargeInFlight(driver, account);
                assertStatusAlternatesAndMatchesBalance(driver, account);
            }
            assertSubAccountStatusFollowsItsAgency(driver, scenario.accountId(0));
            assertEveryUsageEventDebitedOrChargedExactlyOnce(driver);
            assertEveryPlanFeeChargeAnswersASucceededResult(driver);
            assertEveryRechargeCreditAnswersASucceededResult(driver);
            assertEveryPaymentCreditAnswersASucceededResultForItsCommand(driver);
            assertRequestsNeverOfferRefusedBrands(driver);
            assertNothingParkedOrDeadLettered(driver);
            assertEveryMonthOfTaxableUsageTaxedOnceAtTheRate(driver);
        }
    }

    /** What the scenarios exercised, so a generator that stops reaching the interesting paths shows. */
    private static void collectStatistics(ScenarioDriver driver) {
        List<LedgerEntry> credits = driver.ledgerEntries().stream().map(Emitted::value)
                .filter(entry -> entry.getKind() == LedgerEntryKind.RECHARGE).toList();
        Set<String> unsuccessful = driver.sentResults().stream().map(Sent::value)
                .filter(result -> result.getStatus() != PaymentStatus.SUCCEEDED)
                .map(PaymentResult::getRequestId).collect(Collectors.toSet());
        Statistics.label("recharge requests").collect(bucket(driver.rechargeRequests().size()));
        Statistics.label("recharge credits").collect(bucket(credits.size()));
        Statistics.label("one-time payment credits").collect(bucket(driver.ledgerEntries().stream()
                .filter(entry -> entry.value().getKind() == LedgerEntryKind.PAYMENT).count()));
        Statistics.label("plan fees charged by card").collect(bucket(driver.ledgerEntries().stream()
                .filter(entry -> entry.value().getKind() == LedgerEntryKind.PLAN_FEE_DIRECT).count()));
        Statistics.label("plan fees asked of the worker (taxed when asked)").collect(bucket(driver.rechargeRequests()
                .stream().filter(request -> request.value().getReason() == RechargeReason.PLAN_FEE_DIRECT)
                .map(request -> request.value().getRequestId()).distinct().count()));
        Statistics.label("credits landing on exactly $0")
                .collect(bucket(credits.stream().filter(credit -> credit.getBalanceAfterMicros() == 0).count()));
        Statistics.label("declined or failed results").collect(bucket(unsuccessful.size()));
        Statistics.label("requests after a declined or failed one")
                .collect(bucket(requestsAfter(unsuccessful, driver)));
        Statistics.label("tax lines").collect(bucket(driver.ledgerEntries().stream()
                .filter(entry -> entry.value().getKind() == LedgerEntryKind.TAX).count()));
        Statistics.label("sub-account tax lines").collect(bucket(driver.ledgerEntries().stream()
                .filter(entry -> entry.value().getKind() == LedgerEntryKind.TAX)
                .filter(entry -> entry.value().getSourceAccountId().equals(SUB_ACCOUNT)).count()));
        Statistics.label("status changes").collect(bucket(driver.statuses().size()));
        Statistics.label("usage replays").collect(bucket(driver.sentUsage().size()
                - driver.sentUsage().stream().map(sent -> sent.value().getEventId()).distinct().count()));
        Statistics.label("payment result replays").collect(bucket(driver.sentResults().size()
                - driver.sentResults().stream().map(sent -> sent.value().getRequestId()).distinct().count()));
    }

    /** Requests whose account's previous request was answered with one of {@code requestIds}. */
    private static long requestsAfter(Set<String> requestIds, ScenarioDriver driver) {
        Map<String, String> previousByAccount = new HashMap<>();
        long count = 0;
        for (Emitted<RechargeRequest> request : driver.rechargeRequests()) {
            String previous = previousByAccount.put(request.key(), request.value().getRequestId());
            if (previous != null && requestIds.contains(previous)) {
                count++;
            }
        }
        return count;
    }

    private static String bucket(long count) {
        return count == 0 ? "0" : count <= 2 ? "1-2" : count <= 5 ? "3-5" : "6+";
    }

    // ---- invariants -------------------------------------------------------------------------------------

    /** Invariant 2: balance = sum of ledger entries; each entry's balanceAfterMicros is the running sum. */
    private static void assertBalanceIsTheRunningSumOfLedgerEntries(ScenarioDriver driver, String account) {
        long running = 0;
        for (Emitted<LedgerEntry> entry : ledgerOf(driver, account)) {
            running = Math.addExact(running, entry.value().getAmountMicros());
            assertThat(entry.value().getBalanceAfterMicros())
                    .as("balanceAfterMicros of %s (step %d) is the running sum", entry.value().getEntryId(),
                            entry.step())
                    .isEqualTo(running);
        }
        AccountBalance latest = latestBalance(driver, account);
        assertThat(latest).as("account-balances has a record for %s", account).isNotNull();
        assertThat(latest.getBalanceMicros())
                .as("latest balance of %s equals the sum of its ledger entries", account)
                .isEqualTo(running);
    }

    /**
     * Issue 10, section 5: the sub-account is told its agency's status when it joins (active: no usage yet), then
     * every pause and resume of the agency, in the same step.
     */
    private static void assertSubAccountStatusFollowsItsAgency(ScenarioDriver driver, String agency) {
        List<Emitted<AccountStatusChanged>> agencyStatuses = driver.statuses().stream()
                .filter(status -> status.key().equals(agency)).toList();
        List<Emitted<AccountStatusChanged>> subStatuses = driver.statuses().stream()
                .filter(status -> status.key().equals(SUB_ACCOUNT)).toList();
        assertThat(subStatuses).as("account-status of the sub-account").isNotEmpty();
        assertThat(subStatuses.get(0).value().getStatus()).isEqualTo(AccountStatus.ACTIVE);
        assertThat(subStatuses.subList(1, subStatuses.size()))
                .extracting(status -> status.step() + " " + status.value().getStatus())
                .as("the sub-account's statuses after it joined are its agency's, at the same steps")
                .isEqualTo(agencyStatuses.stream().map(status -> status.step() + " " + status.value().getStatus())
                        .toList());
    }

    /**
     * Invariant 1 (and no usage lost): every eventId sent is debited once, whatever the replays, or (issue 10, §3)
     * its plan fee was charged to a card instead, never both, or its plan fee is still asked of the worker.
     */
    private static void assertEveryUsageEventDebitedOrChargedExactlyOnce(ScenarioDriver driver) {
        List<String> debited = new ArrayList<>(sourceIdsOfKind(driver, LedgerEntryKind.USAGE));
        debited.addAll(sourceIdsOfKind(driver, LedgerEntryKind.PLAN_FEE_DIRECT));
        assertThat(debited).as("eventIds of USAGE and PLAN_FEE_DIRECT ledger entries").doesNotHaveDuplicates();
        Set<String> sent = driver.sentUsage().stream().map(sent1 -> sent1.value().getEventId())
                .collect(Collectors.toSet());
        Set<String> answered = driver.sentResults().stream().map(result -> result.value().getRequestId())
                .collect(Collectors.toSet());
        // asked of the account that pays: the sub-account's agency, or the account itself
        Set<String> feesInFlight = driver.sentUsage().stream().map(Sent::value)
                .filter(event -> driver.rechargeRequests().stream().map(request -> request.value())
                        .filter(request -> request.getRequestId()
                                .equals(PlanFeeRules.requestIdOf(request.getAccountId(), event.getEventId())))
                        .anyMatch(request -> !answered.contains(request.getRequestId())))
                .map(UsageEvent::getEventId).collect(Collectors.toSet());
        List<String> accounted = new ArrayList<>(debited);
        accounted.addAll(feesInFlight);
        assertThat(accounted).as("every usage event sent is debited, charged as a plan fee or asked of the worker")
                .containsExactlyInAnyOrderElementsOf(sent);
    }

    /** Issue 10, §3: a plan fee entry changes no balance and records the fee a SUCCEEDED result charged. */
    private static void assertEveryPlanFeeChargeAnswersASucceededResult(ScenarioDriver driver) {
        for (Emitted<LedgerEntry> charge : driver.ledgerEntries()) {
            if (charge.value().getKind() != LedgerEntryKind.PLAN_FEE_DIRECT) {
                continue;
            }
            PaymentResult cause = driver.sentResults().stream()
                    .filter(sent -> sent.step() == charge.step()).map(Sent::value).findFirst().orElseThrow();
            assertThat(cause.getRequestId()).isEqualTo(PlanFeeRules.requestIdOf(charge.key(),
                    charge.value().getSourceId()));
            assertThat(cause.getStatus()).isEqualTo(PaymentStatus.SUCCEEDED);
            assertThat(charge.value().getAmountMicros()).as("a plan fee charged by card changes no balance").isZero();
            assertThat(charge.value().getChargedAmountMicros())
                    .isEqualTo(Money.centsToMicros(cause.getAmountCents()));
            assertThat(charge.value().getPaymentMethodId()).isEqualTo(cause.getPaymentMethodId());
        }
    }

    /**
     * Issue 10, §4: once a month has turned, each account with taxable usage in it has one TAX entry of
     * round-half-up(base × rate of its own jurisdiction) (none when that is $0.00), the base being its usage debits
     * of the month, debited from the account that paid them: a sub-account's line is its own, at its own address's
     * rate, debited from its agency. A plan fee charged directly (§3) is in the base of its event's month once,
     * whether the worker charged it, it was debited after a decline, or it is still being charged: it is counted
     * by its request (the fee as the worker was asked to charge it), never by its entry.
     */
    private static void assertEveryMonthOfTaxableUsageTaxedOnceAtTheRate(ScenarioDriver driver) {
        List<LedgerEntry> taxes = driver.ledgerEntries().stream().map(Emitted::value)
                .filter(entry -> entry.getKind() == LedgerEntryKind.TAX).toList();
        assertThat(taxes).extracting(LedgerEntry::getEntryId).as("TAX entry ids").doesNotHaveDuplicates();
        Map<String, Long> bases = new HashMap<>();
        Map<String, String> payers = new HashMap<>();
        YearMonth current = YearMonth.from(driver.now().atZone(ZoneOffset.UTC));
        Map<String, RechargeRequest> feeRequests = new HashMap<>();
        driver.rechargeRequests().stream().map(Emitted::value)
                .filter(request -> request.getReason() == RechargeReason.PLAN_FEE_DIRECT)
                .forEach(request -> feeRequests.putIfAbsent(request.getRequestId(), request));
        Set<String> feesCharged = new HashSet<>();
        for (UsageEvent event : driver.sentUsage().stream().map(Sent::value).toList()) {
            Optional<RechargeRequest> asked = feeRequests.values().stream().filter(request -> request.getRequestId()
                    .equals(PlanFeeRules.requestIdOf(request.getAccountId(), event.getEventId()))).findFirst();
            if (asked.isPresent() && feesCharged.add(event.getEventId())) {
                addToBase(bases, payers, current, event.getAccountId(), asked.get().getAccountId(),
                        event.getOccurredAt(), Money.centsToMicros(asked.get().getAmountCents()));
            }
        }
        for (LedgerEntry usage : driver.ledgerEntries().stream().map(Emitted::value).toList()) {
            if (usage.getKind() == LedgerEntryKind.USAGE && !feesCharged.contains(usage.getSourceId())) {
                addToBase(bases, payers, current, usage.getSourceAccountId(), usage.getAccountId(),
                        usage.getOccurredAt(), -usage.getAmountMicros());
            }
        }
        Map<String, Long> expected = new HashMap<>();
        bases.forEach((entryId, base) -> {
            long tax = TaxCalculator.taxMicros(base, rateOf(entryId));
            if (tax > 0) {
                expected.put(entryId, -tax);
            }
        });
        assertThat(taxes.stream().collect(Collectors.toMap(LedgerEntry::getEntryId, LedgerEntry::getAmountMicros)))
                .as("TAX entries of the months that turned").isEqualTo(expected);
        for (LedgerEntry tax : taxes) {
            assertThat(tax.getTaxableBaseMicros()).as("base of %s", tax.getEntryId())
                    .isEqualTo(bases.get(tax.getEntryId()));
            assertThat(tax.getTaxRatePpm()).as("rate of %s", tax.getEntryId()).isEqualTo(rateOf(tax.getEntryId()));
            assertThat(tax.getTaxJurisdiction())
                    .isEqualTo(rateOf(tax.getEntryId()) == NEVADA_PPM ? "US-NV" : "US-CA");
            assertThat(tax.getAccountId()).as("payer of %s", tax.getEntryId()).isEqualTo(payers.get(tax.getEntryId()));
        }
    }

    /**
     * Adds taxable usage of a month that has turned to its line, {@code tax:<account that used it>:<month>}, with
     * {@code :via:<payer>} when another account paid it.
     */
    private static void addToBase(Map<String, Long> bases, Map<String, String> payers, YearMonth current,
                                  String usedBy, String paidBy, Instant occurredAt, long amountMicros) {
        YearMonth month = YearMonth.from(occurredAt.atZone(ZoneOffset.UTC));
        if (month.isBefore(current)) {
            String entryId = "tax:" + usedBy + ":" + month + (usedBy.equals(paidBy) ? "" : ":via:" + paidBy);
            bases.merge(entryId, amountMicros, Math::addExact);
            payers.put(entryId, paidBy);
        }
    }

    private static long rateOf(String taxEntryId) {
        return taxEntryId.startsWith("tax:" + SUB_ACCOUNT + ":") ? NEVADA_PPM : CALIFORNIA_PPM;
    }

    /** Invariant 3: a requestId is credited at most once, and only by a SUCCEEDED result for it. */
    private static void assertEveryRechargeCreditAnswersASucceededResult(ScenarioDriver driver) {
        assertThat(sourceIdsOfKind(driver, LedgerEntryKind.RECHARGE)).as("requestIds of RECHARGE ledger entries")
                .doesNotHaveDuplicates();
        for (Emitted<LedgerEntry> credit : driver.ledgerEntries()) {
            if (credit.value().getKind() != LedgerEntryKind.RECHARGE) {
                continue;
            }
            String requestId = credit.value().getSourceId();
            PaymentResult cause = driver.sentResults().stream()
                    .filter(sent -> sent.step() == credit.step())
                    .map(Sent::value)
                    .findFirst().orElse(null);
            assertThat(cause).as("credit for '%s' (step %d) is caused by a payment result", requestId, credit.step())
                    .isNotNull();
            assertThat(cause.getRequestId()).as("request of the result that caused the credit for '%s'", requestId)
                    .isEqualTo(requestId);
            assertThat(cause.getStatus()).as("status of the result that caused the credit for '%s'", requestId)
                    .isEqualTo(PaymentStatus.SUCCEEDED);
            assertThat(credit.value().getAmountMicros()).as("credit for '%s' is the amount charged", requestId)
                    .isEqualTo(Money.centsToMicros(cause.getAmountCents()));
        }
    }

    /**
     * Issue 10, §1: a command is credited at most once, as a PAYMENT whose source is the command id, only by a
     * SUCCEEDED result for the request made for it, and for the amount of the command.
     */
    private static void assertEveryPaymentCreditAnswersASucceededResultForItsCommand(ScenarioDriver driver) {
        assertThat(sourceIdsOfKind(driver, LedgerEntryKind.PAYMENT)).as("commandIds of PAYMENT ledger entries")
                .doesNotHaveDuplicates();
        for (Emitted<LedgerEntry> credit : driver.ledgerEntries()) {
            if (credit.value().getKind() != LedgerEntryKind.PAYMENT) {
                continue;
            }
            String commandId = credit.value().getSourceId();
            PaymentCommand command = driver.sentCommands().stream().map(Sent::value)
                    .filter(sent -> sent.getCommandId().equals(commandId)).findFirst().orElseThrow();
            String requestId = AvroMapping.payment(command).requestId();
            PaymentResult cause = driver.sentResults().stream()
                    .filter(sent -> sent.step() == credit.step()).map(Sent::value).findFirst().orElseThrow();
            assertThat(cause.getRequestId()).as("request of the result that credited command '%s'", commandId)
                    .isEqualTo(requestId);
            assertThat(cause.getStatus()).isEqualTo(PaymentStatus.SUCCEEDED);
            assertThat(credit.value().getAmountMicros()).as("credit for command '%s'", commandId)
                    .isEqualTo(Money.centsToMicros(command.getAmountCents()));
        }
    }

    /**
     * Invariant 3: between two automatic recharge requests of an account, the first one was answered (one-time
     * payments go out whatever is in flight).
     */
    private static void assertAtMostOneRechargeInFlight(ScenarioDriver driver, String account) {
        List<Emitted<RechargeRequest>> requests = automaticRequests(driver).stream()
                .filter(request -> request.key().equals(account)).toList();
        assertThat(requests.stream().map(request -> request.value().getRequestId()))
                .as("requestIds of %s", account).doesNotHaveDuplicates();
        for (int i = 1; i < requests.size(); i++) {
            Emitted<RechargeRequest> earlier = requests.get(i - 1);
            Emitted<RechargeRequest> later = requests.get(i);
            String earlierId = earlier.value().getRequestId();
            boolean answered = driver.sentResults().stream()
                    .anyMatch(sent -> sent.step() <= later.step() && sent.value().getRequestId().equals(earlierId));
            assertThat(answered)
                    .as("request '%s' (step %d) of %s was answered before '%s' (step %d) was requested", earlierId,
                            earlier.step(), account, later.value().getRequestId(), later.step())
                    .isTrue();
        }
    }

    /** Invariant 5: PAUSED, ACTIVE, PAUSED, ... only on transitions; the last one agrees with the balance. */
    private static void assertStatusAlternatesAndMatchesBalance(ScenarioDriver driver, String account) {
        List<AccountStatus> statuses = driver.statuses().stream()
                .filter(status -> status.key().equals(account))
                .map(status -> status.value().getStatus()).toList();
        List<AccountStatus> alternating = IntStream.range(0, statuses.size())
                .mapToObj(i -> i % 2 == 0 ? AccountStatus.PAUSED : AccountStatus.ACTIVE).toList();
        assertThat(statuses).as("account-status of %s alternates, starting with PAUSED", account)
                .isEqualTo(alternating);

        AccountBalance balance = latestBalance(driver, account);
        AccountStatus last = statuses.isEmpty() ? AccountStatus.ACTIVE : statuses.get(statuses.size() - 1);
        assertThat(last).as("last account-status of %s with balance %s", account,
                Money.format(balance.getBalanceMicros())).isEqualTo(statusFor(balance.getBalanceMicros()));
        for (Emitted<AccountBalance> published : driver.balances()) {
            if (published.key().equals(account)) {
                long micros = published.value().getBalanceMicros();
                assertThat(published.value().getStatus())
                        .as("status in account-balances of %s at step %d, balance %s", account, published.step(),
                                Money.format(micros))
                        .isEqualTo(statusFor(micros));
            }
        }
    }

    private static AccountStatus statusFor(long balanceMicros) {
        return balanceMicros < 0 ? AccountStatus.PAUSED : AccountStatus.ACTIVE;
    }

    /** Billing rules: "No PayPal, no Diners Club." */
    private static void assertRequestsNeverOfferRefusedBrands(ScenarioDriver driver) {
        for (Emitted<RechargeRequest> request : driver.rechargeRequests()) {
            assertThat(request.value().getPaymentMethods())
                    .as("payment methods of '%s'", request.value().getRequestId())
                    .isNotEmpty()
                    .noneMatch(method -> REFUSED_BRANDS.contains(method.getBrand().toLowerCase(Locale.ROOT)));
        }
    }

    /** Every input of these scenarios is usable: nothing may end up parked or in the dead letter queue. */
    private static void assertNothingParkedOrDeadLettered(ScenarioDriver driver) {
        assertThat(driver.unpriced()).as("usage-unpriced").isEmpty();
        assertThat(driver.unmatchedResults()).as("payment-results-unmatched").isEmpty();
        assertThat(driver.deadLetters()).as("metering-dlq").isEmpty();
    }

    private static List<Emitted<RechargeRequest>> automaticRequests(ScenarioDriver driver) {
        return driver.rechargeRequests().stream()
                .filter(request -> request.value().getReason() == RechargeReason.AUTO_RECHARGE).toList();
    }

    private static List<Emitted<LedgerEntry>> ledgerOf(ScenarioDriver driver, String account) {
        return driver.ledgerEntries().stream().filter(entry -> entry.key().equals(account)).toList();
    }

    private static AccountBalance latestBalance(ScenarioDriver driver, String account) {
        List<Emitted<AccountBalance>> balances = driver.balances().stream()
                .filter(balance -> balance.key().equals(account)).toList();
        return balances.isEmpty() ? null : balances.get(balances.size() - 1).value();
    }

    private static List<String> sourceIdsOfKind(ScenarioDriver driver, LedgerEntryKind kind) {
        return driver.ledgerEntries().stream().map(Emitted::value)
                .filter(entry -> entry.getKind() == kind)
                .map(LedgerEntry::getSourceId).toList();
    }

    // ---- scenarios --------------------------------------------------------------------------------------

    /** Opening settings for each account (one to three), then the actions in order. */
    record Scenario(List<SettingsSpec> openingSettings, List<BillingAction> actions) {

        List<String> accountIds() {
            return IntStream.range(0, openingSettings.size()).mapToObj(Scenario::accountName).toList();
        }

        /** Actions name accounts 0..2; a scenario with fewer accounts wraps around. */
        String accountId(int index) {
            return accountName(index % openingSettings.size());
        }

        private static String accountName(int index) {
            return "acct-" + index;
        }

        @Override
        public String toString() {
            StringBuilder story = new StringBuilder("Scenario:");
            for (int i = 0; i < openingSettings.size(); i++) {
                story.append("\n  opening ").append(accountName(i)).append(": ")
                        .append(openingSettings.get(i));
            }
            for (int i = 0; i < actions.size(); i++) {
                story.append("\n  ").append(i + 1).append(". ").append(actions.get(i));
            }
            return story.toString();
        }
    }

    /** Plays a scenario into the driver, answering recharge requests the way the recharge worker would. */
    private static final class ScenarioRun {
        private final ScenarioDriver driver;
        private final Scenario scenario;
        private final Set<String> answeredRequests = new HashSet<>();
        private int nextEventNumber = 1;
        private int nextCommandNumber = 1;

        ScenarioRun(ScenarioDriver driver, Scenario scenario) {
            this.driver = driver;
            this.scenario = scenario;
        }

        void play() {
            driver.publishRateCard(rateCard(driver.now()));
            driver.publishRateCard(subAccountRateCard(driver.now()));
            driver.publishTaxRate(TaxRate.newBuilder().setJurisdiction("US-CA").setRatePpm(CALIFORNIA_PPM)
                    .setName("California").build());
            driver.publishTaxRate(TaxRate.newBuilder().setJurisdiction("US-NV").setRatePpm(NEVADA_PPM)
                    .setName("Nevada").build());
            for (int i = 0; i < scenario.openingSettings().size(); i++) {
                driver.publishSettings(settings(scenario.accountId(i), scenario.openingSettings().get(i)));
            }
            // its own auto-recharge settings are never applied: the agency's balance pays
            driver.publishSettings(AccountSettings.newBuilder(settings(SUB_ACCOUNT, scenario.openingSettings().get(0)))
                    .setParentAccountId(scenario.accountId(0)).setRatePlanId(SUB_ACCOUNT_RATE_PLAN)
                    .setServiceAddress(ServiceAddress.newBuilder().setLine1("1 Fremont St").setCity("Las Vegas")
                            .setRegion("NV").setPostalCode("89101").setCountry("US").build())
                    .build());
            for (BillingAction action : scenario.actions()) {
                driver.advance(ACTION_TIME);
                perform(action);
            }
            // past the tax run's grace: its wall-clock punctuation has closed every month before the last one
            driver.advance(Duration.ofMinutes(61));
        }

        private void perform(BillingAction action) {
            if (action instanceof Use use) {
                driver.publishUsage(usage("ev-" + nextEventNumber++, scenario.accountId(use.account()), use.sku(),
                        use.quantity()));
            } else if (action instanceof SubAccountUse use) {
                driver.publishUsage(usage("ev-" + nextEventNumber++, SUB_ACCOUNT, use.sku(), use.quantity()));
            } else if (action instanceof ReplayUsage replay) {
                List<Sent<UsageEvent>> sent = driver.sentUsage();
                if (!sent.isEmpty()) {
                    driver.publishUsage(sent.get(replay.earlierEvent() % sent.size()).value());
                }
            } else if (action instanceof ChangeSettings change) {
                driver.publishSettings(settings(scenario.accountId(change.account()), change.settings()));
            } else if (action instanceof AnswerRecharge answer) {
                answerPendingRequest(scenario.accountId(answer.account()), answer.status());
            } else if (action instanceof Pay pay) {
                driver.publishPaymentCommand(PaymentCommand.newBuilder()
                        .setCommandId("cmd-" + nextCommandNumber++)
                        .setAccountId(scenario.accountId(pay.account()))
                        .setAmountCents(pay.amountCents())
                        .setRequestedAt(driver.now())
                        .build());
            } else if (action instanceof AnswerPayment answer) {
                answerOldest(scenario.accountId(answer.account()), RechargeReason.ONE_TIME_PAYMENT, answer.status());
            } else if (action instanceof AnswerPlanFee answer) {
                answerOldest(scenario.accountId(answer.account()), RechargeReason.PLAN_FEE_DIRECT, answer.status());
            } else if (action instanceof ReplayPaymentResult replay) {
                List<Sent<PaymentResult>> sent = driver.sentResults();
                if (!sent.isEmpty()) {
                    driver.publishPaymentResult(sent.get(replay.earlierResult() % sent.size()).value());
                }
            } else if (action instanceof TurnOfTheMonth) {
                Instant firstOfNextMonth = YearMonth.from(driver.now().atZone(ZoneOffset.UTC)).plusMonths(1).atDay(1)
                        .atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(60);
                if (firstOfNextMonth.isBefore(START.plus(MAX_SCENARIO_SPAN))) {
                    driver.advance(Duration.between(driver.now(), firstOfNextMonth));
                }
            } else if (action instanceof PassTime pass) {
                if (driver.now().plus(pass.duration()).isBefore(START.plus(MAX_SCENARIO_SPAN))) {
                    driver.advance(pass.duration());
                }
            } else {
                throw new IllegalArgumentException("unknown action " + action);
            }
        }

        /** The oldest one-time payment, or plan fee, of the account not answered yet. */
        private void answerOldest(String accountId, RechargeReason reason, PaymentStatus status) {
            driver.rechargeRequests().stream().map(Emitted::value)
                    .filter(request -> request.getReason() == reason)
                    .filter(request -> request.getAccountId().equals(accountId))
                    .filter(request -> !answeredRequests.contains(request.getRequestId()))
                    .findFirst()
                    .ifPresent(request -> {
                        answeredRequests.add(request.getRequestId());
                        driver.publishPaymentResult(paymentResult(request, status, driver.now()));
                    });
        }

        /** The request in flight is the latest automatic one of the account, unless it was answered already. */
        private void answerPendingRequest(String accountId, PaymentStatus status) {
            List<Emitted<RechargeRequest>> requests = automaticRequests(driver).stream()
                    .filter(request -> request.key().equals(accountId)).toList();
            if (requests.isEmpty()) {
                return;
            }
            RechargeRequest pending = requests.get(requests.size() - 1).value();
            if (answeredRequests.add(pending.getRequestId())) {
                driver.publishPaymentResult(paymentResult(pending, status, driver.now()));
            }
        }

        private AccountSettings settings(String accountId, SettingsSpec spec) {
            return AccountSettings.newBuilder()
                    .setAccountId(accountId)
                    .setRatePlanId(RATE_PLAN)
                    .setAutoRecharge(AutoRecharge.newBuilder()
                            .setEnabled(spec.autoRecharge())
                            .setMode(AutoRechargeMode.valueOf(spec.mode().name()))
                            .setThresholdMicros(spec.thresholdMicros())
                            .setTargetMicros(spec.targetMicros())
                            .setAmountMicros(spec.amountMicros())
                            .build())
                    .setPaymentMethods(spec.paymentMethods().stream()
                            .map(method -> paymentMethod(accountId, method)).toList())
                    .setBillingEmails(List.of("billing@" + accountId + ".example.com"))
                    .setCriticalBillingPhone("+15555550100")
                    .setDirectChargePlanFee(spec.directChargePlanFee())
                    .setServiceAddress(ServiceAddress.newBuilder().setLine1("1 Market St").setCity("San Francisco")
                            .setRegion("CA").setPostalCode("94105").setCountry("US").build())
                    .setTaxExempt(false)
                    .setUpdatedAt(driver.now())
                    .build();
        }

        private UsageEvent usage(String eventId, String accountId, String sku, long quantity) {
            return UsageEvent.newBuilder()
                    .setEventId(eventId)
                    .setAccountId(accountId)
                    .setSku(sku)
                    .setQuantity(quantity)
                    .setOccurredAt(driver.now())
                    .build();
        }
    }

    private static PaymentMethodRef paymentMethod(String accountId, MethodSpec method) {
        boolean bank = method.brand().equals("bank");
        return PaymentMethodRef.newBuilder()
                .setPaymentMethodId(method.paymentMethodId())
                .setCustomerId("cus_" + accountId)
                .setType(bank ? PaymentMethodType.ACH : PaymentMethodType.CARD)
                .setBrand(method.brand())
                .setLast4("4242")
                .setRole(PaymentMethodRole.valueOf(method.role().name()))
                .build();
    }

    /** What the recharge worker would publish after trying the request's first method. */
    private static PaymentResult paymentResult(RechargeRequest request, PaymentStatus status, Instant at) {
        String methodId = request.getPaymentMethods().get(0).getPaymentMethodId();
        boolean succeeded = status == PaymentStatus.SUCCEEDED;
        AttemptOutcome outcome = switch (status) {
            case SUCCEEDED -> AttemptOutcome.SUCCEEDED;
            case DECLINED -> AttemptOutcome.DECLINED_HARD;
            case FAILED -> AttemptOutcome.ERROR;
        };
        return PaymentResult.newBuilder()
                .setRequestId(request.getRequestId())
                .setAccountId(request.getAccountId())
                .setReason(request.getReason())
                .setStatus(status)
                .setAmountCents(request.getAmountCents())
                .setPaymentMethodId(succeeded ? methodId : null)
                .setGatewayChargeId(succeeded ? "ch_" + request.getRequestId() : null)
                .setAttempts(List.of(PaymentAttempt.newBuilder()
                        .setPaymentMethodId(methodId)
                        .setOutcome(outcome)
                        .setDeclineCode(status == PaymentStatus.DECLINED ? "card_declined" : null)
                        .setAt(at)
                        .build()))
                .setCompletedAt(at)
                .build();
    }

    private static RateCard rateCard(Instant at) {
        return RateCard.newBuilder()
                .setRatePlanId(RATE_PLAN)
                .setCurrency("USD")
                .setPrices(PRICES)
                .setUpdatedAt(at)
                .build();
    }

    /** The standard prices at half (rounded down), so a sub-account's debit shows which plan priced it. */
    private static RateCard subAccountRateCard(Instant at) {
        Map<String, Price> half = new LinkedHashMap<>();
        PRICES.forEach((sku, price) -> half.put(sku, Price.newBuilder(price)
                .setUnitPriceMicros(price.getUnitPriceMicros() / 2).build()));
        return RateCard.newBuilder().setRatePlanId(SUB_ACCOUNT_RATE_PLAN).setCurrency("USD").setPrices(half)
                .setUpdatedAt(at).build();
    }

    private static Map<String, Price> prices() {
        Map<String, Price> prices = new LinkedHashMap<>();
        prices.put("call.minutes.local", price(15_000, 60, PriceCategory.CALL_MINUTES));
        prices.put("call.minutes.tollfree", price(35_000, 60, PriceCategory.CALL_MINUTES));
        prices.put("transcription.minutes", price(50_000, 60, PriceCategory.TRANSCRIPTION));
        prices.put("recording.encrypted.minutes", price(5_000, 60, PriceCategory.ENCRYPTED_RECORDING));
        prices.put("callerid.enhanced.lookup", price(10_000, 1, PriceCategory.ENHANCED_CALLER_ID));
        prices.put("number.local.monthly", price(3_000_000, 1, PriceCategory.TRACKING_NUMBER));
        prices.put("software.monthly", price(45_000_000, 1, PriceCategory.SOFTWARE_FEE));
        prices.put(PLAN_FEE_SKU, price(29_000_000, 1, PriceCategory.PLAN_FEE));
        return prices;
    }

    private static Price price(long unitPriceMicros, long unitSize, PriceCategory category) {
        return Price.newBuilder().setUnitPriceMicros(unitPriceMicros).setUnitSize(unitSize).setCategory(category)
                .setTaxable(true).build();
    }

    // ---- arbitraries ------------------------------------------------------------------------------------

    @Provide
    Arbitrary<Scenario> scenarios() {
        // uniform lengths: jqwik's default favours short lists, which rarely get as far as a recharge credit
        Arbitrary<List<BillingAction>> actions = actions().list().ofMaxSize(60)
                .withSizeDistribution(RandomDistribution.uniform());
        return Combinators.combine(settingsSpecs().list().ofMinSize(1).ofMaxSize(3), actions).as(Scenario::new);
    }

    private static Arbitrary<BillingAction> actions() {
        return Arbitraries.frequencyOf(
                Tuple.of(10, uses()),
                Tuple.of(2, accounts().map(account -> new Use(account, PLAN_FEE_SKU, 1))),
                Tuple.of(4, Combinators.combine(Arbitraries.of(SKUS), quantities()).as(SubAccountUse::new)),
                Tuple.of(2, Arbitraries.integers().between(0, 59).map(ReplayUsage::new)),
                Tuple.of(2, Combinators.combine(accounts(), settingsSpecs()).as(ChangeSettings::new)),
                Tuple.of(8, Combinators.combine(accounts(), paymentStatuses()).as(AnswerRecharge::new)),
                Tuple.of(2, Arbitraries.integers().between(0, 59).map(ReplayPaymentResult::new)),
                Tuple.of(3, Combinators.combine(accounts(), Arbitraries.longs().between(50, 100_000)).as(Pay::new)),
                Tuple.of(4, Combinators.combine(accounts(), paymentStatuses()).as(AnswerPayment::new)),
                Tuple.of(4, Combinators.combine(accounts(), paymentStatuses()).as(AnswerPlanFee::new)),
                Tuple.of(3, timePassing()),
                Tuple.of(2, Arbitraries.just(new TurnOfTheMonth())));
    }

    private static Arbitrary<Use> uses() {
        return Combinators.combine(accounts(), Arbitraries.of(SKUS), quantities()).as(Use::new);
    }

    private static Arbitrary<Long> quantities() {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(0L)),
                Tuple.of(9, Arbitraries.longs().between(1, 7_200).withDistribution(RandomDistribution.uniform())));
    }

    private static Arbitrary<PaymentStatus> paymentStatuses() {
        return Arbitraries.frequency(Tuple.of(3, PaymentStatus.SUCCEEDED), Tuple.of(1, PaymentStatus.DECLINED),
                Tuple.of(1, PaymentStatus.FAILED));
    }

    private static Arbitrary<Integer> accounts() {
        return Arbitraries.integers().between(0, 2);
    }

    /** Mostly minutes to hours; sometimes more than the 24 h decline back-off. */
    private static Arbitrary<PassTime> timePassing() {
        Arbitrary<Long> shortWait = Arbitraries.longs().between(1_000, Duration.ofHours(6).toMillis())
                .withDistribution(RandomDistribution.uniform());
        Arbitrary<Long> longWait = Arbitraries.longs()
                .between(Duration.ofHours(24).toMillis() + 1, Duration.ofHours(30).toMillis())
                .withDistribution(RandomDistribution.uniform());
        return Arbitraries.frequencyOf(Tuple.of(3, shortWait), Tuple.of(1, longWait))
                .map(millis -> new PassTime(Duration.ofMillis(millis)));
    }

    private static Arbitrary<SettingsSpec> settingsSpecs() {
        Arbitrary<Boolean> enabled = Arbitraries.frequency(Tuple.of(4, true), Tuple.of(1, false));
        Arbitrary<List<MethodSpec>> methods = paymentMethods().list().ofMaxSize(3)
                .withSizeDistribution(RandomDistribution.uniform())
                .uniqueElements(MethodSpec::paymentMethodId);
        // "top up to $0" (pay back the debt) often: it lands a credit exactly on zero, the resume boundary
        return Combinators.combine(enabled, Arbitraries.of(SettingsSpec.Mode.class), dollarsUpTo(100, 1),
                dollarsUpTo(300, 4), dollarsUpTo(200, 1), methods, Arbitraries.of(true, false)).as(SettingsSpec::new)
                .map(LedgerInvariantsProperties::accepted);
    }

    /**
     * Settings the pipeline applies: SettingsRules refuses the others before the ledger sees them (tested in
     * SettingsRulesTest and BadRecordsTopologyTest). A threshold above the target is lowered to it, a fixed amount
     * of $0 raised to a cent, and automatic recharge without a card it may charge is turned off.
     */
    private static SettingsSpec accepted(SettingsSpec spec) {
        boolean topUp = spec.mode() == SettingsSpec.Mode.TOP_UP_TO_TARGET;
        long threshold = topUp ? Math.min(spec.thresholdMicros(), spec.targetMicros()) : spec.thresholdMicros();
        long amount = Math.max(spec.amountMicros(), Money.centsToMicros(1));
        boolean usableCard = spec.paymentMethods().stream().anyMatch(method -> !method.brand().equals("bank")
                && !REFUSED_BRANDS.contains(method.brand().toLowerCase(java.util.Locale.ROOT)));
        return new SettingsSpec(spec.autoRecharge() && usableCard, spec.mode(), threshold, spec.targetMicros(),
                amount, spec.paymentMethods(), spec.directChargePlanFee());
    }

    /** Micro-dollars: mostly whole cents, as people type them; sometimes any micro amount; sometimes zero. */
    private static Arbitrary<Long> dollarsUpTo(long maxDollars, int zeroWeight) {
        Arbitrary<Long> wholeCents = Arbitraries.longs().between(0, maxDollars * 100)
                .withDistribution(RandomDistribution.uniform()).map(Money::centsToMicros);
        Arbitrary<Long> anyMicros = Arbitraries.longs().between(0, Money.dollarsToMicros(maxDollars))
                .withDistribution(RandomDistribution.uniform());
        return Arbitraries.frequencyOf(Tuple.of(zeroWeight, Arbitraries.just(0L)), Tuple.of(6, wholeCents),
                Tuple.of(2, anyMicros));
    }

    private static Arbitrary<MethodSpec> paymentMethods() {
        Arbitrary<String> usableBrands = Arbitraries.of("visa", "mastercard", "amex", "discover", "jcb", "unionpay",
                "bank");
        Arbitrary<String> refusedBrands = Arbitraries.of("diners", "Diners", "DINERS", "paypal", "PayPal", "PAYPAL");
        return Combinators.combine(
                Arbitraries.of("pm_1", "pm_2", "pm_3", "pm_4"),
                Arbitraries.frequencyOf(Tuple.of(4, usableBrands), Tuple.of(1, refusedBrands)),
                Arbitraries.of(MethodSpec.Role.class)).as(MethodSpec::new);
    }
}
