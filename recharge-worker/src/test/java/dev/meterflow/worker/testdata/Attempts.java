package dev.meterflow.worker.testdata;

import dev.meterflow.testdata.TestData;
import dev.meterflow.worker.gateway.ChargeCommand;
import dev.meterflow.worker.gateway.GatewayAnswer;
import dev.meterflow.worker.recharge.Attempt;

/**
 * Test data: attempts of {@link TestData#REQUEST_ID} as the processor records them (started, then answered),
 * each with the request's idempotency key on that payment method. {@code declinedSoft(VISA, "insufficient_funds")}.
 */
public final class Attempts {

    private static final long AT = TestData.NOW.minusSeconds(1).toEpochMilli();

    private Attempts() {
    }

    /** Recorded before the call, never answered: the worker crashed in between. */
    public static Attempt inFlight(String paymentMethodId) {
        return Attempt.started(paymentMethodId, key(paymentMethodId), AT);
    }

    public static Attempt succeeded(String paymentMethodId, String chargeId) {
        return answered(paymentMethodId, GatewayAnswers.succeeded(chargeId));
    }

    public static Attempt declinedHard(String paymentMethodId, String declineCode) {
        return answered(paymentMethodId, GatewayAnswers.declinedHard(declineCode));
    }

    public static Attempt declinedSoft(String paymentMethodId, String declineCode) {
        return answered(paymentMethodId, GatewayAnswers.declinedSoft(declineCode));
    }

    /** Refused before any charge (a bad request): nothing was charged. */
    public static Attempt failedWithError(String paymentMethodId) {
        return answered(paymentMethodId, GatewayAnswers.error("amount_too_small"));
    }

    /** A timeout or a 5xx: the card may or may not have been charged. */
    public static Attempt unknown(String paymentMethodId) {
        return answered(paymentMethodId, GatewayAnswers.unknown());
    }

    public static String key(String paymentMethodId) {
        return ChargeCommand.idempotencyKey(TestData.REQUEST_ID, paymentMethodId);
    }

    private static Attempt answered(String paymentMethodId, GatewayAnswer answer) {
        return inFlight(paymentMethodId).answered(answer, AT);
    }

    /** What the gateway answers, with Stripe-shaped ids. */
    public static final class GatewayAnswers {

        private GatewayAnswers() {
        }

        public static GatewayAnswer succeeded(String chargeId) {
            return GatewayAnswer.succeeded(paymentIntentOf(chargeId), chargeId);
        }

        public static GatewayAnswer declinedHard(String declineCode) {
            return new GatewayAnswer(GatewayAnswer.Kind.DECLINED_HARD, declineCode, "pi_3PqDeclinedHard01", null,
                    "Your card was declined.");
        }

        public static GatewayAnswer declinedSoft(String declineCode) {
            return new GatewayAnswer(GatewayAnswer.Kind.DECLINED_SOFT, declineCode, "pi_3PqDeclinedSoft01", null,
                    "Your card was declined.");
        }

        public static GatewayAnswer error(String errorCode) {
            return new GatewayAnswer(GatewayAnswer.Kind.ERROR, errorCode, null, null,
                    "Amount must be at least $0.50 usd");
        }

        public static GatewayAnswer unknown() {
            return GatewayAnswer.unknown("read timed out after PT30S");
        }

        /** A 429; the processors under test pause a zero back-off, so tests never wait. */
        public static GatewayAnswer rateLimited() {
            return new GatewayAnswer(GatewayAnswer.Kind.RATE_LIMITED, null, null, null,
                    "Too many requests hit the API too quickly.");
        }

        private static String paymentIntentOf(String chargeId) {
            return "pi_" + chargeId.substring("ch_".length());
        }
    }
}
