package dev.meterflow.local;

import static dev.meterflow.local.TestData.CALLER_ID_LOOKUP;
import static dev.meterflow.local.TestData.CALLER_ID_LOOKUP_PRICE;
import static dev.meterflow.local.TestData.LOCAL_MINUTES;
import static dev.meterflow.local.TestData.LOCAL_MINUTE_PRICE;
import static dev.meterflow.local.TestData.LOCAL_NUMBER;
import static dev.meterflow.local.TestData.LOCAL_NUMBER_PRICE;
import static dev.meterflow.local.TestData.PER_ITEM;
import static dev.meterflow.local.TestData.PER_MINUTE;
import static dev.meterflow.local.TestData.PLAN_FEE;
import static dev.meterflow.local.TestData.PLAN_FEE_PRICE;
import static dev.meterflow.local.TestData.PRO_PLAN;
import static dev.meterflow.local.TestData.TOLLFREE_MINUTES;
import static dev.meterflow.local.TestData.TOLLFREE_MINUTE_PRICE;
import static dev.meterflow.local.TestData.TRANSCRIPTION_MINUTES;
import static dev.meterflow.local.TestData.TRANSCRIPTION_MINUTE_PRICE;

import dev.meterflow.schemas.Price;
import dev.meterflow.schemas.PriceCategory;
import dev.meterflow.schemas.RateCard;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Test data: {@code aRateCard()} is the pro plan with a price for every sku in {@link TestData}. */
final class RateCardBuilder {

    private final Map<String, Price> prices = new LinkedHashMap<>();

    private RateCardBuilder() {
        price(LOCAL_MINUTES, LOCAL_MINUTE_PRICE, PER_MINUTE, PriceCategory.CALL_MINUTES);
        price(TOLLFREE_MINUTES, TOLLFREE_MINUTE_PRICE, PER_MINUTE, PriceCategory.CALL_MINUTES);
        price(LOCAL_NUMBER, LOCAL_NUMBER_PRICE, PER_ITEM, PriceCategory.TRACKING_NUMBER);
        price(TRANSCRIPTION_MINUTES, TRANSCRIPTION_MINUTE_PRICE, PER_MINUTE, PriceCategory.TRANSCRIPTION);
        price(CALLER_ID_LOOKUP, CALLER_ID_LOOKUP_PRICE, PER_ITEM, PriceCategory.ENHANCED_CALLER_ID);
        price(PLAN_FEE, PLAN_FEE_PRICE, PER_ITEM, PriceCategory.PLAN_FEE);
    }

    static RateCardBuilder aRateCard() {
        return new RateCardBuilder();
    }

    private void price(String sku, long unitPriceMicros, long unitSize, PriceCategory category) {
        prices.put(sku, Price.newBuilder()
                .setUnitPriceMicros(unitPriceMicros)
                .setUnitSize(unitSize)
                .setCategory(category)
                .setTaxable(category != PriceCategory.CALL_MINUTES)
                .build());
    }

    RateCard build() {
        return RateCard.newBuilder()
                .setRatePlanId(PRO_PLAN)
                .setCurrency("USD")
                .setPrices(new LinkedHashMap<>(prices))
                .setUpdatedAt(Instant.parse("2026-01-01T00:00:00Z"))
                .build();
    }
}
