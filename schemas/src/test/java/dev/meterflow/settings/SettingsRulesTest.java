package dev.meterflow.settings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.money.Money;
import dev.meterflow.schemas.AccountSettings;
import dev.meterflow.schemas.AutoRecharge;
import dev.meterflow.schemas.AutoRechargeMode;
import dev.meterflow.schemas.PaymentMethodRef;
import dev.meterflow.schemas.PaymentMethodRole;
import dev.meterflow.schemas.PaymentMethodType;
import dev.meterflow.settings.SettingsRefusal.Reason;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Issue 16, item 5: settings that make no sense are refused with a reason, wherever they enter. */
class SettingsRulesTest {

    private static final long CAP = SettingsRules.DEFAULT_MAX_RECHARGE_MICROS;

    @Test
    void shouldAcceptSensibleSettings() {
        assertThat(SettingsRules.check(settings().build(), CAP)).isEmpty();
    }

    @Test
    void shouldRefuseAThresholdAboveTheTarget() {
        AccountSettings settings = settings().setAutoRecharge(topUp(dollars(60), dollars(50))).build();

        assertThat(reason(settings)).contains(Reason.THRESHOLD_ABOVE_TARGET);
    }

    @Test
    void shouldRefuseANegativeFixedAmount() {
        AccountSettings settings = settings().setAutoRecharge(fixed(dollars(10), -dollars(5))).build();

        assertThat(reason(settings)).contains(Reason.AMOUNT_NOT_POSITIVE);
    }

    @Test
    void shouldRefuseAFixedAmountAboveTheCap() {
        AccountSettings settings = settings().setAutoRecharge(fixed(dollars(10), dollars(5_000_000))).build();

        Optional<SettingsRefusal> refusal = SettingsRules.check(settings, CAP);

        assertThat(refusal).map(SettingsRefusal::reason).contains(Reason.AMOUNT_ABOVE_LIMIT);
        assertThat(refusal.get().message()).contains("$5000000.00").contains("$10000.00");
    }

    @Test
    void shouldRefuseAutoRechargeWithOnlyPayPalAndDiners() {
        AccountSettings settings = settings().setPaymentMethods(List.of(method("paypal", PaymentMethodType.CARD),
                method("Diners Club", PaymentMethodType.CARD), method("bank", PaymentMethodType.ACH))).build();

        assertThat(reason(settings)).contains(Reason.NO_USABLE_PAYMENT_METHOD);
    }

    @Test
    void shouldRefuseAnImpossibleCardExpiryWithTheReason() {
        // issue 10 §6: the expiry decides when a hard-declined card may be charged again, so it must be a real one
        assertThat(SettingsRules.check(settings().setPaymentMethods(List.of(card(13, 2028))).build(), CAP))
                .contains(new SettingsRefusal(Reason.INVALID_PAYMENT_METHOD,
                        "The expiry month 13 is not a month: it must be 1 to 12."));
        assertThat(reason(settings().setPaymentMethods(List.of(card(0, 2028))).build()))
                .contains(Reason.INVALID_PAYMENT_METHOD);
        assertThat(reason(settings().setPaymentMethods(List.of(card(12, 28))).build()))
                .contains(Reason.INVALID_PAYMENT_METHOD);
        assertThat(reason(settings().setPaymentMethods(List.of(card(12, null))).build()))
                .contains(Reason.INVALID_PAYMENT_METHOD);
    }

    @Test
    void shouldAcceptACardAlreadyExpiredOrWithoutAnExpiry() {
        // an expired card stays on the account (its issuer may renew it); it is never offered to a charge
        assertThat(reason(settings().setPaymentMethods(List.of(card(1, 2020))).build())).isEmpty();
        assertThat(reason(settings().setPaymentMethods(List.of(card(null, null))).build())).isEmpty();
    }

    @Test
    void shouldAcceptATopUpToZeroThatPaysBackADebt() {
        assertThat(reason(settings().setAutoRecharge(topUp(0, 0)).build())).isEmpty();
        assertThat(reason(settings().setAutoRecharge(topUp(0, -dollars(1))).build()))
                .contains(Reason.AMOUNT_NOT_POSITIVE);
    }

    @Test
    void shouldAcceptUnusableMethodsWhenAutoRechargeIsOff() {
        AutoRecharge off = topUp(dollars(15), dollars(50));
        off.setEnabled(false);
        AccountSettings settings = settings().setAutoRecharge(off)
                .setPaymentMethods(List.of(method("paypal", PaymentMethodType.CARD))).build();

        assertThat(reason(settings)).isEmpty();
    }

    @Test
    void shouldRefuseTooManyOrMalformedEmails() {
        assertThat(reason(settings().setBillingEmails(Collections.nCopies(11, "a@example.com")).build()))
                .contains(Reason.TOO_MANY_EMAILS);
        assertThat(reason(settings().setBillingEmails(List.of("not-an-address")).build()))
                .contains(Reason.INVALID_EMAIL);
        assertThat(reason(settings().setBillingEmails(List.of("a".repeat(250) + "@example.com")).build()))
                .contains(Reason.INVALID_EMAIL);
    }

