package dev.meterflow.api.tax;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TaxRatesTest {

    @Test
    void shouldShowPartsPerMillionAsAPercentage() {
        assertThat(TaxRates.percent(82_500)).isEqualTo("8.25%");
        assertThat(TaxRates.percent(60_000)).isEqualTo("6%");
        assertThat(TaxRates.percent(0)).isEqualTo("0%");
        assertThat(TaxRates.percent(1)).isEqualTo("0.0001%");
    }
}
