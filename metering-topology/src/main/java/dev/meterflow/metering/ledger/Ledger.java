package dev.meterflow.metering.ledger;

import dev.meterflow.metering.ledger.AccountState.OpenPayment;
import dev.meterflow.metering.ledger.AccountState.OpenPlanFee;
import dev.meterflow.metering.ledger.AccountState.PendingRecharge;
import dev.meterflow.metering.ledger.AccountState.RechargeBackoff;
import dev.meterflow.metering.ledger.Effect.NotificationKind;
import dev.meterflow.metering.payments.MakePayment;
import dev.meterflow.metering.payments.PlanFeeRules;
import dev.meterflow.metering.pricing.PricingOutcome;
import dev.meterflow.metering.pricing.Usage;
import dev.meterflow.metering.recharge.RechargePolicy;
import dev.meterflow.metering.tax.TaxLine;
import dev.meterflow.metering.tax.TaxOutcome;
import dev.meterflow.money.Money;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.CRC32;

/**
 * The billing decisions for one account and one record: debit, credit, pause or resume, and whether to ask
 * for a recharge. Pure: no Kafka types, no clock; {@code nowMillis} is the record's time (or, for
 * {@link #retryAfterBackoff}, the wall-clock time of the check).
 */
public final class Ledger {

    /** The {@code reason} attribute of a LOW_BALANCE notice when no payment method can be charged automatically. */
    public static final String NO_USABLE_PAYMENT_METHOD = "NO_USABLE_PAYMENT_METHOD";

    private final Duration declineBackoff;

    /** @param declineBackoff how long after a declined or failed recharge no automatic one is requested */
    public Ledger(Duration declineBackoff) {
        this.declineBackoff = declineBackoff;
    }

    /** Debits a priced usage event. */
    public Decision applyUsage(AccountState state, BillingSettings settings, PricingOutcome.Priced usage,
                               long nowMillis) {
        return debit(state, settings, usage.usage(), usage.amountMicros(), nowMillis);
    }

    private Decision debit(AccountState state, BillingSettings settings, Usage usage, long amountMicros,
                           long nowMillis) {
        long before = state.balanceMicros();
        long after = Money.subtract(before, amountMicros);
        String entryId = usageEntryId(usage.eventId());
        Posting posting = new Posting(entryId, settings.accountId(), usage.accountId(), Posting.Kind.USAGE,
                usage.sku(), usage.quantity(), Money.negate(amountMicros), after, usage.eventId(),
                usage.occurredAtMillis());
        List<Effect> effects = new ArrayList<>();
        effects.add(new Effect.Posted(posting));
        AccountState next = afterBalanceChange(state.withBalance(after), settings, entryId, nowMillis, effects);
        if (crossedThreshold(before, after, settings) && !canRechargeAutomatically(settings, nowMillis)) {
            effects.add(lowBalance(settings, after, entryId, nowMillis));
        }
        next = requestRechargeIfDue(next, settings, entryId, nowMillis, effects);
        return new Decision(next, effects);
    }

    /**
     * Debits a monthly tax line (issue 10, §4) the way usage is debited: it may pause the account, cross its
     * threshold and ask for a recharge. The entry id and source are the line's, so a repeat is recognisable.
     *
     * @param occurredAtMillis the start of the month the run happens in: the same on every replay
     */
    public Decision applyTax(AccountState state, BillingSettings settings, TaxOutcome.Taxed tax,
                             long occurredAtMillis, long nowMillis) {
        TaxLine line = tax.line();
        long before = state.balanceMicros();
        long after = Money.subtract(before, tax.taxMicros());
        String entryId = line.entryId();
        Posting posting = new Posting(entryId, settings.accountId(), line.accountId(), Posting.Kind.TAX, null, 0,
                Money.negate(tax.taxMicros()), after, entryId, occurredAtMillis, new Posting.TaxDetail(
                        line.period().toString(), tax.jurisdiction(), line.baseMicros(), tax.ratePpm()));
        List<Effect> effects = new ArrayList<>();
        effects.add(new Effect.Posted(posting));
        AccountState next = afterBalanceChange(state.withBalance(after), settings, entryId, nowMillis, effects);
        if (crossedThreshold(before, after, settings) && !canRechargeAutomatically(settings, nowMillis)) {
            effects.add(lowBalance(settings, after, entryId, nowMillis));
        }
        next = requestRechargeIfDue(next, settings, entryId, nowMillis, effects);
        return new Decision(next, effects);
    }

