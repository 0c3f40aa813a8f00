package dev.meterflow.worker.testdata;

import dev.meterflow.schemas.PaymentMethodRef;
import dev.meterflow.schemas.PaymentMethodRole;
import dev.meterflow.schemas.PaymentMethodType;

/**
 * Test data: stored payment methods by Stripe test token ({@code pm_card_visa}), never a card number.
 * {@code aVisaCard().primary()}.
 */
public final class PaymentMethodBuilder {

    private final String paymentMethodId;
    private final String brand;
    private String last4;
    private PaymentMethodRole role = PaymentMethodRole.OTHER;
    private PaymentMethodType type = PaymentMethodType.CARD;
    private Integer expMonth;
    private Integer expYear;

    private PaymentMethodBuilder(String paymentMethodId, String brand, String last4) {
        this.paymentMethodId = paymentMethodId;
        this.brand = brand;
        this.last4 = last4;
    }

    public static PaymentMethodBuilder aVisaCard() {
        return new PaymentMethodBuilder(TestData.VISA, "visa", "4242");
    }

    public static PaymentMethodBuilder aMastercard() {
        return new PaymentMethodBuilder(TestData.MASTERCARD, "mastercard", "4444");
    }

    public static PaymentMethodBuilder anAmexCard() {
        return new PaymentMethodBuilder(TestData.AMEX, "amex", "8431");
    }

    /** A US bank account (ACH Direct Debit), by one of Stripe's test tokens: {@code pm_usBankAccount_success}. */
    public static PaymentMethodBuilder aBankAccount(String paymentMethodId) {
        PaymentMethodBuilder bank = new PaymentMethodBuilder(paymentMethodId, "bank", "6789");
        bank.type = PaymentMethodType.ACH;
        return bank;
    }

    /** The same payment method id with new card details, as an issuer's account updater shows a reissued card. */
    public PaymentMethodBuilder reissuedWithLast4(String newLast4) {
        this.last4 = newLast4;
        return this;
    }

    /** The card's expiry, as the account's settings carry it (none by default: an expiry not known). */
    public PaymentMethodBuilder expiring(int month, int year) {
        this.expMonth = month;
        this.expYear = year;
        return this;
    }

    public PaymentMethodBuilder primary() {
        this.role = PaymentMethodRole.PRIMARY;
        return this;
    }

    public PaymentMethodBuilder backup() {
        this.role = PaymentMethodRole.BACKUP;
        return this;
    }

    public PaymentMethodBuilder other() {
        this.role = PaymentMethodRole.OTHER;
        return this;
    }

    public PaymentMethodRef build() {
        return PaymentMethodRef.newBuilder()
                .setPaymentMethodId(paymentMethodId)
                .setCustomerId(TestData.CUSTOMER)
                .setType(type)
                .setBrand(brand)
                .setLast4(last4)
                .setRole(role)
                .setExpMonth(expMonth)
                .setExpYear(expYear)
                .build();
    }
}
