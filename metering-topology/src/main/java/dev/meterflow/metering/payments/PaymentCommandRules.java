package dev.meterflow.metering.payments;

import dev.meterflow.metering.ledger.AccountState;
import dev.meterflow.metering.ledger.BillingSettings;
import dev.meterflow.metering.ledger.PaymentMethod;
import dev.meterflow.metering.payments.PaymentRefusal.Reason;
import dev.meterflow.metering.recharge.RechargePolicy;
import dev.meterflow.money.Money;
import dev.meterflow.payments.SubAccountPayments;
import java.util.List;
import java.util.Optional;

/**
 * The billing rules of Make a Payment (issue 10, §1): which commands are refused, and which payment methods a
 * valid one offers the worker. Pure: the caller looks up the account and whether the command id was handled.
 */
public final class PaymentCommandRules {

    /** A command id longer than this is refused: it names the payment on the page and in the ledger. */
    public static final int MAX_COMMAND_ID_LENGTH = 255;
    /**
     * Card payments waiting for a result per account; each is kept in the account's state until answered. A card is
     * answered in seconds, so these are few unless the worker is behind.
     */
    public static final int MAX_OPEN_PAYMENTS = 20;
    /**
     * Payments offering a bank account waiting for a result per account, apart from the card payments: a bank
     * settles a debit in up to 4 business days, and the debits settling must not keep the account from paying by
     * card meanwhile (a paused account pays to resume).
     */
    public static final int MAX_OPEN_BANK_PAYMENTS = 20;

    private final long maxAmountCents;

    /** @param maxAmountCents the largest one-time payment ({@code meterflow.payment.max-amount}) */
    public PaymentCommandRules(long maxAmountCents) {
        this.maxAmountCents = maxAmountCents;
    }

    /** The outcome of checking one command. */
    public sealed interface Outcome {
    }

    /** Refused: nothing is charged. */
    public record Refused(PaymentRefusal refusal) implements Outcome {
    }

    /** Accepted: ask the worker to charge these methods, in order, until one succeeds. */
    public record Accepted(List<PaymentMethod> paymentMethods) implements Outcome {
        public Accepted {
            paymentMethods = List.copyOf(paymentMethods);
        }
    }

    /**
     * @param recordKey the account id the command was keyed by
     * @param settings  the account's settings, {@code null} when it has none
     * @param state     the account's state, {@code null} when it has none
     * @param handled   whether the command id was already handled
     */
    public Outcome check(String recordKey, MakePayment command, BillingSettings settings, AccountState state,
                         boolean handled) {
        Optional<PaymentRefusal> refusal = commandProblem(recordKey, command, handled)
                .or(() -> accountProblem(command, settings))
                .or(() -> amountProblem(command.amountCents()));
        if (refusal.isPresent()) {
            return new Refused(refusal.get());
        }
        Outcome outcome = methods(command.paymentMethodId(), settings.paymentMethods(), command.requestedAtMillis());
        if (outcome instanceof Accepted accepted) {
            return tooManyOpen(accepted.paymentMethods(), state).<Outcome>map(Refused::new).orElse(accepted);
        }
        return outcome;
    }

    private static Optional<PaymentRefusal> commandProblem(String recordKey, MakePayment command, boolean handled) {
        String id = command.commandId();
        if (id == null || id.isBlank() || id.length() > MAX_COMMAND_ID_LENGTH
                || id.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            return refuse(Reason.INVALID_COMMAND, "The payment has no valid id: it must be 1 to "
                    + MAX_COMMAND_ID_LENGTH + " characters without spaces.");
        }
        if (!command.accountId().equals(recordKey)) {
            return refuse(Reason.KEY_MISMATCH, "The payment names another account than the one it was sent for.");
        }
        if (handled) {
            return refuse(Reason.DUPLICATE_COMMAND, "This payment was already received; it is not charged twice.");
        }
        return Optional.empty();
    }

