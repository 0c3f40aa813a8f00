package dev.meterflow.metering.topology;

import dev.meterflow.metering.tax.BilledToAgency;
import java.util.Optional;

/**
 * The value of a line in {@link StoreNames#TAXABLE_USAGE}: the taxable usage debited and, for a sub-account whose
 * usage its agency paid, the agency and the sub-account's tax profile (the agency's task has no settings of the
 * sub-account to read at run time).
 */
record TaxableBase(long micros, Optional<BilledToAgency> agency) {

    static TaxableBase of(long micros) {
        return new TaxableBase(micros, Optional.empty());
    }
}
