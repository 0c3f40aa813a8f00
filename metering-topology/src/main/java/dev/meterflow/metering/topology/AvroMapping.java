package dev.meterflow.metering.topology;

import dev.meterflow.metering.ledger.AccountState;
import dev.meterflow.metering.ledger.AutoRechargePolicy;
import dev.meterflow.metering.ledger.BillingSettings;
import dev.meterflow.metering.ledger.Effect;
import dev.meterflow.metering.ledger.PaymentMethod;
import dev.meterflow.metering.ledger.PaymentOutcome;
import dev.meterflow.metering.ledger.Posting;
import dev.meterflow.metering.payments.MakePayment;
import dev.meterflow.metering.pricing.PriceRule;
import dev.meterflow.metering.pricing.RatePlan;
import dev.meterflow.metering.pricing.Usage;
import dev.meterflow.metering.state.AccountStateRecord;
import dev.meterflow.metering.state.OpenPaymentRecord;
import dev.meterflow.metering.state.OpenPlanFeeRecord;
import dev.meterflow.metering.tax.TaxProfile;
import dev.meterflow.schemas.AccountBalance;
import dev.meterflow.schemas.AccountSettings;
import dev.meterflow.schemas.AccountStatus;
import dev.meterflow.schemas.AccountStatusChanged;
import dev.meterflow.schemas.AutoRecharge;
import dev.meterflow.schemas.BillingNotification;
import dev.meterflow.schemas.LedgerEntry;
import dev.meterflow.schemas.LedgerEntryKind;
import dev.meterflow.schemas.NotificationType;
import dev.meterflow.schemas.PaymentCommand;
import dev.meterflow.schemas.PaymentMethodRef;
import dev.meterflow.schemas.PaymentMethodRole;
import dev.meterflow.schemas.PaymentMethodType;
import dev.meterflow.schemas.PaymentResult;
import dev.meterflow.schemas.PriceCategory;
import dev.meterflow.schemas.RateCard;
import dev.meterflow.schemas.RechargeReason;
import dev.meterflow.schemas.RechargeRequest;
import dev.meterflow.schemas.ServiceAddress;
import dev.meterflow.schemas.UsageEvent;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Translates between the wire records (Avro, at the edges) and the billing logic's plain values. */
public final class AvroMapping {

    private AvroMapping() {
    }

    public static Usage usage(UsageEvent event) {
        return new Usage(event.getEventId(), event.getAccountId(), event.getSku(), event.getQuantity(),
                event.getOccurredAt().toEpochMilli());
    }

    public static BillingSettings settings(AccountSettings settings) {
        AutoRecharge auto = settings.getAutoRecharge();
        AutoRechargePolicy policy = new AutoRechargePolicy(auto.getEnabled(),
                AutoRechargePolicy.Mode.valueOf(auto.getMode().name()), auto.getThresholdMicros(),
                auto.getTargetMicros(), auto.getAmountMicros());
        List<PaymentMethod> methods = settings.getPaymentMethods().stream().map(AvroMapping::paymentMethod).toList();
        return new BillingSettings(settings.getAccountId(), settings.getRatePlanId(), settings.getParentAccountId(),
                policy, methods, settings.getBillingEmails(), settings.getCriticalBillingPhone(),
                settings.getDirectChargePlanFee());
    }

    /** Settings of an account whose settings were deleted: it is still billed, but never auto-recharged. */
    public static BillingSettings closedAccount(String accountId) {
        return new BillingSettings(accountId, "", null, AutoRechargePolicy.disabled(Long.MIN_VALUE), List.of(),
                List.of(), null);
    }

    public static MakePayment payment(PaymentCommand command) {
        return new MakePayment(command.getCommandId(), command.getAccountId(), command.getAmountCents(),
                command.getPaymentMethodId(), command.getRequestedAt().toEpochMilli());
    }

    public static PaymentOutcome paymentOutcome(PaymentResult result) {
        return new PaymentOutcome(result.getRequestId(), result.getAccountId(),
                PaymentOutcome.Status.valueOf(result.getStatus().name()), result.getAmountCents(),
                result.getCompletedAt().toEpochMilli(), result.getPaymentMethodId());
    }

