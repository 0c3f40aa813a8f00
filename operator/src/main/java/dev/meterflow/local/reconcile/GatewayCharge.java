package dev.meterflow.local.reconcile;

import java.time.Instant;

/**
 * One successful charge at the payment gateway, as the gateway reports it.
 *
 * @param id          the gateway's id of it ({@code pi_...} from the PaymentIntents API, {@code ch_...} from the
 *                    simulator's ledger)
 * @param requestId   {@code metadata[requestId]}, or {@code null} if the charge is not Meterflow's
 * @param accountId   {@code metadata[accountId]}, or {@code null}
 * @param amountCents the amount charged
 * @param createdAt   when it was made
 */
public record GatewayCharge(String id, String requestId, String accountId, long amountCents, Instant createdAt) {
}
