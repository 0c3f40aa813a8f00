package dev.meterflow.metering.ledger;

/** A stored payment method, by gateway token only (never a card number). */
public record PaymentMethod(String paymentMethodId, String customerId, Type type, String brand, String last4,
                            Role role) {

    public enum Type { CARD, ACH }

    public enum Role { PRIMARY, BACKUP, OTHER }
}
