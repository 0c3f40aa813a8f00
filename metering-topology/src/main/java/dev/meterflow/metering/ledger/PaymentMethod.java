package dev.meterflow.metering.ledger;

import dev.meterflow.settings.CardExpiry;

/**
 * A stored payment method, by gateway token only (never a card number).
 *
 * @param expMonth the card's expiry month (1 to 12), {@code null} when not known or not a card
 * @param expYear  the card's expiry year, {@code null} when not known or not a card
 */
public record PaymentMethod(String paymentMethodId, String customerId, Type type, String brand, String last4,
                            Role role, Integer expMonth, Integer expYear) {

    public enum Type { CARD, ACH }

    public enum Role { PRIMARY, BACKUP, OTHER }

    /** A payment method whose expiry is not known. */
    public PaymentMethod(String paymentMethodId, String customerId, Type type, String brand, String last4,
                         Role role) {
        this(paymentMethodId, customerId, type, brand, last4, role, null, null);
    }

    /** A bank account: debited through the bank, which settles the payment days later. */
    public boolean isBankAccount() {
        return type == Type.ACH;
    }

    /** Whether the card is past its expiry month at {@code atMillis}; never for an expiry not known. */
    public boolean expiredAt(long atMillis) {
        return CardExpiry.expiredAt(expMonth, expYear, atMillis);
    }
}
