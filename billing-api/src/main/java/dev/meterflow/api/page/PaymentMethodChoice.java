package dev.meterflow.api.page;

import dev.meterflow.api.page.BillingView.TestCard;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The methods the Add form offers, and the help page's words for a brand Meterflow does not take. */
public final class PaymentMethodChoice {

    /** The help page's sentence; the pipeline refuses the same brands ({@code SettingsRules.REFUSED_BRANDS}). */
    public static final String REFUSED_BRAND = "We bill in US dollars and do not accept PayPal or Diners Club.";

    /**
     * The gateway simulator's (and Stripe's) test tokens: the local stack charges these. PayPal and Diners are
     * here so the refusal can be seen; their tokens are made up, the page refuses them before any gateway.
     */
    public static final List<TestCard> TEST_CARDS = List.of(
            new TestCard("pm_card_visa", "Visa ending 4242 (succeeds)", "visa", "4242"),
            new TestCard("pm_card_mastercard", "Mastercard ending 4444 (succeeds)", "mastercard", "4444"),
            new TestCard("pm_card_amex", "American Express ending 8431 (succeeds)", "amex", "8431"),
            new TestCard("pm_card_chargeDeclinedInsufficientFunds", "Visa ending 9995 (declines: insufficient"
                    + " funds)", "visa", "9995"),
            new TestCard("pm_card_chargeDeclinedExpiredCard", "Visa ending 0069 (declines: expired)", "visa",
                    "0069"),
            new TestCard("pm_paypal_test", "PayPal", "paypal", "0000"),
            new TestCard("pm_card_diners", "Diners Club ending 0004", "diners", "0004"));

    private PaymentMethodChoice() {
    }

    public static Optional<TestCard> testCard(String token) {
        return TEST_CARDS.stream().filter(card -> card.token().equals(token)).findFirst();
    }

    /** A bank (ACH) account, by the brand the add form sends: {@code SettingsCommands} stores it as type ACH. */
    public static boolean isBankAccount(String brand) {
        return brand != null && "bank".equals(brand.strip().toLowerCase(Locale.ROOT));
    }

    /** The help page's sentence for PayPal or Diners Club, else empty. */
    public static Optional<String> refusal(String brand) {
        String lower = brand == null ? "" : brand.strip().toLowerCase(Locale.ROOT);
        return lower.startsWith("paypal") || lower.startsWith("diners") ? Optional.of(REFUSED_BRAND)
                : Optional.empty();
    }
}
