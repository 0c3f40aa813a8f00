package dev.meterflow.serde;

import dev.meterflow.schemas.AccountBalance;
import dev.meterflow.schemas.AccountSettings;
import dev.meterflow.schemas.AccountStatus;
import dev.meterflow.schemas.AccountStatusChanged;
import dev.meterflow.schemas.AttemptOutcome;
import dev.meterflow.schemas.AutoRecharge;
import dev.meterflow.schemas.AutoRechargeMode;
import dev.meterflow.schemas.BillingNotification;
import dev.meterflow.schemas.LedgerEntry;
import dev.meterflow.schemas.LedgerEntryKind;
import dev.meterflow.schemas.NotificationType;
import dev.meterflow.schemas.PaymentAttempt;
import dev.meterflow.schemas.PaymentCommand;
import dev.meterflow.schemas.PaymentMethodRef;
import dev.meterflow.schemas.PaymentMethodRole;
import dev.meterflow.schemas.PaymentMethodType;
import dev.meterflow.schemas.PaymentResult;
import dev.meterflow.schemas.PaymentStatus;
import dev.meterflow.schemas.Price;
import dev.meterflow.schemas.PriceCategory;
import dev.meterflow.schemas.RateCard;
import dev.meterflow.schemas.Receipt;
import dev.meterflow.schemas.RechargeReason;
import dev.meterflow.schemas.RechargeRequest;
import dev.meterflow.schemas.ServiceAddress;
import dev.meterflow.schemas.TaxRate;
import dev.meterflow.schemas.UsageEvent;
import dev.meterflow.schemas.UsageRollup;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * Test data: realistic, complete contract records, one story told across them. Account {@code acct_7Q2M}
 * (an agency sub-account of {@code acct_agency_1}) makes a 187-second local call, is debited, goes below zero,
 * is paused and recharged by card after a soft decline on its primary card.
 *
 * <p>Each method returns a pre-filled generated builder, so a test states only what matters to it:
 * {@code aLedgerEntry().setSku(null).build()}. Payment methods are gateway tokens, never card numbers.
 */
final class ContractRecords {

    /** The thirteen top-level records of CONTRACT.md, each the value of a topic. */
    static final List<Class<? extends SpecificRecord>> CONTRACT_RECORD_TYPES = List.of(
            UsageEvent.class, RateCard.class, AccountSettings.class, TaxRate.class, PaymentCommand.class,
            LedgerEntry.class, AccountBalance.class, AccountStatusChanged.class, RechargeRequest.class,
            PaymentResult.class, Receipt.class, BillingNotification.class, UsageRollup.class);

    static final String ACCOUNT_ID = "acct_7Q2M";
    static final String AGENCY_ACCOUNT_ID = "acct_agency_1";
    static final String RATE_PLAN_ID = "rp_standard_2026";
    static final String REQUEST_ID = "rr_acct_7Q2M_000042";
    static final String CHARGE_ID = "ch_3QbZ2aLkdIwHu7ix0v1nLx2P";
    static final Instant CALL_ENDED_AT = Instant.parse("2026-11-26T14:03:07.250Z");
    static final Instant POSTED_AT = Instant.parse("2026-11-26T14:03:07.912Z");
    static final Instant CHARGED_AT = Instant.parse("2026-11-26T14:03:09.404Z");

    private ContractRecords() {
    }

    /** One complete record of each contract type, in the order of {@link #CONTRACT_RECORD_TYPES}. */
    static List<SpecificRecord> oneOfEachContractRecord() {
        return List.of(aUsageEvent().build(), aRateCard().build(), someAccountSettings().build(), aTaxRate().build(),
                aPaymentCommand().build(), aLedgerEntry().build(), anAccountBalance().build(),
                anAccountStatusChanged().build(), aRechargeRequest().build(), aPaymentResult().build(),
                aReceipt().build(), aBillingNotification().build(), aUsageRollup().build());
    }

    static UsageEvent.Builder aUsageEvent() {
        return UsageEvent.newBuilder()
                .setEventId("evt_CA5f1c09e2b7d84e6a")
                .setAccountId(ACCOUNT_ID)
                .setSku("call.minutes.local")
                .setQuantity(187)
                .setOccurredAt(CALL_ENDED_AT)
                .setAttributes(Map.of("callSid", "CA5f1c09e2b7d84e6a", "direction", "inbound"));
    }

