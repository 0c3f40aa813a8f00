package dev.meterflow.metering.tax;

import java.util.Optional;

/** Whether a {@code tax-rates} record can be used; a refused one leaves the jurisdiction's previous rate in place. */
public final class TaxRateRules {

    private TaxRateRules() {
    }

    /** The reason the record under {@code key} is refused, or empty when it is usable. */
    public static Optional<String> refusal(String key, String jurisdiction, long ratePpm) {
        if (!key.equals(jurisdiction)) {
            return Optional.of("key '" + key + "' is not the record's jurisdiction '" + jurisdiction + "'");
        }
        if (ratePpm < 0 || ratePpm > TaxCalculator.MAX_RATE_PPM) {
            return Optional.of("ratePpm of '" + key + "' must be 0 to " + TaxCalculator.MAX_RATE_PPM + ", was "
                    + ratePpm);
        }
        return Optional.empty();
    }
}