    /**
     * Asks the worker to charge an accepted one-time payment (Make a Payment). It goes out at once, whether an
     * automatic recharge is pending or not, and holds none back: only automatic recharges are one at a time.
     */
    public Decision applyPayment(AccountState state, BillingSettings settings, MakePayment payment,
                                 List<PaymentMethod> methods, long nowMillis) {
        AutoRechargePolicy policy = settings.autoRecharge();
        String requestId = payment.requestId();
        Effect request = new Effect.RechargeRequested(requestId, settings.accountId(),
                Effect.RequestReason.ONE_TIME_PAYMENT, payment.amountCents(), methods, state.balanceMicros(),
                policy.thresholdMicros(), policy.targetMicros(), nowMillis, settings.billingEmails(),
                settings.criticalBillingPhone());
        AccountState next = state.withOpenPayment(new OpenPayment(requestId, payment.commandId(),
                payment.amountCents(), nowMillis, methods.stream().anyMatch(PaymentMethod::isBankAccount)));
        return new Decision(next, List.of(request));
    }

    /**
     * Asks the worker to charge a plan fee to the account's payment methods instead of debiting it (issue 10, §3).
     * The balance does not change until the result: a decline debits the fee then. It neither waits for nor
     * blocks a pending automatic recharge or a one-time payment. The step that asks it adds the fee to its month's
     * taxable base ({@code PlanFeeTax.atAsk}), so the open fee is kept as indexed for tax.
     */
    public Decision applyPlanFee(AccountState state, BillingSettings settings, PricingOutcome.Priced usage,
                                 PlanFeeRules.DirectCharge charge, long nowMillis) {
        AutoRechargePolicy policy = settings.autoRecharge();
        Effect request = new Effect.RechargeRequested(charge.requestId(), settings.accountId(),
                Effect.RequestReason.PLAN_FEE_DIRECT, charge.amountCents(), charge.paymentMethods(),
                state.balanceMicros(), policy.thresholdMicros(), policy.targetMicros(), nowMillis,
                settings.billingEmails(), settings.criticalBillingPhone());
        Usage event = usage.usage();
        AccountState next = state.withOpenPlanFee(new OpenPlanFee(charge.requestId(), event.eventId(), event.sku(),
                event.quantity(), usage.amountMicros(), event.occurredAtMillis(), nowMillis, true));
        return new Decision(next, List.of(request));
    }

    /** Applies the worker's result for a recharge request, a one-time payment or a plan fee. */
    public Decision applyPaymentResult(AccountState state, BillingSettings settings, PaymentOutcome result,
                                       long nowMillis) {
        Optional<OpenPayment> payment = state.openPayment(result.requestId());
        if (payment.isPresent()) {
            return applyOneTimeResult(state, settings, payment.get(), result, nowMillis);
        }
        Optional<OpenPlanFee> planFee = state.openPlanFee(result.requestId());
        if (planFee.isPresent()) {
            return applyPlanFeeResult(state, settings, planFee.get(), result, nowMillis);
        }
        PendingRecharge pending = state.pending();
        if (pending == null || !pending.requestId().equals(result.requestId())) {
            String expected = pending == null ? "no request pending" : "pending is '" + pending.requestId() + "'";
            return new Decision(state, List.of(new Effect.Unmatched("UNKNOWN_REQUEST", "payment result for request '"
                    + result.requestId() + "' of account '" + result.accountId() + "' does not match: " + expected)));
        }
        List<Effect> effects = new ArrayList<>();
        AccountState cleared = state.withPending(null);
        if (result.status() != PaymentOutcome.Status.SUCCEEDED) {
            // the methods that were tried are backed off (with any still backed off); methods added since the
            // request may be asked at once
            Set<String> tried = new TreeSet<>(RechargePolicy.idsOf(pending.paymentMethodsFingerprint() != null
                    ? pending.paymentMethodsFingerprint() : RechargePolicy.fingerprint(settings.paymentMethods())));
            tried.addAll(backedOff(state.backoff(), result.completedAtMillis()));
            RechargeBackoff backoff = new RechargeBackoff(
                    Math.addExact(result.completedAtMillis(), declineBackoff.toMillis()), String.join(",", tried));
            AccountState next = requestRechargeIfDue(cleared.withBackoff(backoff), settings,
                    "declined:" + result.requestId(), nowMillis, effects);
            return new Decision(next, effects);
        }
        long after = Money.add(state.balanceMicros(), Money.centsToMicros(result.amountCents()));
        String entryId = "recharge:" + result.requestId();
        effects.add(new Effect.Posted(new Posting(entryId, settings.accountId(), settings.accountId(),
                Posting.Kind.RECHARGE, null, 0, Money.centsToMicros(result.amountCents()), after, result.requestId(),
                result.completedAtMillis(), null, result.paymentMethodId())));
        AccountState next = afterBalanceChange(cleared.withBalance(after).withBackoff(null), settings, entryId,
                nowMillis, effects);
        next = requestRechargeIfDue(next, settings, entryId, nowMillis, effects);
        return new Decision(next, effects);
    }

