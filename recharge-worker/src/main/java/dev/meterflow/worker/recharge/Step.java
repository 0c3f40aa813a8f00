package dev.meterflow.worker.recharge;

import java.util.List;

/** What to do next for a recharge request. */
public sealed interface Step {

    /** Call the gateway for this payment method, with its (stable) idempotency key. */
    record Charge(String paymentMethodId, String idempotencyKey) implements Step {
    }

    /**
     * The outcome on this payment method stays unknown after the retries: look the charge up, and hold the
     * request for reconciliation. No other card may be charged meanwhile.
     */
    record Hold(String paymentMethodId, String idempotencyKey) implements Step {
    }

    /** Done: report the result with every attempt. */
    record Finish(Status status, String paymentMethodId, String chargeId, List<Attempt> attempts) implements Step {
        public Finish {
            attempts = List.copyOf(attempts);
        }
    }

    /** The contract's {@code PaymentResult.status}. */
    enum Status { SUCCEEDED, DECLINED, FAILED }
}
