package dev.meterflow.api.statements;

import java.time.Instant;

/**
 * One charge of a card in the period, made or not; its credit to the balance is in the ledger lines.
 *
 * @param method  brand and last 4 of the card charged, or the payment method token when there is no receipt
 * @param outcome "Charged" or the reason in words a person can act on
 */
public record PaymentLine(Instant at, String requestId, String reason, String status, long amountCents,
                          String method, String outcome) {
}
