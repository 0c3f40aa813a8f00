package dev.meterflow.worker.recharge;

import dev.meterflow.worker.gateway.GatewayAnswer;

/**
 * One call to the gateway for a request, as recorded in the attempt log.
 *
 * @param outcome {@code null} while the call is in flight: recorded before the gateway is called, so a crash
 *                in between leaves an attempt whose outcome is unknown
 */
public record Attempt(String paymentMethodId, String idempotencyKey, Outcome outcome, String declineCode,
                      String gatewayReference, String chargeId, long atMillis) {

    /**
     * The longest decline code, gateway reference or charge id kept from an answer: the gateway's texts are short,
     * but what the worker publishes must stay bounded whatever it answers.
     */
    public static final int MAX_GATEWAY_TEXT = 255;

    /**
     * The contract's attempt outcomes ({@code PaymentAttempt.outcome}), and PROCESSING: a bank debit sent and not
     * settled yet, which the attempt log holds until its answer replaces it (a result never lists it).
     */
    public enum Outcome { SUCCEEDED, DECLINED_HARD, DECLINED_SOFT, ERROR, UNKNOWN, PROCESSING }

    public static Attempt started(String paymentMethodId, String idempotencyKey, long atMillis) {
        return new Attempt(paymentMethodId, idempotencyKey, null, null, null, null, atMillis);
    }

    public Attempt answered(GatewayAnswer answer, long answeredAtMillis) {
        Outcome result = switch (answer.kind()) {
            case SUCCEEDED -> Outcome.SUCCEEDED;
            case DECLINED_HARD -> Outcome.DECLINED_HARD;
            case DECLINED_SOFT -> Outcome.DECLINED_SOFT;
            case ERROR -> Outcome.ERROR;
            case UNKNOWN, RATE_LIMITED -> Outcome.UNKNOWN;
            case PROCESSING -> Outcome.PROCESSING;
        };
        return new Attempt(paymentMethodId, idempotencyKey, result, bounded(answer.declineCode()),
                bounded(answer.gatewayReference()), bounded(answer.chargeId()), answeredAtMillis);
    }

    private static String bounded(String gatewayText) {
        return gatewayText == null || gatewayText.length() <= MAX_GATEWAY_TEXT ? gatewayText
                : gatewayText.substring(0, MAX_GATEWAY_TEXT);
    }

    /** Whether this card's fate for the request is still open: in flight, or answered with no verdict. */
    public boolean unresolved() {
        return outcome == null || outcome == Outcome.UNKNOWN;
    }

    /** Whether this is a bank debit the gateway accepted and that has not settled yet. */
    public boolean processing() {
        return outcome == Outcome.PROCESSING;
    }

    /** Whether the gateway refused on this card: try the next one. */
    public boolean refused() {
        return outcome == Outcome.DECLINED_HARD || outcome == Outcome.DECLINED_SOFT || outcome == Outcome.ERROR;
    }
}