    static RateCard.Builder aRateCard() {
        return RateCard.newBuilder()
                .setRatePlanId(RATE_PLAN_ID)
                .setCurrency("USD")
                .setPrices(Map.of(
                        "call.minutes.local", aPrice().build(),
                        "number.local.monthly", aPrice()
                                .setUnitPriceMicros(1_500_000)
                                .setUnitSize(1)
                                .setCategory(PriceCategory.TRACKING_NUMBER)
                                .setTaxable(true)
                                .build()))
                .setUpdatedAt(Instant.parse("2026-11-01T00:00:00Z"));
    }

    /** $0.0085 per started minute. */
    static Price.Builder aPrice() {
        return Price.newBuilder()
                .setUnitPriceMicros(8_500)
                .setUnitSize(60)
                .setCategory(PriceCategory.CALL_MINUTES)
                .setTaxable(false);
    }

    /** An agency sub-account with every optional field set. */
    static AccountSettings.Builder someAccountSettings() {
        return AccountSettings.newBuilder()
                .setAccountId(ACCOUNT_ID)
                .setRatePlanId(RATE_PLAN_ID)
                .setParentAccountId(AGENCY_ACCOUNT_ID)
                .setAutoRecharge(anAutoRecharge().build())
                .setPaymentMethods(List.of(aPrimaryVisaCard().build(), aBackupMastercard().build()))
                .setBillingEmails(List.of("billing@example.com", "ops@example.com"))
                .setCriticalBillingPhone("+14155550123")
                .setDirectChargePlanFee(true)
                .setServiceAddress(aServiceAddress().build())
                .setTaxExempt(false)
                .setUpdatedAt(Instant.parse("2026-11-20T09:30:00Z"));
    }

    /** Below $5.00, top up to $50.00. */
    static AutoRecharge.Builder anAutoRecharge() {
        return AutoRecharge.newBuilder()
                .setEnabled(true)
                .setMode(AutoRechargeMode.TOP_UP_TO_TARGET)
                .setThresholdMicros(5_000_000)
                .setTargetMicros(50_000_000)
                .setAmountMicros(0);
    }

    static PaymentMethodRef.Builder aPrimaryVisaCard() {
        return PaymentMethodRef.newBuilder()
                .setPaymentMethodId("pm_card_visa")
                .setCustomerId("cus_R4nd0mCustomer")
                .setType(PaymentMethodType.CARD)
                .setBrand("visa")
                .setLast4("4242")
                .setRole(PaymentMethodRole.PRIMARY)
                .setExpMonth(8)
                .setExpYear(2028);
    }

    /** Saved before expiries were kept: its expiry is not known. */
    static PaymentMethodRef.Builder aBackupMastercard() {
        return PaymentMethodRef.newBuilder()
                .setPaymentMethodId("pm_card_mastercard")
                .setCustomerId("cus_R4nd0mCustomer")
                .setType(PaymentMethodType.CARD)
                .setBrand("mastercard")
                .setLast4("4444")
                .setRole(PaymentMethodRole.BACKUP);
    }

    static ServiceAddress.Builder aServiceAddress() {
        return ServiceAddress.newBuilder()
                .setLine1("500 Howard St")
                .setCity("San Francisco")
                .setRegion("CA")
                .setPostalCode("94105")
                .setCountry("US");
    }

    static TaxRate.Builder aTaxRate() {
        return TaxRate.newBuilder()
                .setJurisdiction("US-CA")
                .setRatePpm(82_500)
                .setName("California sales tax");
    }

    static PaymentCommand.Builder aPaymentCommand() {
        return PaymentCommand.newBuilder()
                .setCommandId("cmd_pay_8d1e")
                .setAccountId(ACCOUNT_ID)
                .setAmountCents(2_500)
                .setPaymentMethodId("pm_card_visa")
                .setRequestedAt(Instant.parse("2026-11-26T15:00:00.125Z"));
    }

    /** The debit of the 187-second call: 4 started minutes at $0.0085. */
    static LedgerEntry.Builder aLedgerEntry() {
        return LedgerEntry.newBuilder()
                .setEntryId("usage:evt_CA5f1c09e2b7d84e6a")
                .setAccountId(AGENCY_ACCOUNT_ID)
                .setSourceAccountId(ACCOUNT_ID)
                .setKind(LedgerEntryKind.USAGE)
                .setSku("call.minutes.local")
                .setQuantity(187)
                .setAmountMicros(-34_000)
                .setBalanceAfterMicros(-12_000)
                .setSourceId("evt_CA5f1c09e2b7d84e6a")
                .setOccurredAt(CALL_ENDED_AT)
                .setPostedAt(POSTED_AT);
    }

