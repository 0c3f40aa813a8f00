package dev.meterflow.worker.recharge;

import java.util.List;

/**
 * What to do next for a recharge request. Each step also names the cards the plan passed over on the way
 * because they reached a soft-decline retry limit, so the processor can say so.
 */
public sealed interface Step {

    /**
     * The cards passed over for a new charge at this decision, in the request's order (none once a card was
     * charged: a SUCCEEDED finish decides nothing about the others).
     */
    List<PassedOver> passedOver();

    /** Call the gateway for this payment method, with its (stable) idempotency key. */
    record Charge(String paymentMethodId, String idempotencyKey, List<PassedOver> passedOver) implements Step {
        public Charge {
            passedOver = List.copyOf(passedOver);
        }

        public Charge(String paymentMethodId, String idempotencyKey) {
            this(paymentMethodId, idempotencyKey, List.of());
        }
    }

    /**
     * The outcome on this payment method stays unknown after the retries: look the charge up, and hold the
     * request for reconciliation. No other card may be charged meanwhile.
     */
    record Hold(String paymentMethodId, String idempotencyKey, List<PassedOver> passedOver) implements Step {
        public Hold {
            passedOver = List.copyOf(passedOver);
        }

        public Hold(String paymentMethodId, String idempotencyKey) {
            this(paymentMethodId, idempotencyKey, List.of());
        }
    }

    /**
     * A bank debit on this payment method was sent and is processing: nothing more to do until it settles (days).
     * Ask the gateway about {@code paymentIntentId} later; no other method may be charged meanwhile.
     */
    record AwaitSettlement(String paymentMethodId, String paymentIntentId, List<PassedOver> passedOver)
            implements Step {
        public AwaitSettlement {
            passedOver = List.copyOf(passedOver);
        }
    }

    /** Done: report the result with every attempt. */
    record Finish(Status status, String paymentMethodId, String chargeId, List<Attempt> attempts,
                  List<PassedOver> passedOver) implements Step {
        public Finish {
            attempts = List.copyOf(attempts);
            passedOver = List.copyOf(passedOver);
        }

        public Finish(Status status, String paymentMethodId, String chargeId, List<Attempt> attempts) {
            this(status, paymentMethodId, chargeId, attempts, List.of());
        }
    }

    /** The contract's {@code PaymentResult.status}. */
    enum Status { SUCCEEDED, DECLINED, FAILED }

    /**
     * A card not charged for this request because its soft declines across requests reached a limit
     * ({@link SoftDeclineLimits}): it produces no attempt, as nothing was sent to the gateway.
     */
    record PassedOver(String paymentMethodId, int softDeclinesInDay, int softDeclinesIn30Days) {
        /** The reason given for it in logs and in the decline notice. */
        public static final String REASON = "retry_limit_reached";
    }
}
