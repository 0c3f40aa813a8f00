package dev.meterflow.testdata;

import static dev.meterflow.testdata.TestData.START;

import dev.meterflow.schemas.AttemptOutcome;
import dev.meterflow.schemas.PaymentAttempt;
import dev.meterflow.schemas.PaymentResult;
import dev.meterflow.schemas.PaymentStatus;
import dev.meterflow.schemas.RechargeReason;
import dev.meterflow.schemas.RechargeRequest;
import java.time.Instant;
import java.util.List;

/**
 * Test data: what the recharge worker answers to a request.
 * {@code aPaymentResult().answering(request).succeeded()}, {@code ...declined()}, {@code ...withStatus(FAILED)}.
 */
public final class PaymentResultBuilder {

    private String requestId = "rr-unknown-1";
    private String accountId = TestData.ACME;
    private long amountCents = 5000;
    private String paymentMethodId = "pm_card_visa";
    private PaymentStatus status = PaymentStatus.SUCCEEDED;
    private Instant completedAt = START;
    private boolean withoutAttempts;

    private PaymentResultBuilder() {
    }

    public static PaymentResultBuilder aPaymentResult() {
        return new PaymentResultBuilder();
    }

    /** Answers this request: same id, account and amount, charged to its first payment method. */
    public PaymentResultBuilder answering(RechargeRequest request) {
        this.requestId = request.getRequestId();
        this.accountId = request.getAccountId();
        this.amountCents = request.getAmountCents();
        this.paymentMethodId = request.getPaymentMethods().get(0).getPaymentMethodId();
        return this;
    }

    public PaymentResultBuilder forRequest(String requestId) {
        this.requestId = requestId;
        return this;
    }

    public PaymentResultBuilder forAccount(String accountId) {
        this.accountId = accountId;
        return this;
    }

    public PaymentResultBuilder amountCents(long amountCents) {
        this.amountCents = amountCents;
        return this;
    }

    /** Charged to (or, declined, last tried on) this payment method. */
    public PaymentResultBuilder onMethod(String paymentMethodId) {
        this.paymentMethodId = paymentMethodId;
        return this;
    }

    public PaymentResultBuilder succeeded() {
        this.status = PaymentStatus.SUCCEEDED;
        return this;
    }

    public PaymentResultBuilder declined() {
        this.status = PaymentStatus.DECLINED;
        return this;
    }

    public PaymentResultBuilder withStatus(PaymentStatus status) {
        this.status = status;
        return this;
    }

    /** FAILED as the worker answers a request it refused before the gateway: no attempt, nothing charged. */
    public PaymentResultBuilder refusedBeforeTheGateway() {
        this.status = PaymentStatus.FAILED;
        this.withoutAttempts = true;
        return this;
    }

    public PaymentResultBuilder at(Instant completedAt) {
        this.completedAt = completedAt;
        return this;
    }

    public PaymentResult build() {
        boolean succeeded = status == PaymentStatus.SUCCEEDED;
        PaymentAttempt attempt = PaymentAttempt.newBuilder()
                .setPaymentMethodId(paymentMethodId)
                .setOutcome(switch (status) {
                    case SUCCEEDED -> AttemptOutcome.SUCCEEDED;
                    case DECLINED -> AttemptOutcome.DECLINED_HARD;
                    case FAILED -> AttemptOutcome.ERROR;
                })
                .setDeclineCode(status == PaymentStatus.DECLINED ? "insufficient_funds" : null)
                .setGatewayReference("pi_3Pq" + Integer.toHexString(requestId.hashCode()))
                .setAt(completedAt)
                .build();
        return PaymentResult.newBuilder()
                .setRequestId(requestId)
                .setAccountId(accountId)
                .setReason(RechargeReason.AUTO_RECHARGE)
                .setStatus(status)
                .setAmountCents(amountCents)
                .setPaymentMethodId(succeeded ? paymentMethodId : null)
                .setGatewayChargeId(succeeded ? "ch_3Pq" + Integer.toHexString(requestId.hashCode()) : null)
                .setAttempts(withoutAttempts ? List.of() : List.of(attempt))
                .setCompletedAt(completedAt)
                .build();
    }
}
