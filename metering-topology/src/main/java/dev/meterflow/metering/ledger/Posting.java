package dev.meterflow.metering.ledger;

/**
 * One ledger entry: a debit (negative {@code amountMicros}) or a credit, with the running balance after it.
 *
 * @param entryId         deterministic from the source, so a replay posts the same id
 * @param accountId       the billing account whose balance changes
 * @param sourceAccountId the account that used the service
 * @param sku             the sku for usage, {@code null} otherwise
 * @param sourceId        the eventId, requestId or commandId it came from
 * @param chargedAmountMicros PLAN_FEE_DIRECT: the fee charged to the payment method, {@code null} otherwise
 * @param paymentMethodId the method charged for a RECHARGE, PAYMENT or PLAN_FEE_DIRECT, when known
 * @param tax             for a TAX entry, what it was computed from; {@code null} otherwise
 */
public record Posting(String entryId, String accountId, String sourceAccountId, Kind kind, String sku,
                      long quantity, long amountMicros, long balanceAfterMicros, String sourceId,
                      long occurredAtMillis, Long chargedAmountMicros, String paymentMethodId, TaxDetail tax) {

    /** An entry that charged no payment method and is not a TAX line. */
    public Posting(String entryId, String accountId, String sourceAccountId, Kind kind, String sku,
                   long quantity, long amountMicros, long balanceAfterMicros, String sourceId,
                   long occurredAtMillis) {
        this(entryId, accountId, sourceAccountId, kind, sku, quantity, amountMicros, balanceAfterMicros, sourceId,
                occurredAtMillis, null, null, null);
    }

    /** An entry that charged a payment method (or might have): not a TAX line. */
    public Posting(String entryId, String accountId, String sourceAccountId, Kind kind, String sku,
                   long quantity, long amountMicros, long balanceAfterMicros, String sourceId,
                   long occurredAtMillis, Long chargedAmountMicros, String paymentMethodId) {
        this(entryId, accountId, sourceAccountId, kind, sku, quantity, amountMicros, balanceAfterMicros, sourceId,
                occurredAtMillis, chargedAmountMicros, paymentMethodId, null);
    }

    /** A TAX line. */
    public Posting(String entryId, String accountId, String sourceAccountId, Kind kind, String sku, long quantity,
                   long amountMicros, long balanceAfterMicros, String sourceId, long occurredAtMillis, TaxDetail tax) {
        this(entryId, accountId, sourceAccountId, kind, sku, quantity, amountMicros, balanceAfterMicros, sourceId,
                occurredAtMillis, null, null, tax);
    }

    /** A TAX line's period ({@code yyyy-MM}), jurisdiction, taxable base and rate. */
    public record TaxDetail(String period, String jurisdiction, long taxableBaseMicros, long ratePpm) {
    }

    public enum Kind { USAGE, RECHARGE, PAYMENT, TAX, PLAN_FEE_DIRECT, ADJUSTMENT }
}