    /** The card's prices converted once, so pricing an event allocates nothing for the lookup. */
    public static RatePlan ratePlan(RateCard card) {
        Map<String, Optional<PriceRule>> rules = new HashMap<>();
        card.getPrices().forEach((sku, price) ->
                rules.put(sku, Optional.of(new PriceRule(price.getUnitPriceMicros(), price.getUnitSize(),
                        price.getCategory() == PriceCategory.PLAN_FEE))));
        Set<String> taxable = new HashSet<>();
        card.getPrices().forEach((sku, price) -> {
            if (price.getTaxable()) {
                taxable.add(sku);
            }
        });
        String ratePlanId = card.getRatePlanId();
        String currency = card.getCurrency();
        return new RatePlan() {
            @Override
            public String ratePlanId() {
                return ratePlanId;
            }

            @Override
            public String currency() {
                return currency;
            }

            @Override
            public Optional<PriceRule> priceOf(String sku) {
                return rules.getOrDefault(sku, Optional.empty());
            }

            @Override
            public boolean taxable(String sku) {
                return taxable.contains(sku);
            }
        };
    }

    public static LedgerEntry ledgerEntry(Posting posting, long postedAtMillis) {
        return LedgerEntry.newBuilder()
                .setEntryId(posting.entryId())
                .setAccountId(posting.accountId())
                .setSourceAccountId(posting.sourceAccountId())
                .setKind(LedgerEntryKind.valueOf(posting.kind().name()))
                .setSku(posting.sku())
                .setQuantity(posting.quantity())
                .setAmountMicros(posting.amountMicros())
                .setBalanceAfterMicros(posting.balanceAfterMicros())
                .setSourceId(posting.sourceId())
                .setOccurredAt(Instant.ofEpochMilli(posting.occurredAtMillis()))
                .setPostedAt(Instant.ofEpochMilli(postedAtMillis))
                .setChargedAmountMicros(posting.chargedAmountMicros() == null ? 0 : posting.chargedAmountMicros())
                .setPaymentMethodId(posting.paymentMethodId())
                .setTaxPeriod(posting.tax() == null ? null : posting.tax().period())
                .setTaxJurisdiction(posting.tax() == null ? null : posting.tax().jurisdiction())
                .setTaxableBaseMicros(posting.tax() == null ? 0 : posting.tax().taxableBaseMicros())
                .setTaxRatePpm(posting.tax() == null ? null : posting.tax().ratePpm())
                .build();
    }

    /** The tax run's view of the settings: the service address's jurisdiction and the exemption. */
    public static TaxProfile taxProfile(AccountSettings settings) {
        ServiceAddress address = settings.getServiceAddress();
        return address == null ? TaxProfile.of(null, null, settings.getTaxExempt())
                : TaxProfile.of(address.getCountry(), address.getRegion(), settings.getTaxExempt());
    }

    public static AccountStatusChanged statusChanged(Effect.StatusChanged change) {
        return AccountStatusChanged.newBuilder()
                .setAccountId(change.accountId())
                .setStatus(change.paused() ? AccountStatus.PAUSED : AccountStatus.ACTIVE)
                .setReason(change.reason())
                .setBalanceMicros(change.balanceMicros())
                .setAt(Instant.ofEpochMilli(change.atMillis()))
                .build();
    }

    public static RechargeRequest rechargeRequest(Effect.RechargeRequested request) {
        return RechargeRequest.newBuilder()
                .setRequestId(request.requestId())
                .setAccountId(request.accountId())
                .setReason(RechargeReason.valueOf(request.reason().name()))
                .setAmountCents(request.amountCents())
                .setCurrency("USD")
                .setPaymentMethods(request.paymentMethods().stream().map(AvroMapping::paymentMethodRef).toList())
                .setBalanceMicros(request.balanceMicros())
                .setThresholdMicros(request.thresholdMicros())
                .setTargetMicros(request.targetMicros())
                .setRequestedAt(Instant.ofEpochMilli(request.requestedAtMillis()))
                .setBillingEmails(request.billingEmails())
                .setCriticalBillingPhone(request.criticalBillingPhone())
                .build();
    }

    public static BillingNotification notification(Effect.Notify notify) {
        return BillingNotification.newBuilder()
                .setNotificationId(notify.notificationId())
                .setAccountId(notify.accountId())
                .setType(NotificationType.valueOf(notify.kind().name()))
                .setEmailRecipients(notify.emailRecipients())
                .setSmsRecipients(notify.smsRecipients())
                .setSummary(notify.summary())
                .setAttributes(notify.attributes())
                .setAt(Instant.ofEpochMilli(notify.atMillis()))
                .build();
    }

