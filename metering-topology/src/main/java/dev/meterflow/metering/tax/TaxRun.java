package dev.meterflow.metering.tax;

import dev.meterflow.metering.tax.TaxOutcome.NotTaxed;
import dev.meterflow.metering.tax.TaxOutcome.Reason;
import java.util.Optional;
import java.util.function.Function;

/** The monthly tax rule for one line (issue 10, §4): whom to tax, at which rate, never a guess. Pure. */
public final class TaxRun {

    private TaxRun() {
    }

    /**
     * The profile a line is taxed by: a sub-account's line debited from its agency is taxed by the sub-account's own
     * address and exemption, as they travelled with its usage; any other line by the account's settings now.
     *
     * @param payerProfile the profile of the account that pays ({@link TaxLine#payerId()}), empty when its settings
     *                     were deleted: a line nobody can be debited for is not taxed
     */
    public static Optional<TaxProfile> profileFor(TaxLine line, Optional<TaxProfile> payerProfile) {
        return line.agency().isEmpty() ? payerProfile
                : payerProfile.map(agencyProfile -> line.agency().get().profile());
    }

    /**
     * @param profile the account's tax profile at run time, empty when its settings were deleted
     * @param rates   the rate in ppm of a jurisdiction, empty when {@code tax-rates} has none
     */
    public static TaxOutcome assess(TaxLine line, Optional<TaxProfile> profile,
                                    Function<String, Optional<Long>> rates) {
        if (profile.isEmpty()) {
            return new NotTaxed(line, Reason.NO_SETTINGS, "account has no billing settings");
        }
        if (profile.get().exempt()) {
            return new NotTaxed(line, Reason.EXEMPT, "account is tax-exempt");
        }
        if (profile.get().jurisdiction().isEmpty()) {
            return new NotTaxed(line, Reason.NO_ADDRESS, "account has no service address with a country and region");
        }
        String jurisdiction = profile.get().jurisdiction().get();
        Optional<Long> rate = rates.apply(jurisdiction);
        if (rate.isEmpty()) {
            return new NotTaxed(line, Reason.NO_RATE, "tax-rates has no rate for '" + jurisdiction + "'");
        }
        long tax = TaxCalculator.taxMicros(line.baseMicros(), rate.get());
        if (tax == 0) {
            return new NotTaxed(line, Reason.ROUNDS_TO_ZERO, "tax on " + line.baseMicros() + " micros at "
                    + rate.get() + " ppm rounds to $0.00");
        }
        return new TaxOutcome.Taxed(line, jurisdiction, rate.get(), tax);
    }
}
