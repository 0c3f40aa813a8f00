package dev.meterflow.metering.tax;

/** What the tax run does with one line: a TAX debit, or nothing, for a reason that is counted and logged. */
public sealed interface TaxOutcome {

    record Taxed(TaxLine line, String jurisdiction, long ratePpm, long taxMicros) implements TaxOutcome {
    }

    record NotTaxed(TaxLine line, Reason reason, String detail) implements TaxOutcome {
    }

    /** Low-cardinality: the {@code reason} tag of {@code tax-not-charged-total}. */
    enum Reason {
        /** The account's settings were deleted: no address to tax by. */
        NO_SETTINGS,
        /** {@code taxExempt} is set. */
        EXEMPT,
        /** No service address, or one without a country or region. */
        NO_ADDRESS,
        /** {@code tax-rates} has no rate for the jurisdiction. */
        NO_RATE,
        /** The tax rounds to $0.00: no line is posted. */
        ROUNDS_TO_ZERO,
        /** Usage dated outside the years 1000 to 9999 is not indexed for tax (it is debited as usage). */
        DATE_OUT_OF_RANGE,
        /** Debiting the tax would overflow the balance. */
        BALANCE_OVERFLOW
    }
}
