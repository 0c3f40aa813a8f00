package dev.meterflow.local;

import static dev.meterflow.local.PaymentMethodBuilder.aVisaCard;
import static dev.meterflow.local.TestData.PRO_PLAN;
import static dev.meterflow.local.TestData.dollars;

import dev.meterflow.schemas.AccountSettings;
import dev.meterflow.schemas.AutoRecharge;
import dev.meterflow.schemas.AutoRechargeMode;
import dev.meterflow.schemas.PaymentMethodRef;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Test data: an account's billing settings. By default: the pro plan, auto-recharge off with a $15 threshold,
 * a primary Visa, one billing email, no critical billing phone.
 *
 * <pre>
 * settingsFor("acct-1").topUpTo(dollars(50)).whenBelow(dollars(15))
 * settingsFor("acct-2").autoRechargeOff()
 * </pre>
 */
final class AccountSettingsBuilder {

    private final String accountId;
    private boolean autoRechargeEnabled;
    private long thresholdMicros = dollars(15);
    private long targetMicros = dollars(50);
    private List<PaymentMethodRef> paymentMethods;
    private String criticalBillingPhone;
    private boolean directChargePlanFee;
    private String parentAccountId;

    private AccountSettingsBuilder(String accountId) {
        this.accountId = accountId;
        this.paymentMethods = List.of(aVisaCard().ofCustomer("cus_" + accountId).build());
    }

    static AccountSettingsBuilder settingsFor(String accountId) {
        return new AccountSettingsBuilder(accountId);
    }

    /** Auto-recharge on: charge the card up to {@code targetMicros}. */
    AccountSettingsBuilder topUpTo(long targetMicros) {
        this.autoRechargeEnabled = true;
        this.targetMicros = targetMicros;
        return this;
    }

    AccountSettingsBuilder whenBelow(long thresholdMicros) {
        this.thresholdMicros = thresholdMicros;
        return this;
    }

    AccountSettingsBuilder autoRechargeOff() {
        this.autoRechargeEnabled = false;
        return this;
    }

    AccountSettingsBuilder paymentMethods(PaymentMethodBuilder... methods) {
        this.paymentMethods = Arrays.stream(methods).map(method -> method.ofCustomer("cus_" + accountId).build())
                .toList();
        return this;
    }

    /** A sub-account: its usage is debited from this agency's balance. */
    AccountSettingsBuilder billedTo(String agencyAccountId) {
        this.parentAccountId = agencyAccountId;
        return this;
    }

    AccountSettingsBuilder criticalBillingPhone(String phone) {
        this.criticalBillingPhone = phone;
        return this;
    }

    /** Opted in to the direct charge of the plan fee (issue 10, §3). */
    AccountSettingsBuilder directChargePlanFee() {
        this.directChargePlanFee = true;
        return this;
    }

    String billingEmail() {
        return "billing@" + accountId + ".example";
    }

    AccountSettings build() {
        return AccountSettings.newBuilder()
                .setAccountId(accountId)
                .setRatePlanId(PRO_PLAN)
                .setParentAccountId(parentAccountId)
                .setAutoRecharge(AutoRecharge.newBuilder()
                        .setEnabled(autoRechargeEnabled)
                        .setMode(AutoRechargeMode.TOP_UP_TO_TARGET)
                        .setThresholdMicros(thresholdMicros)
                        .setTargetMicros(targetMicros)
                        .setAmountMicros(0)
                        .build())
                .setPaymentMethods(paymentMethods)
                .setBillingEmails(List.of(billingEmail()))
                .setCriticalBillingPhone(criticalBillingPhone)
                .setDirectChargePlanFee(directChargePlanFee)
                .setServiceAddress(null)
                .setTaxExempt(false)
                .setUpdatedAt(Instant.now())
                .build();
    }
}
