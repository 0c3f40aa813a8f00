package dev.meterflow.api.tax;

import java.math.BigDecimal;

/** Tax rates as people read them. */
final class TaxRates {

    private TaxRates() {
    }

    /** Parts per million as a percentage without trailing zeros: 82,500 ppm is "8.25%". */
    static String percent(long ratePpm) {
        return BigDecimal.valueOf(ratePpm, 4).stripTrailingZeros().toPlainString() + "%";
    }
}
