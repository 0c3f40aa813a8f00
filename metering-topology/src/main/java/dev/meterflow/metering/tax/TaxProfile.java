package dev.meterflow.metering.tax;

import java.util.Locale;
import java.util.Optional;

/**
 * What the tax run needs of an account's settings.
 *
 * @param jurisdiction {@code <country>-<region>} of the service address ({@code US-CA}), empty without one
 * @param exempt       the account is tax-exempt
 */
public record TaxProfile(Optional<String> jurisdiction, boolean exempt) {

    /** From the service address's country and region; either missing or blank means no jurisdiction. */
    public static TaxProfile of(String country, String region, boolean exempt) {
        if (country == null || region == null || country.isBlank() || region.isBlank()) {
            return new TaxProfile(Optional.empty(), exempt);
        }
        return new TaxProfile(Optional.of(country.strip().toUpperCase(Locale.ROOT) + "-"
                + region.strip().toUpperCase(Locale.ROOT)), exempt);
    }
}
