package dev.meterflow.metering.payments;

import dev.meterflow.metering.ledger.BillingSettings;
import dev.meterflow.metering.ledger.PaymentMethod;
import dev.meterflow.metering.pricing.PricingOutcome;
import dev.meterflow.metering.recharge.RechargePolicy;
import dev.meterflow.money.Money;
import dev.meterflow.topics.RequestIds;
import java.util.List;
import java.util.Optional;

/**
 * The billing rules of the direct charge of the plan fee (issue 10, §3): which priced usage is charged to the
 * account's payment methods instead of debited from its balance, for how much, on which methods, under which
 * request id. Pure.
 */
public final class PlanFeeRules {

    private PlanFeeRules() {
    }

    /**
     * Ask the worker to charge {@code amountCents} to {@code paymentMethods}, in order, under {@code requestId}.
     */
    public record DirectCharge(String requestId, long amountCents, List<PaymentMethod> paymentMethods) {
        public DirectCharge {
            paymentMethods = List.copyOf(paymentMethods);
        }
    }

    /**
     * The direct charge of this priced usage, or empty when it is debited from the balance as any usage: the sku
     * is not a plan fee, the account has not opted in, the fee is not a whole number of cents (a card is charged
     * in cents: rounding would charge more than the fee), it is under the gateway's minimum charge, or the
     * account has no primary or backup method that can be charged (not expired when the fee was due).
     */
    public static Optional<DirectCharge> directCharge(BillingSettings settings, PricingOutcome.Priced usage) {
        if (!usage.planFee() || !settings.directChargePlanFee()
                || usage.amountMicros() % Money.MICROS_PER_CENT != 0) {
            return Optional.empty();
        }
        long amountCents = usage.amountMicros() / Money.MICROS_PER_CENT;
        List<PaymentMethod> methods = methods(settings.paymentMethods(), usage.usage().occurredAtMillis());
        if (amountCents < RechargePolicy.MIN_CHARGE_CENTS || methods.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new DirectCharge(requestIdOf(settings.accountId(), usage.usage().eventId()), amountCents,
                methods));
    }

    /**
     * Primary, then backup: the methods of a payment the account asked for
     * ({@link RechargePolicy#directChargeMethodsInOrder}) without the others. Unlike an automatic recharge, a bank
     * account (ACH) may pay a plan fee: the fee is not needed at once to keep calls connected, so it can wait for
     * the payment to settle. PayPal and Diners Club never, nor a card expired when the fee was due.
     */
    static List<PaymentMethod> methods(List<PaymentMethod> onAccount, long dueAtMillis) {
        return RechargePolicy.directChargeMethodsInOrder(onAccount, dueAtMillis).stream()
                .filter(method -> method.role() != PaymentMethod.Role.OTHER)
                .toList();
    }

    /**
     * The request id of the plan fee of usage event {@code eventId}, derived from it so that a replay asks the
     * worker for the same charge (its idempotency keys are made from it); hashed so that any event id gives an id
     * the worker accepts, with the account id so that two accounts' events never share a request.
     */
    public static String requestIdOf(String accountId, String eventId) {
        return RequestIds.planFee(accountId, eventId);
    }
}
