package dev.meterflow.metering.recharge;

import dev.meterflow.metering.ledger.AutoRechargePolicy;
import dev.meterflow.metering.ledger.PaymentMethod;
import dev.meterflow.money.Money;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The pure rules of an automatic recharge: how much, and which payment methods in which order. */
public final class RechargePolicy {

    /** The smallest card charge the gateway accepts (Stripe: $0.50 in USD); a smaller top-up is raised to it. */
    public static final long MIN_CHARGE_CENTS = 50;

    /** Brands the billing rules refuse: "No PayPal, no Diners Club." */
    public static final Set<String> REFUSED_BRANDS = Set.of("paypal", "diners");

    private RechargePolicy() {
    }

    /**
     * The amount to charge, in whole cents rounded up: {@code target - balance} when topping up to a target,
     * {@code amountMicros} for a fixed amount, and at least {@link #MIN_CHARGE_CENTS} (a smaller charge would
     * be refused by the gateway every time). Zero or less means there is nothing to charge.
     */
    public static long amountCents(AutoRechargePolicy policy, long balanceMicros) {
        long micros = switch (policy.mode()) {
            case TOP_UP_TO_TARGET -> Money.subtract(policy.targetMicros(), balanceMicros);
            case FIXED_AMOUNT -> policy.amountMicros();
        };
        long cents = Money.toCentsRoundingUp(micros);
        return cents <= 0 ? cents : Math.max(cents, MIN_CHARGE_CENTS);
    }

    /**
     * The methods to offer the worker: primary, then backup, then the others; PayPal and Diners never, and never
     * a bank account (the contract's invariant 3: ACH is not offered to automatic recharges).
     */
    public static List<PaymentMethod> methodsInOrder(List<PaymentMethod> methods, long atMillis) {
        return directChargeMethodsInOrder(methods, atMillis).stream()
                .filter(method -> method.type() != PaymentMethod.Type.ACH)
                .toList();
    }

    /**
     * The methods a payment the account asked for (a one-time payment, a direct plan-fee charge) may offer: primary,
     * then backup, then the others; PayPal and Diners never. Bank accounts (ACH) are in: such a payment can wait the
     * days a bank debit takes to settle, which the worker does (issue 10, §2). A card past its expiry month at
     * {@code atMillis} never: the gateway would only decline it, and a decline of an expired card is a hard one.
     */
    public static List<PaymentMethod> directChargeMethodsInOrder(List<PaymentMethod> methods, long atMillis) {
        return methods.stream()
                .filter(method -> !refused(method.brand()))
                .filter(method -> !method.expiredAt(atMillis))
                .sorted(Comparator.comparing(PaymentMethod::role))
                .toList();
    }

    /** Stripe's codes are lower-case ({@code diners}), but a legacy "Diners Club" must not slip through either. */
    public static boolean refused(String brand) {
        String normalized = brand == null ? "" : brand.strip().toLowerCase(Locale.ROOT);
        return REFUSED_BRANDS.stream().anyMatch(normalized::startsWith);
    }

    /** The ids of a set of payment methods, order-free, as kept in the account state. */
    public static String fingerprint(List<PaymentMethod> methods) {
        return methods.stream().map(PaymentMethod::paymentMethodId).sorted().distinct()
                .collect(Collectors.joining(","));
    }

    /** The payment method ids of a {@link #fingerprint} (also of the first release's {@code ROLE:id} form). */
    public static Set<String> idsOf(String fingerprint) {
        if (fingerprint == null || fingerprint.isEmpty()) {
            return Set.of();
        }
        return Arrays.stream(fingerprint.split(","))
                .map(entry -> entry.substring(entry.indexOf(':') + 1))
                .collect(Collectors.toUnmodifiableSet());
    }
}