    /**
     * A one-time payment's result: a success is credited as a PAYMENT (and may resume the account); a decline
     * only closes it: the worker has told the billing emails, and automatic recharges are not backed off.
     */
    private static Decision applyOneTimeResult(AccountState state, BillingSettings settings, OpenPayment payment,
                                               PaymentOutcome result, long nowMillis) {
        AccountState closed = state.withoutOpenPayment(payment.requestId());
        if (result.status() != PaymentOutcome.Status.SUCCEEDED) {
            return new Decision(closed, List.of());
        }
        long credit = Money.centsToMicros(payment.amountCents());
        long after = Money.add(state.balanceMicros(), credit);
        String entryId = "payment:" + payment.commandId();
        List<Effect> effects = new ArrayList<>();
        effects.add(new Effect.Posted(new Posting(entryId, settings.accountId(), settings.accountId(),
                Posting.Kind.PAYMENT, null, 0, credit, after, payment.commandId(), result.completedAtMillis(), null,
                result.paymentMethodId())));
        AccountState next = afterBalanceChange(closed.withBalance(after), settings, entryId, nowMillis, effects);
        return new Decision(next, effects);
    }

    /**
     * A plan fee's result. Charged: a PLAN_FEE_DIRECT entry of zero that records the fee and the method charged
     * (the balance does not change). Not charged: the fee is debited from the balance as the usage it is, under
     * the entry id its debit would have had, so an event is never both charged and debited; the worker's decline
     * notice tells the billing emails so.
     */
    private Decision applyPlanFeeResult(AccountState state, BillingSettings settings, OpenPlanFee fee,
                                        PaymentOutcome result, long nowMillis) {
        AccountState closed = state.withoutOpenPlanFee(fee.requestId());
        Usage usage = new Usage(fee.eventId(), settings.accountId(), fee.sku(), fee.quantity(),
                fee.occurredAtMillis());
        if (result.status() != PaymentOutcome.Status.SUCCEEDED) {
            return debit(closed, settings, usage, fee.amountMicros(), nowMillis);
        }
        Posting charged = new Posting(usageEntryId(fee.eventId()), settings.accountId(), settings.accountId(),
                Posting.Kind.PLAN_FEE_DIRECT, fee.sku(), fee.quantity(), 0, state.balanceMicros(), fee.eventId(),
                fee.occurredAtMillis(), fee.amountMicros(), result.paymentMethodId());
        return new Decision(closed, List.of(new Effect.Posted(charged)));
    }

    /** One entry per usage event, whether debited or charged directly as a plan fee. */
    private static String usageEntryId(String eventId) {
        return "usage:" + eventId;
    }

    /**
     * Applies new settings: a balance already under a (new) threshold with auto-recharge enabled asks for a
     * recharge at once, offering every method not held back by a decline back-off.
     */
    public Decision applySettings(AccountState state, BillingSettings settings, long nowMillis) {
        List<Effect> effects = new ArrayList<>();
        String causeId = "settings:" + nowMillis;
        if (settings.autoRecharge().enabled() && !canRechargeAutomatically(settings, nowMillis)
                && state.balanceMicros() < settings.autoRecharge().thresholdMicros()) {
            // already under the threshold, it will never cross it: say now that nothing can be charged
            effects.add(lowBalance(settings, state.balanceMicros(), causeId, nowMillis));
        }
        AccountState next = requestRechargeIfDue(state, settings, causeId, nowMillis, effects);
        return new Decision(next, effects);
    }

    /**
     * A decline back-off may have passed with no record arriving for the account (a paused account sends no
     * usage): clears a back-off that has passed and asks for the recharge that is now due, if any.
     */
    public Decision retryAfterBackoff(AccountState state, BillingSettings settings, long nowMillis) {
        RechargeBackoff backoff = state.backoff();
        if (backoff == null || nowMillis < backoff.notBeforeMillis()) {
            return new Decision(state, List.of());
        }
        List<Effect> effects = new ArrayList<>();
        AccountState next = requestRechargeIfDue(state.withBackoff(null), settings,
                "backoff-passed:" + backoff.notBeforeMillis(), nowMillis, effects);
        return new Decision(next, effects);
    }

    private static AccountState afterBalanceChange(AccountState state, BillingSettings settings, String causeId,
                                                   long nowMillis, List<Effect> effects) {
        long balance = state.balanceMicros();
        if (!state.paused() && balance < 0) {
            effects.add(new Effect.StatusChanged(settings.accountId(), true, "BALANCE_BELOW_ZERO", balance, nowMillis));
            effects.add(notify(settings, NotificationKind.ACCOUNT_PAUSED, causeId, nowMillis,
                    "Your account is paused: the balance is " + Money.format(balance)
                            + ". Calls are not connected until it is paid back up to zero or more.", balance));
            return state.withPaused(true);
        }
        if (state.paused() && balance >= 0) {
            effects.add(new Effect.StatusChanged(settings.accountId(), false, "BALANCE_RESTORED", balance, nowMillis));
            effects.add(notify(settings, NotificationKind.ACCOUNT_RESUMED, causeId, nowMillis,
                    "Your account is active again: the balance is " + Money.format(balance) + ".", balance));
            return state.withPaused(false);
        }
        return state;
    }

