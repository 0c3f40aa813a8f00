package dev.meterflow.gatewaysim;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of the simulator's authoritative ledger: a charge attempt that reached the (simulated) card
 * network. Declines are recorded too, with {@link ChargeStatus#FAILED}; requests rejected before executing
 * (validation, rate limit, injected 500s, idempotent replays) leave no entry.
 *
 * @param id              Stripe charge id, {@code ch_...}
 * @param paymentIntentId the PaymentIntent that made the attempt, {@code pi_...}
 * @param amountCents     amount in cents (Stripe's {@code amount}, minor units of USD)
 * @param currency        lower-case ISO code, always {@code usd}
 * @param customer        gateway customer id, or {@code null}
 * @param paymentMethod   payment method token that was charged, {@code pm_...}
 * @param requestId       {@code metadata[requestId]}, or {@code null}
 * @param accountId       {@code metadata[accountId]}, or {@code null}
 * @param status          succeeded or failed; a bank debit is pending until it settles
 * @param failureCode     Stripe error code of a failed charge ({@code card_declined}, {@code expired_card}, ...),
 *                        else {@code null}
 * @param declineCode     Stripe decline code of a failed charge ({@code insufficient_funds}, ...), else {@code null}
 * @param idempotencyKey  the {@code Idempotency-Key} of the request that made the attempt, or {@code null}
 * @param createdAt       when the attempt was made
 */
public record Charge(
        String id,
        String paymentIntentId,
        long amountCents,
        String currency,
        String customer,
        String paymentMethod,
        String requestId,
        String accountId,
        ChargeStatus status,
        String failureCode,
        String declineCode,
        String idempotencyKey,
        Instant createdAt) {

    public Charge {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(paymentIntentId, "paymentIntentId");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(paymentMethod, "paymentMethod");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    Charge settled(ChargeStatus finalStatus, String finalFailureCode, String finalDeclineCode) {
        return new Charge(id, paymentIntentId, amountCents, currency, customer, paymentMethod, requestId, accountId,
                finalStatus, finalFailureCode, finalDeclineCode, idempotencyKey, createdAt);
    }

    public boolean succeeded() {
        return status == ChargeStatus.SUCCEEDED;
    }
}
