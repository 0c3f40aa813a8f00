package dev.meterflow.api.page;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 12: the service address form read field by field, before the pipeline's rules see it. */
class AddressInputTest {

    @Test
    void shouldReadAnAddressAsTypedWithTheCountryInCapitals() {
        AddressInput input = AddressInput.of(Map.of("line1", " 500 Congress Ave ", "city", "Austin", "region", "TX",
                "postalCode", "78701", "country", "us"));

        assertThat(input.problems()).isEmpty();
        assertThat(input.address().line1()).isEqualTo("500 Congress Ave");
        assertThat(input.address().country()).isEqualTo("US");
    }

    @Test
    void shouldNameEveryEmptyFieldInTheFormsOrder() {
        AddressInput input = AddressInput.of(Map.of("line1", "500 Congress Ave", "city", "  ", "region", "TX"));

        assertThat(input.problems()).containsExactly(Map.entry("city", "Enter the city."),
                Map.entry("postalCode", "Enter the ZIP or postal code."),
                Map.entry("country", "Enter the country, such as US."));
    }

    @Test
    void shouldAskForATwoLetterCountry() {
        AddressInput input = AddressInput.of(Map.of("line1", "1 Main St", "city", "Austin", "region", "TX",
                "postalCode", "78701", "country", "USA"));

        assertThat(input.problems()).containsExactly(Map.entry("country",
                "Enter the country as its two-letter code, such as US."));
    }
}