    private static Optional<PaymentRefusal> accountProblem(MakePayment command, BillingSettings settings) {
        if (settings == null) {
            return refuse(Reason.UNKNOWN_ACCOUNT, "There is no billing account '" + command.accountId() + "'.");
        }
        Optional<String> subAccount = SubAccountPayments.refusal(settings.parentAccountId());
        if (subAccount.isPresent()) {
            return refuse(Reason.SUB_ACCOUNT_PAYS_VIA_PARENT, subAccount.get());
        }
        return Optional.empty();
    }

    /**
     * Whether the account already has the most payments waiting of this one's kind: one that offers a bank account
     * counts among those that may wait days for the bank, one offering cards only among the card payments.
     */
    private static Optional<PaymentRefusal> tooManyOpen(List<PaymentMethod> offered, AccountState state) {
        if (state == null) {
            return Optional.empty();
        }
        boolean bank = offered.stream().anyMatch(PaymentMethod::isBankAccount);
        long open = state.openPayments().stream().filter(payment -> payment.offersBankAccount() == bank).count();
        if (bank && open >= MAX_OPEN_BANK_PAYMENTS) {
            return refuse(Reason.TOO_MANY_OPEN_BANK_PAYMENTS, "You already have " + MAX_OPEN_BANK_PAYMENTS
                    + " payments from a bank account waiting for the bank, which takes up to 4 business days:"
                    + " choose a card to pay now, or wait for one of them to settle.");
        }
        if (!bank && open >= MAX_OPEN_PAYMENTS) {
            return refuse(Reason.TOO_MANY_OPEN_PAYMENTS, "You already have " + MAX_OPEN_PAYMENTS
                    + " card payments being processed; please wait for them to finish.");
        }
        return Optional.empty();
    }

    private Optional<PaymentRefusal> amountProblem(long amountCents) {
        if (amountCents < RechargePolicy.MIN_CHARGE_CENTS) {
            return refuse(Reason.AMOUNT_TOO_SMALL, "A payment must be at least "
                    + Money.formatCents(RechargePolicy.MIN_CHARGE_CENTS) + ".");
        }
        if (amountCents > maxAmountCents) {
            return refuse(Reason.AMOUNT_ABOVE_LIMIT, "A payment can be at most " + Money.formatCents(maxAmountCents)
                    + ".");
        }
        return Optional.empty();
    }

    /**
     * The chosen method alone, or every chargeable one (bank accounts included) primary, backup, then others; a card
     * expired when the payment was asked for is never charged.
     */
    private static Outcome methods(String chosenId, List<PaymentMethod> onAccount, long requestedAtMillis) {
        List<PaymentMethod> chargeable = RechargePolicy.directChargeMethodsInOrder(onAccount, requestedAtMillis);
        if (chosenId == null) {
            return chargeable.isEmpty()
                    ? new Refused(new PaymentRefusal(Reason.NO_USABLE_PAYMENT_METHOD, "Add a card or a bank account"
                            + " to make a payment: PayPal, Diners Club and expired cards cannot be charged here."))
                    : new Accepted(chargeable);
        }
        Optional<PaymentMethod> chosen = onAccount.stream()
                .filter(method -> method.paymentMethodId().equals(chosenId)).findFirst();
        if (chosen.isEmpty()) {
            return new Refused(new PaymentRefusal(Reason.METHOD_NOT_ON_ACCOUNT,
                    "The chosen payment method is not on this account."));
        }
        if (chosen.get().expiredAt(requestedAtMillis)) {
            return new Refused(new PaymentRefusal(Reason.METHOD_EXPIRED, String.format("The chosen card expired at"
                    + " the end of %02d/%d: update its expiry or choose another payment method.",
                    chosen.get().expMonth(), chosen.get().expYear())));
        }
        return chargeable.stream().filter(method -> method.paymentMethodId().equals(chosenId)).findFirst()
                .<Outcome>map(method -> new Accepted(List.of(method)))
                .orElseGet(() -> new Refused(new PaymentRefusal(Reason.METHOD_NOT_ACCEPTED,
                        "The chosen payment method cannot be charged: PayPal and Diners Club are not accepted.")));
    }

    private static Optional<PaymentRefusal> refuse(Reason reason, String message) {
        return Optional.of(new PaymentRefusal(reason, message));
    }
}
