package dev.meterflow.metering.pricing;

import dev.meterflow.metering.agency.Payer;
import dev.meterflow.metering.ledger.BillingSettings;
import dev.meterflow.money.Money;
import java.util.Optional;
import java.util.function.Function;

/**
 * Validates a usage event against its account's settings and rate plan and prices it. Pure: the caller
 * supplies the settings and a rate-plan lookup.
 */
public final class UsagePricer {

    /** Ids are copied into ledger entries, dedup keys and rollup keys: bounded so those stay small. */
    public static final int MAX_ID_LENGTH = 255;

    private UsagePricer() {
    }

    /**
     * @param recordKey the Kafka key the event arrived with (the account id)
     * @param settings  the account's billing settings, or {@code null} when there are none (a sub-account's
     *                  event is routed to its agency before it is priced: see {@link #priceForAgency})
     * @param ratePlans finds a rate plan by id
     */
    public static PricingOutcome price(String recordKey, Usage usage, BillingSettings settings,
                                       Function<String, Optional<RatePlan>> ratePlans) {
        Optional<PricingOutcome.Unpriced> invalid = validate(recordKey, usage);
        if (invalid.isPresent()) {
            return invalid.get();
        }
        if (settings == null) {
            return unpriced(UnpricedReason.NO_SETTINGS, "account '" + usage.accountId() + "' has no billing settings");
        }
        return priceOnPlan(usage, settings.ratePlanId(), ratePlans);
    }

    /**
     * A sub-account's event, on the agency's partition: priced on the sub-account's own rate plan
     * ({@code subAccountRatePlanId}, which travelled with it) and debited from the agency, which must have settings
     * and must not itself be billed to another agency (agencies do not nest).
     *
     * @param agency the agency's billing settings, or {@code null} when there are none
     */
    public static PricingOutcome priceForAgency(String agencyId, Usage usage, String subAccountRatePlanId,
                                                BillingSettings agency,
                                                Function<String, Optional<RatePlan>> ratePlans) {
        if (agency == null) {
            return unpriced(UnpricedReason.NO_SETTINGS, "agency '" + agencyId + "' billed for account '"
                    + usage.accountId() + "' has no billing settings");
        }
        if (!Payer.canBillSubAccounts(agency)) {
            return unpriced(UnpricedReason.AGENCY_BILLING_UNSUPPORTED, "agency '" + agencyId + "' billed for account '"
                    + usage.accountId() + "' is itself billed to agency '" + agency.parentAccountId()
                    + "': agencies do not nest");
        }
        return priceOnPlan(usage, subAccountRatePlanId, ratePlans);
    }

    private static PricingOutcome priceOnPlan(Usage usage, String ratePlanId,
                                              Function<String, Optional<RatePlan>> ratePlans) {
        Optional<RatePlan> plan = ratePlans.apply(ratePlanId);
        if (plan.isEmpty()) {
            return unpriced(UnpricedReason.NO_RATE_CARD, "rate plan '" + ratePlanId + "' of account '"
                    + usage.accountId() + "' has no rate card");
        }
        if (!"USD".equals(plan.get().currency())) {
            return unpriced(UnpricedReason.UNSUPPORTED_CURRENCY, "rate plan '" + ratePlanId
                    + "' is in '" + plan.get().currency() + "'; only USD is billed");
        }
        Optional<PriceRule> rule = plan.get().priceOf(usage.sku());
        if (rule.isEmpty()) {
            return unpriced(UnpricedReason.NO_PRICE, "sku '" + usage.sku() + "' has no price in rate plan '"
                    + ratePlanId + "'");
        }
        return priceWith(usage, ratePlanId, rule.get());
    }

    /** What is wrong with the event itself, whatever the settings and rate cards: blank ids, bad quantity. */
    public static Optional<PricingOutcome.Unpriced> validate(String recordKey, Usage usage) {
        if (usage.eventId() == null || usage.eventId().isBlank()) {
            return Optional.of(unpriced(UnpricedReason.BLANK_EVENT_ID, "eventId is blank"));
        }
        // first: every later message quotes the ids
        if (longerThanAllowed(usage.eventId()) || longerThanAllowed(usage.sku())
                || longerThanAllowed(usage.accountId()) || longerThanAllowed(recordKey)) {
            return Optional.of(unpriced(UnpricedReason.OVERSIZED_EVENT, "eventId, accountId, sku or key is longer than "
                    + MAX_ID_LENGTH + " characters"));
        }
        if (usage.sku() == null || usage.sku().isBlank()) {
            return Optional.of(unpriced(UnpricedReason.BLANK_SKU, "sku of event '" + usage.eventId() + "' is blank"));
        }
        if (usage.quantity() < 0) {
            return Optional.of(unpriced(UnpricedReason.NEGATIVE_QUANTITY, "quantity of event '" + usage.eventId()
                    + "' is " + usage.quantity() + "; it must be >= 0"));
        }
        if (recordKey == null || !recordKey.equals(usage.accountId())) {
            return Optional.of(unpriced(UnpricedReason.ACCOUNT_KEY_MISMATCH, "event '" + usage.eventId()
                    + "' has accountId '" + usage.accountId() + "' but record key '" + recordKey + "'"));
        }
        return Optional.empty();
    }

    private static boolean longerThanAllowed(String id) {
        return id != null && id.length() > MAX_ID_LENGTH;
    }

    /**
     * A priced event above the plausibility cap is not debited (issue 16: a $9,000,000,000,000 event was debited
     * and a recharge of that size requested); it is parked for a person to look at.
     */
    public static PricingOutcome capped(PricingOutcome outcome, long maxAmountMicros) {
        if (outcome instanceof PricingOutcome.Priced priced && priced.amountMicros() > maxAmountMicros) {
            return unpriced(UnpricedReason.IMPLAUSIBLE_AMOUNT, "event '" + priced.usage().eventId() + "' is priced at "
                    + Money.format(priced.amountMicros()) + ", above the plausibility cap of "
                    + Money.format(maxAmountMicros));
        }
        return outcome;
    }

    private static PricingOutcome priceWith(Usage usage, String ratePlanId, PriceRule rule) {
        try {
            Pricing.Charge charge = Pricing.price(usage.quantity(), rule);
            return new PricingOutcome.Priced(usage, ratePlanId, charge.units(), charge.amountMicros(), rule.planFee());
        } catch (IllegalArgumentException e) {
            return unpriced(UnpricedReason.INVALID_PRICE, "price of sku '" + usage.sku() + "' in rate plan '"
                    + ratePlanId + "' is invalid: " + e.getMessage());
        } catch (ArithmeticException e) {
            return unpriced(UnpricedReason.AMOUNT_OVERFLOW, "amount of event '" + usage.eventId()
                    + "' overflows: quantity " + usage.quantity() + " at " + rule.unitPriceMicros() + " micros per "
                    + rule.unitSize());
        }
    }

    private static PricingOutcome.Unpriced unpriced(UnpricedReason reason, String detail) {
        return new PricingOutcome.Unpriced(reason, detail);
    }
}
