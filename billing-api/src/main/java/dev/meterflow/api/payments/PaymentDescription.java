package dev.meterflow.api.payments;

import dev.meterflow.money.Money;

/**
 * What a charge was for and what it did to the balance, in words for the payment history and the receipt. A plan
 * fee charged directly is paid by the card or bank account and leaves the prepaid balance as it was (issue 10 §3).
 */
public final class PaymentDescription {

    private static final String PLAN_FEE = "PLAN_FEE_DIRECT";

    private PaymentDescription() {
    }

    /**
     * "Plan fee $45.00, paid by Visa ending 4242; the prepaid balance is unchanged", "Automatic recharge $35.00,
     * paid by Visa ending 4242, added to the prepaid balance", "Plan fee $45.00 not charged; debited from the prepaid
     * balance instead".
     *
     * @param brand and {@code last4} from the receipt, null without one; then the gateway token names the method
     */
    public static String of(String reason, String status, long amountCents, String brand, String last4,
                            String paymentMethodId) {
        String what = what(reason) + " " + Money.formatCents(amountCents);
        boolean planFee = PLAN_FEE.equals(reason);
        if (!"SUCCEEDED".equals(status)) {
            return what + " not charged" + (planFee ? "; debited from the prepaid balance instead" : "");
        }
        String method = method(brand, last4, paymentMethodId);
        return what + (method == null ? "" : ", paid by " + method)
                + (planFee ? "; the prepaid balance is unchanged" : ", added to the prepaid balance");
    }

    /** What the receipt's charge was for. */
    public static String purpose(String reason) {
        return switch (reason == null ? "" : reason) {
            case PLAN_FEE -> "Plan fee, charged directly: the prepaid balance is unchanged";
            case "ONE_TIME_PAYMENT" -> "Payment added to the prepaid balance";
            case "AUTO_RECHARGE" -> "Automatic recharge added to the prepaid balance";
            default -> "Charge";
        };
    }

    private static String what(String reason) {
        return switch (reason == null ? "" : reason) {
            case PLAN_FEE -> "Plan fee";
            case "ONE_TIME_PAYMENT" -> "Payment";
            case "AUTO_RECHARGE" -> "Automatic recharge";
            default -> "Charge";
        };
    }

    private static String method(String brand, String last4, String paymentMethodId) {
        if (brand != null && last4 != null) {
            String name = brand.isEmpty() ? "Card" : Character.toUpperCase(brand.charAt(0)) + brand.substring(1);
            return name + " ending " + last4;
        }
        return paymentMethodId;
    }
}
