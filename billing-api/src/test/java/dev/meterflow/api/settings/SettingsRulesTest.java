package dev.meterflow.api.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class SettingsRulesTest {

    private static final long DOLLAR = 1_000_000L;

    @Test
    void shouldAcceptAThresholdUpToTheTargetAndAmountsUpToTenThousandDollars() {
        assertThat(SettingsRules.autoRecharge("TOP_UP_TO_TARGET", 15 * DOLLAR, 15 * DOLLAR, 0)).isEmpty();
        assertThat(SettingsRules.autoRecharge("FIXED_AMOUNT", 15 * DOLLAR, 0, 10_000 * DOLLAR)).isEmpty();
    }

    @Test
    void shouldRefuseAReversedThresholdAndAmountsOutOfBounds() {
        assertThat(SettingsRules.autoRecharge("TOP_UP_TO_TARGET", 60 * DOLLAR, 50 * DOLLAR, 0))
                .containsExactly("the threshold must not be above the target (recharges top up to the target)");
        assertThat(SettingsRules.autoRecharge("FIXED_AMOUNT", 0, 0, 10_000 * DOLLAR + 1)).containsExactly(
                "the threshold must be more than $0.00", "the recharge amount must be at most $10,000.00");
        assertThat(SettingsRules.autoRecharge("WHATEVER", 1, 1, 1)).singleElement().asString().contains("mode");
        assertThat(SettingsRules.payment(-1)).containsExactly("the payment amount must be more than $0.00");
    }

    @Test
    void shouldBoundBillingEmailsAndRequireAnE164Phone() {
        assertThat(SettingsRules.billingEmails(Collections.nCopies(10, "a@b.example"))).isEmpty();
        assertThat(SettingsRules.billingEmails(Collections.nCopies(11, "a@b.example")))
                .containsExactly("at most 10 billing emails, was 11");
        assertThat(SettingsRules.billingEmails(List.of("x".repeat(250) + "@b.example"))).hasSize(1);
        assertThat(SettingsRules.criticalBillingPhone("+14155550123")).isEmpty();
        assertThat(SettingsRules.criticalBillingPhone(null)).isEmpty();
        assertThat(SettingsRules.criticalBillingPhone("415-555-0123")).hasSize(1);
    }

    @Test
    void shouldRefuseCardNumbersPaypalAndDiners() {
        assertThat(SettingsRules.paymentMethod("pm_card_visa", "visa", "4242")).isEmpty();
        // a 16-digit number grouped by spaces, built here so no source file holds one
        String typedNumber = String.join(" ", Collections.nCopies(4, "1234"));
        assertThat(SettingsRules.paymentMethod(typedNumber, "visa", "4242")).anyMatch(p -> p.contains("card number"));
        assertThat(SettingsRules.paymentMethod("pm_1", "paypal", "0000")).anyMatch(p -> p.startsWith("PayPal"));
        assertThat(SettingsRules.paymentMethod("pm_1", "diners", "0000")).anyMatch(p -> p.startsWith("Diners"));
    }

    @Test
    void shouldNeedAChargeableCardForAutoRecharge() {
        assertThat(SettingsRules.usableMethod(true, List.of("bank", "paypal"))).hasSize(1);
        assertThat(SettingsRules.usableMethod(true, List.of("bank", "visa"))).isEmpty();
        assertThat(SettingsRules.usableMethod(false, List.of())).isEmpty();
    }
}
