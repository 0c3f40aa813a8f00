package dev.meterflow.metering.topology;

import static dev.meterflow.metering.topology.PaymentMethodBuilder.aVisaCard;
import static dev.meterflow.metering.topology.TestData.PRO_PLAN;
import static dev.meterflow.metering.topology.TestData.START;
import static dev.meterflow.metering.topology.TestData.dollars;

import dev.meterflow.schemas.AccountSettings;
import dev.meterflow.schemas.AutoRecharge;
import dev.meterflow.schemas.AutoRechargeMode;
import dev.meterflow.schemas.PaymentMethodRef;
import dev.meterflow.schemas.ServiceAddress;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Test data: an account's billing settings. By default: the pro plan, auto-recharge off with a $15 low-balance
 * threshold, a primary Visa, one billing email, no critical billing phone, served in Austin (US-TX), not tax-exempt.
 *
 * <pre>
 * settingsFor(ACME).topUpTo(dollars(50)).whenBelow(dollars(15))
 * settingsFor(ACME).rechargeFixed(dollars(25)).whenBelow(dollars(15))
 * </pre>
 */
final class AccountSettingsBuilder {

    private final String accountId;
    private String ratePlanId = PRO_PLAN;
    private String parentAccountId;
    private boolean autoRechargeEnabled;
    private AutoRechargeMode mode = AutoRechargeMode.TOP_UP_TO_TARGET;
    private long thresholdMicros = dollars(15);
    private long targetMicros = dollars(50);
    private long amountMicros = dollars(25);
    private List<PaymentMethodRef> paymentMethods = List.of(aVisaCard().primary().build());
    private List<String> billingEmails = List.of("billing@acme-plumbing.example");
    private String criticalBillingPhone;
    private boolean directChargePlanFee;
    private Instant updatedAt = START;
    private ServiceAddress serviceAddress = ServiceAddress.newBuilder()
            .setLine1("500 W 2nd St")
            .setCity("Austin")
            .setRegion("TX")
            .setPostalCode("78701")
            .setCountry("US")
            .build();
    private boolean taxExempt;

    private AccountSettingsBuilder(String accountId) {
        this.accountId = accountId;
    }

    static AccountSettingsBuilder settingsFor(String accountId) {
        return new AccountSettingsBuilder(accountId);
    }

    AccountSettingsBuilder onRatePlan(String ratePlanId) {
        this.ratePlanId = ratePlanId;
        return this;
    }

    /** A sub-account: its usage is debited from this agency's balance. */
    AccountSettingsBuilder billedTo(String agencyAccountId) {
        this.parentAccountId = agencyAccountId;
        return this;
    }

    /** Auto-recharge on: charge the card up to {@code targetMicros}. */
    AccountSettingsBuilder topUpTo(long targetMicros) {
        this.autoRechargeEnabled = true;
        this.mode = AutoRechargeMode.TOP_UP_TO_TARGET;
        this.targetMicros = targetMicros;
        return this;
    }

    /** Auto-recharge on: charge the card {@code amountMicros} each time. */
    AccountSettingsBuilder rechargeFixed(long amountMicros) {
        this.autoRechargeEnabled = true;
        this.mode = AutoRechargeMode.FIXED_AMOUNT;
        this.amountMicros = amountMicros;
        return this;
    }

    /** Auto-recharge off: the threshold only triggers a low-balance notification. */
    AccountSettingsBuilder autoRechargeOff() {
        this.autoRechargeEnabled = false;
        return this;
    }

    AccountSettingsBuilder whenBelow(long thresholdMicros) {
        this.thresholdMicros = thresholdMicros;
        return this;
    }

    AccountSettingsBuilder paymentMethods(PaymentMethodBuilder... methods) {
        this.paymentMethods = Arrays.stream(methods).map(PaymentMethodBuilder::build).toList();
        return this;
    }

    AccountSettingsBuilder billingEmails(String... emails) {
        this.billingEmails = List.of(emails);
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

    /** Served at an address in this country and region (ISO 3166-2: US, CA). */
    AccountSettingsBuilder servicedIn(String country, String region) {
        this.serviceAddress = ServiceAddress.newBuilder(serviceAddress).setCountry(country).setRegion(region).build();
        return this;
    }

    AccountSettingsBuilder withoutServiceAddress() {
        this.serviceAddress = null;
        return this;
    }

    AccountSettingsBuilder taxExempt() {
        this.taxExempt = true;
        return this;
    }

    AccountSettingsBuilder at(Instant updatedAt) {
        this.updatedAt = updatedAt;
        return this;
    }

    AccountSettings build() {
        return AccountSettings.newBuilder()
                .setAccountId(accountId)
                .setRatePlanId(ratePlanId)
                .setParentAccountId(parentAccountId)
                .setAutoRecharge(AutoRecharge.newBuilder()
                        .setEnabled(autoRechargeEnabled)
                        .setMode(mode)
                        .setThresholdMicros(thresholdMicros)
                        .setTargetMicros(targetMicros)
                        .setAmountMicros(amountMicros)
                        .build())
                .setPaymentMethods(paymentMethods)
                .setBillingEmails(billingEmails)
                .setCriticalBillingPhone(criticalBillingPhone)
                .setDirectChargePlanFee(directChargePlanFee)
                .setServiceAddress(serviceAddress)
                .setTaxExempt(taxExempt)
                .setUpdatedAt(updatedAt)
                .build();
    }
}
