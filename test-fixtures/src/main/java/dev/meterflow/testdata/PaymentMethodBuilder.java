package dev.meterflow.testdata;

import dev.meterflow.schemas.PaymentMethodRef;
import dev.meterflow.schemas.PaymentMethodRole;
import dev.meterflow.schemas.PaymentMethodType;

/**
 * Test data: stored payment methods by Stripe test token ({@code pm_card_visa}), never a card number; the gateway
 * simulator answers the same tokens as Stripe does. A primary method of {@link TestData#CUSTOMER} unless told
 * otherwise: {@code aVisaCard()}, {@code aCardWithInsufficientFunds().backup()}.
 */
public final class PaymentMethodBuilder {

    private final String paymentMethodId;
    private PaymentMethodType type = PaymentMethodType.CARD;
    private final String brand;
    private String last4;
    private String customerId = TestData.CUSTOMER;
    private PaymentMethodRole role = PaymentMethodRole.PRIMARY;
    private Integer expMonth;
    private Integer expYear;

    private PaymentMethodBuilder(String paymentMethodId, String brand, String last4) {
        this.paymentMethodId = paymentMethodId;
        this.brand = brand;
        this.last4 = last4;
    }

    /** Charged successfully. */
    public static PaymentMethodBuilder aVisaCard() {
        return new PaymentMethodBuilder(TestData.VISA, "visa", "4242");
    }

    public static PaymentMethodBuilder aMastercard() {
        return new PaymentMethodBuilder(TestData.MASTERCARD, "mastercard", "4444");
    }

    public static PaymentMethodBuilder anAmexCard() {
        return new PaymentMethodBuilder(TestData.AMEX, "amex", "8431");
    }

    public static PaymentMethodBuilder aDinersCard() {
        return new PaymentMethodBuilder("pm_card_diners", "diners", "0004");
    }

    /** Declined, {@code insufficient_funds}: a soft decline. */
    public static PaymentMethodBuilder aCardWithInsufficientFunds() {
        return new PaymentMethodBuilder("pm_card_chargeDeclinedInsufficientFunds", "visa", "9995");
    }

    /** Declined, {@code stolen_card}: a hard decline. */
    public static PaymentMethodBuilder aStolenCard() {
        return new PaymentMethodBuilder("pm_card_chargeDeclinedStolenCard", "visa", "9979");
    }

    public static PaymentMethodBuilder aPayPalAccount() {
        return new PaymentMethodBuilder("pm_paypal_acme", "paypal", "");
    }

    /** A US bank account (ACH Direct Debit) that settles: {@link TestData#BANK}. */
    public static PaymentMethodBuilder aBankAccount() {
        return aBankAccount(TestData.BANK);
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

    public PaymentMethodBuilder ofCustomer(String customerId) {
        this.customerId = customerId;
        return this;
    }

    public PaymentMethodRef build() {
        return PaymentMethodRef.newBuilder()
                .setPaymentMethodId(paymentMethodId)
                .setCustomerId(customerId)
                .setType(type)
                .setBrand(brand)
                .setLast4(last4)
                .setRole(role)
                .setExpMonth(expMonth)
                .setExpYear(expYear)
                .build();
    }
}