    public static AccountBalance balance(String accountId, AccountState state, long updatedAtMillis) {
        return AccountBalance.newBuilder()
                .setAccountId(accountId)
                .setBalanceMicros(state.balanceMicros())
                .setStatus(state.paused() ? AccountStatus.PAUSED : AccountStatus.ACTIVE)
                .setPendingRechargeId(state.pending() == null ? null : state.pending().requestId())
                .setUpdatedAt(Instant.ofEpochMilli(updatedAtMillis))
                .build();
    }

    public static AccountState state(AccountStateRecord record) {
        AccountState.PendingRecharge pending = record.getPendingRequestId() == null ? null
                : new AccountState.PendingRecharge(record.getPendingRequestId(), record.getPendingAmountCents(),
                        record.getPendingRequestedAt(), record.getPendingPaymentMethods());
        AccountState.RechargeBackoff backoff = record.getBackoffNotBefore() == null ? null
                : new AccountState.RechargeBackoff(record.getBackoffNotBefore(), record.getBackoffPaymentMethods());
        List<AccountState.OpenPayment> openPayments = record.getOpenPayments().stream()
                .map(open -> new AccountState.OpenPayment(open.getRequestId(), open.getCommandId(),
                        open.getAmountCents(), open.getRequestedAt(), open.getOffersBankAccount()))
                .toList();
        List<AccountState.OpenPlanFee> openPlanFees = record.getOpenPlanFees().stream()
                .map(open -> new AccountState.OpenPlanFee(open.getRequestId(), open.getEventId(), open.getSku(),
                        open.getQuantity(), open.getAmountMicros(), open.getOccurredAt(), open.getRequestedAt(),
                        open.getIndexedForTax()))
                .toList();
        return new AccountState(record.getBalanceMicros(), record.getPaused(), pending, record.getRechargeSequence(),
                backoff, openPayments, openPlanFees);
    }

    public static AccountStateRecord stateRecord(AccountState state) {
        AccountState.PendingRecharge pending = state.pending();
        AccountState.RechargeBackoff backoff = state.backoff();
        return AccountStateRecord.newBuilder()
                .setBalanceMicros(state.balanceMicros())
                .setPaused(state.paused())
                .setPendingRequestId(pending == null ? null : pending.requestId())
                .setPendingAmountCents(pending == null ? 0 : pending.amountCents())
                .setPendingRequestedAt(pending == null ? 0 : pending.requestedAtMillis())
                .setPendingPaymentMethods(pending == null ? null : pending.paymentMethodsFingerprint())
                .setRechargeSequence(state.rechargeSequence())
                .setBackoffNotBefore(backoff == null ? null : backoff.notBeforeMillis())
                .setBackoffPaymentMethods(backoff == null ? null : backoff.paymentMethodsFingerprint())
                .setOpenPayments(state.openPayments().stream()
                        .map(open -> new OpenPaymentRecord(open.requestId(), open.commandId(), open.amountCents(),
                                open.requestedAtMillis(), open.offersBankAccount()))
                        .toList())
                .setOpenPlanFees(state.openPlanFees().stream()
                        .map(open -> new OpenPlanFeeRecord(open.requestId(), open.eventId(), open.sku(),
                                open.quantity(), open.amountMicros(), open.occurredAtMillis(),
                                open.requestedAtMillis(), open.indexedForTax()))
                        .toList())
                .build();
    }

    private static PaymentMethod paymentMethod(PaymentMethodRef ref) {
        return new PaymentMethod(ref.getPaymentMethodId(), ref.getCustomerId(),
                PaymentMethod.Type.valueOf(ref.getType().name()), ref.getBrand(), ref.getLast4(),
                PaymentMethod.Role.valueOf(ref.getRole().name()), ref.getExpMonth(), ref.getExpYear());
    }

    private static PaymentMethodRef paymentMethodRef(PaymentMethod method) {
        return PaymentMethodRef.newBuilder()
                .setPaymentMethodId(method.paymentMethodId())
                .setCustomerId(method.customerId())
                .setType(PaymentMethodType.valueOf(method.type().name()))
                .setBrand(method.brand())
                .setLast4(method.last4())
                .setRole(PaymentMethodRole.valueOf(method.role().name()))
                .setExpMonth(method.expMonth())
                .setExpYear(method.expYear())
                .build();
    }
}
