package dev.meterflow.metering.topology;

import dev.meterflow.schemas.PaymentMethodRef;
import dev.meterflow.schemas.PaymentMethodRole;
import dev.meterflow.schemas.PaymentMethodType;

/**
 * Test data: stored payment methods by Stripe test token ({@code pm_card_visa}), never a card number.
 * {@code aVisaCard().primary()}.
 */
final class PaymentMethodBuilder {

    static final String CUSTOMER = "cus_Q1acmePlumbing";

    private final String paymentMethodId;
    private PaymentMethodType type = PaymentMethodType.CARD;
    private final String brand;
    private final String last4;
    private PaymentMethodRole role = PaymentMethodRole.OTHER;
    private Integer expMonth;
    private Integer expYear;

    private PaymentMethodBuilder(String paymentMethodId, String brand, String last4) {
        this.paymentMethodId = paymentMethodId;
        this.brand = brand;
        this.last4 = last4;
    }

    static PaymentMethodBuilder aVisaCard() {
        return new PaymentMethodBuilder("pm_card_visa", "visa", "4242");
    }

    static PaymentMethodBuilder aMastercard() {
        return new PaymentMethodBuilder("pm_card_mastercard", "mastercard", "4444");
    }

    static PaymentMethodBuilder anAmexCard() {
        return new PaymentMethodBuilder("pm_card_amex", "amex", "8431");
    }

    static PaymentMethodBuilder aDinersCard() {
        return new PaymentMethodBuilder("pm_card_diners", "diners", "0004");
    }

    static PaymentMethodBuilder aPayPalAccount() {
        return new PaymentMethodBuilder("pm_paypal_acme", "paypal", "");
    }

    static PaymentMethodBuilder aBankAccount() {
        PaymentMethodBuilder bank = new PaymentMethodBuilder("pm_usBankAccount_success", "bank", "6789");
        bank.type = PaymentMethodType.ACH;
        return bank;
    }

    /** The card's expiry (none by default: an expiry not known). */
    PaymentMethodBuilder expiring(int month, int year) {
        this.expMonth = month;
        this.expYear = year;
        return this;
    }

    PaymentMethodBuilder primary() {
        this.role = PaymentMethodRole.PRIMARY;
        return this;
    }

    PaymentMethodBuilder backup() {
        this.role = PaymentMethodRole.BACKUP;
        return this;
    }

    PaymentMethodBuilder other() {
        this.role = PaymentMethodRole.OTHER;
        return this;
    }

    PaymentMethodRef build() {
        return PaymentMethodRef.newBuilder()
                .setPaymentMethodId(paymentMethodId)
                .setCustomerId(CUSTOMER)
                .setType(type)
                .setBrand(brand)
                .setLast4(last4)
                .setRole(role)
                .setExpMonth(expMonth)
                .setExpYear(expYear)
                .build();
    }
}