    @Test
    void shouldRefuseAPhoneNotInE164() {
        assertThat(reason(settings().setCriticalBillingPhone("(415) 555-0100").build()))
                .contains(Reason.INVALID_PHONE);
        assertThat(reason(settings().setCriticalBillingPhone("+14155550100").build())).isEmpty();
    }

    @Test
    void shouldRefuseACardNumberInPlaceOfAToken() {
        PaymentMethodRef pasted = method("visa", PaymentMethodType.CARD);
        pasted.setPaymentMethodId("1234 5678 9012 3456");
        Optional<SettingsRefusal> refusal = SettingsRules.check(settings().setPaymentMethods(List.of(pasted)).build(),
                CAP);

        assertThat(refusal).map(SettingsRefusal::reason).contains(Reason.INVALID_PAYMENT_METHOD);
        assertThat(refusal.get().message()).doesNotContain("1234");
    }

    @Test
    void shouldAddOnlyAGatewayTokenWithItsLastFourDigits() {
        assertThat(SettingsRules.newPaymentMethod(method("visa", PaymentMethodType.CARD))).isEmpty();
        PaymentMethodRef notAToken = method("visa", PaymentMethodType.CARD);
        notAToken.setPaymentMethodId("card_1");
        PaymentMethodRef shortLast4 = method("visa", PaymentMethodType.CARD);
        shortLast4.setLast4("42");

        assertThat(newReason(notAToken)).contains(Reason.INVALID_PAYMENT_METHOD);
        assertThat(newReason(shortLast4)).contains(Reason.INVALID_PAYMENT_METHOD);
    }

    @Test
    void shouldRefuseToAddACardNumberTypedIntoAnyField() {
        PaymentMethodRef inBrand = method("visa", PaymentMethodType.CARD);
        inBrand.setBrand("visa 1234-5678-9012-3456");

        Optional<SettingsRefusal> refusal = SettingsRules.newPaymentMethod(inBrand);

        assertThat(refusal).map(SettingsRefusal::reason).contains(Reason.INVALID_PAYMENT_METHOD);
        assertThat(refusal.get().message()).contains("card number").doesNotContain("1234");
    }

    @Test
    void shouldRefuseToAddPayPalOrDinersThoughSettingsHoldingThemStayValid() {
        assertThat(newReason(method("PayPal", PaymentMethodType.CARD))).contains(Reason.REFUSED_BRAND);
        Optional<SettingsRefusal> diners = SettingsRules.newPaymentMethod(method("Diners Club",
                PaymentMethodType.CARD));
        assertThat(diners.map(SettingsRefusal::message)).hasValueSatisfying(message -> assertThat(message)
                .startsWith("Diners Club is not accepted"));
        assertThat(reason(settings().setPaymentMethods(List.of(method("visa", PaymentMethodType.CARD),
                method("paypal", PaymentMethodType.CARD))).build())).isEmpty();
    }

    @Test
    void shouldRefuseAnOverlongId() {
        assertThat(reason(settings().setRatePlanId("r".repeat(300)).build())).contains(Reason.ID_TOO_LONG);
        assertThat(reason(settings().setAccountId(" ").build())).contains(Reason.BLANK_ID);
    }

    private static Optional<Reason> reason(AccountSettings settings) {
        return SettingsRules.check(settings, CAP).map(SettingsRefusal::reason);
    }

    private static Optional<Reason> newReason(PaymentMethodRef method) {
        return SettingsRules.newPaymentMethod(method).map(SettingsRefusal::reason);
    }

    private static AccountSettings.Builder settings() {
        return AccountSettings.newBuilder()
                .setAccountId("acct-1")
                .setRatePlanId("rp-standard")
                .setAutoRecharge(topUp(dollars(15), dollars(50)))
                .setPaymentMethods(List.of(method("visa", PaymentMethodType.CARD)))
                .setBillingEmails(List.of("billing@example.com"))
                .setDirectChargePlanFee(false)
                .setTaxExempt(false)
                .setUpdatedAt(Instant.parse("2026-11-20T09:30:00Z"));
    }

    private static AutoRecharge topUp(long thresholdMicros, long targetMicros) {
        return new AutoRecharge(true, AutoRechargeMode.TOP_UP_TO_TARGET, thresholdMicros, targetMicros, 0L);
    }

    private static AutoRecharge fixed(long thresholdMicros, long amountMicros) {
        return new AutoRecharge(true, AutoRechargeMode.FIXED_AMOUNT, thresholdMicros, 0L, amountMicros);
    }

    private static PaymentMethodRef method(String brand, PaymentMethodType type) {
        return new PaymentMethodRef("pm_" + brand.replace(' ', '_'), "cus_1", type, brand, "4242",
                PaymentMethodRole.PRIMARY, null, null);
    }

    private static PaymentMethodRef card(Integer expMonth, Integer expYear) {
        PaymentMethodRef card = method("visa", PaymentMethodType.CARD);
        card.setExpMonth(expMonth);
        card.setExpYear(expYear);
        return card;
    }

    private static long dollars(long dollars) {
        return Money.dollarsToMicros(dollars);
    }
}