    static AccountBalance.Builder anAccountBalance() {
        return AccountBalance.newBuilder()
                .setAccountId(AGENCY_ACCOUNT_ID)
                .setBalanceMicros(-12_000)
                .setStatus(AccountStatus.PAUSED)
                .setPendingRechargeId(REQUEST_ID)
                .setUpdatedAt(POSTED_AT);
    }

    static AccountStatusChanged.Builder anAccountStatusChanged() {
        return AccountStatusChanged.newBuilder()
                .setAccountId(AGENCY_ACCOUNT_ID)
                .setStatus(AccountStatus.PAUSED)
                .setReason("balance below zero")
                .setBalanceMicros(-12_000)
                .setAt(POSTED_AT);
    }

    /** Top up from -$0.012 to $50.00: $50.012 rounded up to 5002 cents. */
    static RechargeRequest.Builder aRechargeRequest() {
        return RechargeRequest.newBuilder()
                .setRequestId(REQUEST_ID)
                .setAccountId(AGENCY_ACCOUNT_ID)
                .setReason(RechargeReason.AUTO_RECHARGE)
                .setAmountCents(5_002)
                .setCurrency("USD")
                .setPaymentMethods(List.of(aPrimaryVisaCard().build(), aBackupMastercard().build()))
                .setBalanceMicros(-12_000)
                .setThresholdMicros(5_000_000)
                .setTargetMicros(50_000_000)
                .setRequestedAt(POSTED_AT)
                .setBillingEmails(List.of("billing@acme-calls.example", "cfo@acme-calls.example"))
                .setCriticalBillingPhone("+14155550123");
    }

    /** Declined softly on the primary card, then charged on the backup. */
    static PaymentResult.Builder aPaymentResult() {
        return PaymentResult.newBuilder()
                .setRequestId(REQUEST_ID)
                .setAccountId(AGENCY_ACCOUNT_ID)
                .setReason(RechargeReason.AUTO_RECHARGE)
                .setStatus(PaymentStatus.SUCCEEDED)
                .setAmountCents(5_002)
                .setPaymentMethodId("pm_card_mastercard")
                .setGatewayChargeId(CHARGE_ID)
                .setAttempts(List.of(aSoftDecline().build(), aSuccessfulAttempt().build()))
                .setCompletedAt(CHARGED_AT);
    }

    static PaymentAttempt.Builder aSoftDecline() {
        return PaymentAttempt.newBuilder()
                .setPaymentMethodId("pm_card_visa")
                .setOutcome(AttemptOutcome.DECLINED_SOFT)
                .setDeclineCode("insufficient_funds")
                .setGatewayReference("ch_3QbZ2aLkdIwHu7ix0dEcL1nE")
                .setAt(Instant.parse("2026-11-26T14:03:08.610Z"));
    }

    static PaymentAttempt.Builder aSuccessfulAttempt() {
        return PaymentAttempt.newBuilder()
                .setPaymentMethodId("pm_card_mastercard")
                .setOutcome(AttemptOutcome.SUCCEEDED)
                .setDeclineCode(null)
                .setGatewayReference(CHARGE_ID)
                .setAt(CHARGED_AT);
    }

    static Receipt.Builder aReceipt() {
        return Receipt.newBuilder()
                .setReceiptId("rcpt_" + REQUEST_ID)
                .setRequestId(REQUEST_ID)
                .setAccountId(AGENCY_ACCOUNT_ID)
                .setAmountCents(5_002)
                .setCurrency("USD")
                .setBrand("mastercard")
                .setLast4("4444")
                .setGatewayChargeId(CHARGE_ID)
                .setChargedAt(CHARGED_AT)
                .setRecipients(List.of("billing@example.com"));
    }

    static BillingNotification.Builder aBillingNotification() {
        return BillingNotification.newBuilder()
                .setNotificationId("notif_paused_" + AGENCY_ACCOUNT_ID + "_1732629787912")
                .setAccountId(AGENCY_ACCOUNT_ID)
                .setType(NotificationType.ACCOUNT_PAUSED)
                .setEmailRecipients(List.of("billing@example.com", "ops@example.com"))
                .setSmsRecipients(List.of("+14155550123"))
                .setSummary("Account paused: balance is -$0.012000")
                .setAttributes(Map.of("balance", "-$0.012000", "requestId", REQUEST_ID))
                .setAt(POSTED_AT);
    }

    static UsageRollup.Builder aUsageRollup() {
        return UsageRollup.newBuilder()
                .setAccountId(ACCOUNT_ID)
                .setDay(LocalDate.of(2026, 11, 26))
                .setSku("call.minutes.local")
                .setQuantity(187)
                .setAmountMicros(34_000)
                .setEventCount(1);
    }
}
