package dev.meterflow.local;

import dev.meterflow.schemas.PaymentMethodRef;
import dev.meterflow.schemas.PaymentMethodRole;
import dev.meterflow.schemas.PaymentMethodType;

/**
 * Test data: stored payment methods as the gateway simulator's (and Stripe's) test tokens, never a card
 * number. {@code aVisaCard().primary()}, {@code aCardWithInsufficientFunds().backup()}.
 */
final class PaymentMethodBuilder {

    private final String paymentMethodId;
    private final String brand;
    private final String last4;
    private String customerId = "cus_e2e";
    private PaymentMethodRole role = PaymentMethodRole.PRIMARY;

    private PaymentMethodBuilder(String paymentMethodId, String brand, String last4) {
        this.paymentMethodId = paymentMethodId;
        this.brand = brand;
        this.last4 = last4;
    }

    /** Charged successfully. */
    static PaymentMethodBuilder aVisaCard() {
        return new PaymentMethodBuilder("pm_card_visa", "visa", "4242");
    }

    /** Declined, {@code insufficient_funds}: a soft decline. */
    static PaymentMethodBuilder aCardWithInsufficientFunds() {
        return new PaymentMethodBuilder("pm_card_chargeDeclinedInsufficientFunds", "visa", "9995");
    }

    /** Declined, {@code stolen_card}: a hard decline. */
    static PaymentMethodBuilder aStolenCard() {
        return new PaymentMethodBuilder("pm_card_chargeDeclinedStolenCard", "visa", "9979");
    }

    PaymentMethodBuilder primary() {
        this.role = PaymentMethodRole.PRIMARY;
        return this;
    }

    PaymentMethodBuilder backup() {
        this.role = PaymentMethodRole.BACKUP;
        return this;
    }

    PaymentMethodBuilder ofCustomer(String customerId) {
        this.customerId = customerId;
        return this;
    }

    PaymentMethodRef build() {
        return PaymentMethodRef.newBuilder()
                .setPaymentMethodId(paymentMethodId)
                .setCustomerId(customerId)
                .setType(PaymentMethodType.CARD)
                .setBrand(brand)
                .setLast4(last4)
                .setRole(role)
                .build();
    }
}
