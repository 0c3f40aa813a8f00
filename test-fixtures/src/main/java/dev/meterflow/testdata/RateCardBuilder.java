package dev.meterflow.testdata;

import static dev.meterflow.testdata.TestData.CALLER_ID_LOOKUP;
import static dev.meterflow.testdata.TestData.CALLER_ID_LOOKUP_PRICE;
import static dev.meterflow.testdata.TestData.LOCAL_MINUTES;
import static dev.meterflow.testdata.TestData.LOCAL_MINUTE_PRICE;
import static dev.meterflow.testdata.TestData.LOCAL_NUMBER;
import static dev.meterflow.testdata.TestData.LOCAL_NUMBER_PRICE;
import static dev.meterflow.testdata.TestData.PER_ITEM;
import static dev.meterflow.testdata.TestData.PER_MINUTE;
import static dev.meterflow.testdata.TestData.PLAN_FEE;
import static dev.meterflow.testdata.TestData.PLAN_FEE_PRICE;
import static dev.meterflow.testdata.TestData.PRO_PLAN;
import static dev.meterflow.testdata.TestData.RECORDING_MINUTES;
import static dev.meterflow.testdata.TestData.RECORDING_MINUTE_PRICE;
import static dev.meterflow.testdata.TestData.SOFTWARE_FEE;
import static dev.meterflow.testdata.TestData.SOFTWARE_FEE_PRICE;
import static dev.meterflow.testdata.TestData.START;
import static dev.meterflow.testdata.TestData.TOLLFREE_MINUTES;
import static dev.meterflow.testdata.TestData.TOLLFREE_MINUTE_PRICE;
import static dev.meterflow.testdata.TestData.TRANSCRIPTION_MINUTES;
import static dev.meterflow.testdata.TestData.TRANSCRIPTION_MINUTE_PRICE;

import dev.meterflow.schemas.Price;
import dev.meterflow.schemas.PriceCategory;
import dev.meterflow.schemas.RateCard;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Test data: {@code aRateCard()} is the pro plan with a price for every sku in {@link TestData}. */
public final class RateCardBuilder {

    private String ratePlanId = PRO_PLAN;
    private final Map<String, Price> prices = new LinkedHashMap<>();
    private final Instant updatedAt = START.minusSeconds(3600);

    private RateCardBuilder() {
        price(LOCAL_MINUTES, LOCAL_MINUTE_PRICE, PER_MINUTE, PriceCategory.CALL_MINUTES);
        price(TOLLFREE_MINUTES, TOLLFREE_MINUTE_PRICE, PER_MINUTE, PriceCategory.CALL_MINUTES);
        price(LOCAL_NUMBER, LOCAL_NUMBER_PRICE, PER_ITEM, PriceCategory.TRACKING_NUMBER);
        price(TRANSCRIPTION_MINUTES, TRANSCRIPTION_MINUTE_PRICE, PER_MINUTE, PriceCategory.TRANSCRIPTION);
        price(CALLER_ID_LOOKUP, CALLER_ID_LOOKUP_PRICE, PER_ITEM, PriceCategory.ENHANCED_CALLER_ID);
        price(RECORDING_MINUTES, RECORDING_MINUTE_PRICE, PER_MINUTE, PriceCategory.ENCRYPTED_RECORDING);
        price(SOFTWARE_FEE, SOFTWARE_FEE_PRICE, PER_ITEM, PriceCategory.SOFTWARE_FEE);
        price(PLAN_FEE, PLAN_FEE_PRICE, PER_ITEM, PriceCategory.PLAN_FEE);
    }

    public static RateCardBuilder aRateCard() {
        return new RateCardBuilder();
    }

    /** The same prices under another rate plan id. */
    public RateCardBuilder forPlan(String planId) {
        this.ratePlanId = planId;
        return this;
    }

    /** Local minutes at another price per started minute. */
    public RateCardBuilder localMinutesAt(long unitPriceMicros) {
        return price(LOCAL_MINUTES, unitPriceMicros, PER_MINUTE, PriceCategory.CALL_MINUTES);
    }

    public RateCardBuilder withoutPriceFor(String sku) {
        prices.remove(sku);
        return this;
    }

    private RateCardBuilder price(String sku, long unitPriceMicros, long unitSize, PriceCategory category) {
        prices.put(sku, Price.newBuilder()
                .setUnitPriceMicros(unitPriceMicros)
                .setUnitSize(unitSize)
                .setCategory(category)
                .setTaxable(category != PriceCategory.CALL_MINUTES)
                .build());
        return this;
    }

    public RateCard build() {
        return RateCard.newBuilder()
                .setRatePlanId(ratePlanId)
                .setCurrency("USD")
                .setPrices(new LinkedHashMap<>(prices))
                .setUpdatedAt(updatedAt)
                .build();
    }
}