    private AccountState requestRechargeIfDue(AccountState state, BillingSettings settings, String causeId,
                                              long nowMillis, List<Effect> effects) {
        AutoRechargePolicy policy = settings.autoRecharge();
        if (!policy.enabled() || state.pending() != null || state.balanceMicros() >= policy.thresholdMicros()) {
            return state;
        }
        // billing rules: after a decline, no new automatic request until the back-off passes or the methods change
        Set<String> backedOff = backedOff(state.backoff(), nowMillis);
        List<PaymentMethod> methods = RechargePolicy.methodsInOrder(settings.paymentMethods(), nowMillis).stream()
                .filter(method -> !backedOff.contains(method.paymentMethodId()))
                .toList();
        long amountCents = RechargePolicy.amountCents(policy, state.balanceMicros());
        if (methods.isEmpty() || amountCents <= 0) {
            return state;
        }
        long sequence = state.rechargeSequence() + 1;
        // the sequence makes it unique per account; the cause keeps it unique even if state were ever rebuilt
        String requestId = "rr-" + settings.accountId() + "-" + sequence + "-" + shortHash(causeId);
        effects.add(new Effect.RechargeRequested(requestId, settings.accountId(), Effect.RequestReason.AUTO_RECHARGE,
                amountCents, methods,
                state.balanceMicros(), policy.thresholdMicros(), policy.targetMicros(), nowMillis,
                settings.billingEmails(), settings.criticalBillingPhone()));
        return state.withNextRequest(new PendingRecharge(requestId, amountCents, nowMillis,
                RechargePolicy.fingerprint(methods)));
    }

    /** The payment methods a decline back-off still holds back at this time. */
    private static Set<String> backedOff(RechargeBackoff backoff, long nowMillis) {
        return backoff == null || nowMillis >= backoff.notBeforeMillis() ? Set.of()
                : RechargePolicy.idsOf(backoff.paymentMethodsFingerprint());
    }

    private static boolean crossedThreshold(long before, long after, BillingSettings settings) {
        long threshold = settings.autoRecharge().thresholdMicros();
        return before >= threshold && after < threshold;
    }

    private static boolean canRechargeAutomatically(BillingSettings settings, long nowMillis) {
        return settings.autoRecharge().enabled()
                && !RechargePolicy.methodsInOrder(settings.paymentMethods(), nowMillis).isEmpty();
    }

    /**
     * LOW_BALANCE when automatic recharge cannot help; when it is on but no payment method can be charged
     * automatically (PayPal, Diners Club, a bank account, an expired card), the notice says so (issue 16: such an
     * account was paused without a word).
     */
    private static Effect.Notify lowBalance(BillingSettings settings, long balance, String causeId, long nowMillis) {
        String below = "Your balance is " + Money.format(balance) + ", below your threshold of "
                + Money.format(settings.autoRecharge().thresholdMicros()) + ". ";
        if (!settings.autoRecharge().enabled()) {
            return notify(settings, NotificationKind.LOW_BALANCE, causeId, nowMillis,
                    below + "Add funds to keep calls connected.", balance);
        }
        return notify(settings, NotificationKind.LOW_BALANCE, causeId, nowMillis, below
                + "Automatic recharge is on, but no payment method can be charged automatically (PayPal, Diners Club,"
                + " bank accounts and expired cards cannot): add a card, or add funds, to keep calls connected.",
                balance, Map.of("reason", NO_USABLE_PAYMENT_METHOD));
    }

    private static Effect.Notify notify(BillingSettings settings, NotificationKind kind, String causeId,
                                        long nowMillis, String summary, long balance) {
        return notify(settings, kind, causeId, nowMillis, summary, balance, Map.of());
    }

    private static Effect.Notify notify(BillingSettings settings, NotificationKind kind, String causeId,
                                        long nowMillis, String summary, long balance, Map<String, String> extra) {
        String id = kind.name().toLowerCase().replace('_', '-') + ":" + settings.accountId() + ":" + causeId;
        Map<String, String> attributes = new TreeMap<>(extra);
        attributes.put("balanceMicros", Long.toString(balance));
        attributes.put("cause", causeId);
        return new Effect.Notify(id, settings.accountId(), kind, settings.billingEmails(), settings.smsRecipients(),
                summary, attributes, nowMillis);
    }

    private static String shortHash(String value) {
        CRC32 crc = new CRC32();
        crc.update(value.getBytes(StandardCharsets.UTF_8));
        return String.format("%08x", crc.getValue());
    }
}
