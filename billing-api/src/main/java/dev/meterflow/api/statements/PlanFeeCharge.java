package dev.meterflow.api.statements;

import java.time.LocalDate;

/**
 * A plan fee charged to a payment method on one UTC day of posting (a row of {@code plan_fee_charges}): its ledger
 * entry leaves the balance as it was, so the statement shows what was paid and with what. Its day and SKU are those
 * of the ledger total ({@link LedgerTotal}) whose line it describes.
 *
 * @param method the card or bank account charged, e.g. "Visa ending 4242", or its gateway token without a receipt
 */
public record PlanFeeCharge(LocalDate day, String sku, long chargedMicros, String method) {
}
