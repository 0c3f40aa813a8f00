package dev.meterflow.bench;

import dev.meterflow.money.Money;
import dev.meterflow.schemas.AccountSettings;
import dev.meterflow.schemas.AutoRecharge;
import dev.meterflow.schemas.AutoRechargeMode;
import dev.meterflow.schemas.PaymentMethodRef;
import dev.meterflow.schemas.PaymentMethodRole;
import dev.meterflow.schemas.PaymentMethodType;
import dev.meterflow.schemas.Price;
import dev.meterflow.schemas.PriceCategory;
import dev.meterflow.schemas.RateCard;
import dev.meterflow.schemas.ServiceAddress;
import dev.meterflow.schemas.UsageEvent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data every benchmark measures with, shaped like production traffic: a rate card of eight skus, an account
 * with two payment methods (a primary Visa, a backup Mastercard) topping up to $50 when below $15, and a usage event
 * of a 3m07s local call with the three attributes the telephony platform sends.
 */
final class BenchmarkData {

    /** A Monday afternoon, UTC: the usage's time and the record time of every benchmark. */
    static final Instant START = Instant.parse("2025-03-03T14:00:00Z");

    static final String ACCOUNT = "acct-acme-plumbing";
    static final String RATE_PLAN = "plan-pro-2025";

    static final String LOCAL_MINUTES = "call.minutes.local";
    static final String SOFTWARE_FEE = "software.monthly";

    static final long THRESHOLD_MICROS = dollars(15);
    static final long TARGET_MICROS = dollars(50);

    /** A 3m07s call: four started minutes. */
    static final long CALL_SECONDS = 187;

    private static final long PER_MINUTE = 60;
    private static final long PER_ITEM = 1;

    private BenchmarkData() {
    }

    static long dollars(long dollars) {
        return Money.dollarsToMicros(dollars);
    }

    /** The pro plan: eight skus, per started minute or per item. */
    static RateCard rateCard() {
        Map<String, Price> prices = new LinkedHashMap<>();
        prices.put(LOCAL_MINUTES, price(25_000, PER_MINUTE, PriceCategory.CALL_MINUTES));
        prices.put("call.minutes.tollfree", price(45_000, PER_MINUTE, PriceCategory.CALL_MINUTES));
        prices.put("number.local.monthly", price(3_000_000, PER_ITEM, PriceCategory.TRACKING_NUMBER));
        prices.put("number.tollfree.monthly", price(5_000_000, PER_ITEM, PriceCategory.TRACKING_NUMBER));
        prices.put("transcription.minutes", price(50_000, PER_MINUTE, PriceCategory.TRANSCRIPTION));
        prices.put("callerid.enhanced.lookup", price(15_000, PER_ITEM, PriceCategory.ENHANCED_CALLER_ID));
        prices.put("recording.encrypted.minutes", price(10_000, PER_MINUTE, PriceCategory.ENCRYPTED_RECORDING));
        prices.put(SOFTWARE_FEE, price(35_000_000, PER_ITEM, PriceCategory.SOFTWARE_FEE));
        return RateCard.newBuilder()
                .setRatePlanId(RATE_PLAN)
                .setCurrency("USD")
                .setPrices(prices)
                .setUpdatedAt(START.minusSeconds(86_400))
                .build();
    }

    /** Auto-recharge on: top up to $50 when below $15, primary Visa then backup Mastercard. */
    static AccountSettings accountSettings() {
        return AccountSettings.newBuilder()
                .setAccountId(ACCOUNT)
                .setRatePlanId(RATE_PLAN)
                .setParentAccountId(null)
                .setAutoRecharge(AutoRecharge.newBuilder()
                        .setEnabled(true)
                        .setMode(AutoRechargeMode.TOP_UP_TO_TARGET)
                        .setThresholdMicros(THRESHOLD_MICROS)
                        .setTargetMicros(TARGET_MICROS)
                        .setAmountMicros(dollars(25))
                        .build())
                .setPaymentMethods(List.of(
                        paymentMethod("pm_1QvisaAcmePlumbing", "visa", "4242", PaymentMethodRole.PRIMARY),
                        paymentMethod("pm_1QmastercardAcmePlumbing", "mastercard", "4444", PaymentMethodRole.BACKUP)))
                .setBillingEmails(List.of("billing@acme-plumbing.example", "owner@acme-plumbing.example"))
                .setCriticalBillingPhone("+15125550100")
                .setDirectChargePlanFee(false)
                .setServiceAddress(ServiceAddress.newBuilder()
                        .setLine1("500 W 2nd St")
                        .setCity("Austin")
                        .setRegion("TX")
                        .setPostalCode("78701")
                        .setCountry("US")
                        .build())
                .setTaxExempt(false)
                .setUpdatedAt(START.minusSeconds(3_600))
                .build();
    }

    /** A usage event of {@link #ACCOUNT} with the attributes a tracked inbound call carries. */
    static UsageEvent usageEvent(String eventId, String sku, long quantity) {
        return UsageEvent.newBuilder()
                .setEventId(eventId)
                .setAccountId(ACCOUNT)
                .setSku(sku)
                .setQuantity(quantity)
                .setOccurredAt(START)
                .setAttributes(Map.of(
                        "trackingNumber", "+15125550142",
                        "direction", "inbound",
                        "callSid", "CA9f8e7d6c5b4a39281706f5e4d3c2b1a0"))
                .build();
    }

    /** The local call of {@link #CALL_SECONDS}, with an event id like the platform's. */
    static UsageEvent localCall() {
        return usageEvent("evt-01JNB4Q6K2Z8X3M5R7T9V1W3Y5", LOCAL_MINUTES, CALL_SECONDS);
    }

    private static Price price(long unitPriceMicros, long unitSize, PriceCategory category) {
        return Price.newBuilder()
                .setUnitPriceMicros(unitPriceMicros)
                .setUnitSize(unitSize)
                .setCategory(category)
                .setTaxable(category != PriceCategory.CALL_MINUTES)
                .build();
    }

    private static PaymentMethodRef paymentMethod(String id, String brand, String last4, PaymentMethodRole role) {
        return PaymentMethodRef.newBuilder()
                .setPaymentMethodId(id)
                .setCustomerId("cus_Q1acmePlumbing")
                .setType(PaymentMethodType.CARD)
                .setBrand(brand)
                .setLast4(last4)
                .setRole(role)
                .build();
    }
}
