package dev.meterflow.api.payments;

import dev.meterflow.money.Money;
import dev.meterflow.settings.SettingsRules;
import java.util.Locale;
import java.util.Optional;

/** A one-time payment's amount: more than $0.00 and at most what one recharge may charge. */
final class PaymentAmount {

    static final long MAX_CENTS = Money.toCentsRoundingUp(SettingsRules.DEFAULT_MAX_RECHARGE_MICROS);

    private PaymentAmount() {
    }

    /** What is wrong with paying {@code cents}, in words; empty when it may be paid. */
    static Optional<String> problem(long cents) {
        if (cents <= 0) {
            return Optional.of("the payment amount must be more than $0.00.");
        }
        if (cents > MAX_CENTS) {
            return Optional.of("the payment amount must be at most " + String.format(Locale.ROOT, "$%,d.%02d",
                    MAX_CENTS / 100, MAX_CENTS % 100) + ".");
        }
        return Optional.empty();
    }
}
