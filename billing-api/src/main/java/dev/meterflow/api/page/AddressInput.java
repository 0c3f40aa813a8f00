package dev.meterflow.api.page;

import dev.meterflow.api.settings.SettingsCommands.ServiceAddressChange;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The service address form as a person fills it in: each field stripped, the country in capitals ("us" is US),
 * and what to say next to each field that cannot be used, so the pipeline's one-line refusal is never the first
 * thing a person reads.
 *
 * @param problems by field name, in the form's order; empty when the address can be saved
 */
record AddressInput(ServiceAddressChange address, Map<String, String> problems) {

    /** The fields in the form's order, with what to say when one is left empty. */
    private static final Map<String, String> MISSING = new LinkedHashMap<>();

    static {
        MISSING.put("line1", "Enter the street address.");
        MISSING.put("city", "Enter the city.");
        MISSING.put("region", "Enter the state or region, such as CA.");
        MISSING.put("postalCode", "Enter the ZIP or postal code.");
        MISSING.put("country", "Enter the country, such as US.");
    }

    /** Reads the typed values (a missing key is an empty field). */
    static AddressInput of(Map<String, String> typed) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> problems = new LinkedHashMap<>();
        for (var field : MISSING.entrySet()) {
            String value = typed.getOrDefault(field.getKey(), "");
            value = value == null ? "" : value.strip();
            values.put(field.getKey(), value);
            if (value.isEmpty()) {
                problems.put(field.getKey(), field.getValue());
            }
        }
        String country = values.get("country").toUpperCase(Locale.ROOT);
        if (!country.isEmpty() && !country.matches("[A-Z]{2}")) {
            problems.put("country", "Enter the country as its two-letter code, such as US.");
        }
        return new AddressInput(new ServiceAddressChange(values.get("line1"), values.get("city"),
                values.get("region"), values.get("postalCode"), country), Collections.unmodifiableMap(problems));
    }
}
