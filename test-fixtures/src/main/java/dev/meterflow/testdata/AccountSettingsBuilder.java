package dev.meterflow.testdata;

import static dev.meterflow.testdata.PaymentMethodBuilder.aVisaCard;
import static dev.meterflow.testdata.TestData.PRO_PLAN;
import static dev.meterflow.testdata.TestData.START;
import static dev.meterflow.testdata.TestData.dollars;

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
 * threshold, a primary Visa, one billing email, no critical billing phone, served in Austin (US-TX), not tax-exempt,
 * saved at {@link TestData#START}.
 *
 * <pre>
 * settingsFor(ACME).topUpTo(dollars(50)).whenBelow(dollars(15))
 * settingsFor(ACME).rechargeFixed(dollars(25)).whenBelow(dollars(15))
 * </pre>
 */
public final class AccountSettingsBuilder {

    private final String accountId;
    private String ratePlanId = PRO_PLAN;
    private String parentAccountId;
    private boolean autoRechargeEnabled;
    private AutoRechargeMode mode = AutoRechargeMode.TOP_UP_TO_TARGET;
    private long thresholdMicros = dollars(15);
    private long targetMicros = dollars(50);
    private long amountMicros = dollars(25);
    private List<PaymentMethodBuilder> paymentMethods = List.of(aVisaCard().primary());
    private String customerId;
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

    public static AccountSettingsBuilder settingsFor(String accountId) {
        return new AccountSettingsBuilder(accountId);
    }

    public AccountSettingsBuilder onRatePlan(String ratePlanId) {
        this.ratePlanId = ratePlanId;
        return this;
    }

    /** A sub-account: its usage is debited from this agency's balance. */
    public AccountSettingsBuilder billedTo(String agencyAccountId) {
        this.parentAccountId = agencyAccountId;
        return this;
    }

    /** Auto-recharge on: charge the card up to {@code targetMicros}. */
    public AccountSettingsBuilder topUpTo(long targetMicros) {
        this.autoRechargeEnabled = true;
        this.mode = AutoRechargeMode.TOP_UP_TO_TARGET;
        this.targetMicros = targetMicros;
        return this;
    }

    /** Auto-recharge on: charge the card {@code amountMicros} each time. */
    public AccountSettingsBuilder rechargeFixed(long amountMicros) {
        this.autoRechargeEnabled = true;
        this.mode = AutoRechargeMode.FIXED_AMOUNT;
        this.amountMicros = amountMicros;
        return this;
    }

    /** Auto-recharge off: the threshold only triggers a low-balance notification. */
    public AccountSettingsBuilder autoRechargeOff() {
        this.autoRechargeEnabled = false;
        return this;
    }

    public AccountSettingsBuilder whenBelow(long thresholdMicros) {
        this.thresholdMicros = thresholdMicros;
        return this;
    }

    public AccountSettingsBuilder paymentMethods(PaymentMethodBuilder... methods) {
        this.paymentMethods = Arrays.asList(methods);
        return this;
    }

    /** Every payment method of this account belongs to this customer at the gateway. */
    public AccountSettingsBuilder ofCustomer(String customerId) {
        this.customerId = customerId;
        return this;
    }

    public AccountSettingsBuilder billingEmails(String... emails) {
        this.billingEmails = List.of(emails);
        return this;
    }

    public AccountSettingsBuilder criticalBillingPhone(String phone) {
        this.criticalBillingPhone = phone;
        return this;
    }

    /** Opted in to the direct charge of the plan fee (issue 10, §3). */
    public AccountSettingsBuilder directChargePlanFee() {
        this.directChargePlanFee = true;
        return this;
    }

    /** Served at an address in this country and region (ISO 3166-2: US, CA). */
    public AccountSettingsBuilder servicedIn(String country, String region) {
        this.serviceAddress = ServiceAddress.newBuilder(serviceAddress).setCountry(country).setRegion(region).build();
        return this;
    }

    public AccountSettingsBuilder withoutServiceAddress() {
        this.serviceAddress = null;
        return this;
    }

    public AccountSettingsBuilder taxExempt() {
        this.taxExempt = true;
        return this;
    }

    public AccountSettingsBuilder at(Instant updatedAt) {
        this.updatedAt = updatedAt;
        return this;
    }

    /** The first billing email: where the account's notices go. */
    public String billingEmail() {
        return billingEmails.get(0);
    }

    public AccountSettings build() {
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
                .setPaymentMethods(paymentMethods())
                .setBillingEmails(billingEmails)
                .setCriticalBillingPhone(criticalBillingPhone)
                .setDirectChargePlanFee(directChargePlanFee)
                .setServiceAddress(serviceAddress)
                .setTaxExempt(taxExempt)
                .setUpdatedAt(updatedAt)
                .build();
    }

    private List<PaymentMethodRef> paymentMethods() {
        return paymentMethods.stream()
                .map(method -> customerId == null ? method.build() : method.ofCustomer(customerId).build())
                .toList();
    }
}
