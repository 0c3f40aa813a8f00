package dev.meterflow.worker.gateway.stripe;

import com.stripe.StripeClient;
import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.AuthenticationException;
import com.stripe.exception.CardException;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.PermissionException;
import com.stripe.exception.RateLimitException;
import com.stripe.exception.StripeException;
import com.stripe.model.Charge;
import com.stripe.model.PaymentIntent;
import com.stripe.model.StripeError;
import com.stripe.model.StripeSearchResult;
import com.stripe.net.RequestOptions;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.PaymentIntentRetrieveParams;
import com.stripe.param.PaymentIntentSearchParams;
import dev.meterflow.worker.gateway.ChargeCommand;
import dev.meterflow.worker.gateway.DeclineClassifier;
import dev.meterflow.worker.gateway.GatewayAnswer;
import dev.meterflow.worker.gateway.PaymentGateway;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway port on Stripe's API, through {@code stripe-java}: an off-session PaymentIntent confirmed at
 * once, with the request id and account id as metadata and the command's idempotency key. stripe-java's
 * own network retries are off: the worker retries itself, with the same key, and knows when it did.
 *
 * <p>How Stripe's answers are classified:
 * <ul>
 *   <li>PaymentIntent {@code succeeded} → SUCCEEDED; {@code processing} → PROCESSING (a bank debit: it settles in
 *       days, {@link #retrieve} tells when, a returned one with the bank's return code as its decline code);
 *       {@code requires_action} → DECLINED_HARD {@code authentication_required} (the customer must be there);
 *       {@code canceled}, {@code requires_confirmation}, and {@code requires_payment_method} without a payment error
 *       → ERROR with the status as its code: nothing was charged and nothing will be, so a parked bank debit found so
 *       is ended instead of polled for ever; {@code requires_capture} → UNKNOWN (it ends by itself, captured or
 *       canceled at expiry).</li>
 *   <li>{@code CardException} (HTTP 402) → the decline code, hard or soft per {@link DeclineClassifier}.</li>
 *   <li>{@code RateLimitException} (429) → RATE_LIMITED: not processed, ask again later.</li>
 *   <li>{@code ApiConnectionException} (timeout, reset), any 5xx, a 409 (the same key still in flight, for
 *       example after our own timeout) → UNKNOWN: the charge may have happened.</li>
 *   <li>401 or 403 (our API key refused) → UNKNOWN: the request is held, never failed card by card, until the
 *       key is fixed.</li>
 *   <li>any other 4xx (invalid request, idempotency key reused with other parameters) → ERROR: refused before
 *       charging.</li>
 * </ul>
 */
public final class StripeGateway implements PaymentGateway {

    private static final Logger log = LoggerFactory.getLogger(StripeGateway.class);

    private final StripeClient client;

    /** @param apiKey the secret key; kept by the client only, never logged */
    public StripeGateway(String apiKey, String apiBase, Duration timeout) {
        this.client = StripeClient.builder()
                .setApiKey(apiKey)
                .setApiBase(apiBase)
                .setConnectTimeout((int) Math.min(timeout.toMillis(), 10_000))
                .setReadTimeout((int) timeout.toMillis())
                .setMaxNetworkRetries(0)
                .build();
    }

    @Override
    public GatewayAnswer charge(ChargeCommand command) {
        PaymentIntentCreateParams params = PaymentIntentCreateParams.builder()
                .setAmount(command.amountCents())
                .setCurrency(command.currency())
                .setCustomer(command.customerId())
                .setPaymentMethod(command.paymentMethodId())
                .setConfirm(true)
                .setOffSession(true)
                .putMetadata("requestId", command.requestId())
                .putMetadata("accountId", command.accountId())
                .build();
        RequestOptions options = RequestOptions.builder().setIdempotencyKey(command.idempotencyKey()).build();
        try {
            return classify(client.v1().paymentIntents().create(params, options));
        } catch (CardException e) {
            String code = DeclineClassifier.declineCode(e.getCode(), e.getDeclineCode());
            return new GatewayAnswer(DeclineClassifier.classify(code), code, paymentIntentId(e.getStripeError()),
                    e.getCharge(), e.getMessage());
        } catch (RateLimitException e) {
            return new GatewayAnswer(GatewayAnswer.Kind.RATE_LIMITED, null, null, null, e.getMessage());
        } catch (ApiConnectionException e) {
            return GatewayAnswer.unknown("no answer from the gateway: " + e.getMessage());
        } catch (AuthenticationException e) {
            // our credentials (401, and 403 as its subclass), not the card: hold the request until the key is
            // fixed rather than fail every card
            log.error("the gateway refused the worker's API key status={}; requests are held until it is fixed",
                    e.getStatusCode());
            return GatewayAnswer.unknown("the gateway refused the worker's credentials");
        } catch (IdempotencyException e) {
            log.error("idempotency key reused with other parameters requestId='{}' key='{}'", command.requestId(),
                    command.idempotencyKey());
            return error(e);
        } catch (StripeException e) {
            Integer status = e.getStatusCode();
            // stripe-java raises a 409 (the same key still in flight, e.g. after our own timeout) as a plain
            // ApiException: the first call may yet charge, so its outcome is unknown, not an error
            if (status == null || status >= 500 || status == 409) {
                return GatewayAnswer.unknown("gateway answered " + status + ": " + e.getMessage());
            }
            return error(e);
        }
    }

    /** What the gateway said of the worker's key. */
    public enum KeyCheck { ACCEPTED, REFUSED, NOT_ANSWERED }

    /**
     * Asks for the account's balance, Stripe's cheapest authenticated call: a refused key (401) is found at
     * start-up instead of at the first charge. A 403 (a restricted key without balance access may still charge)
     * and no answer at all are not a verdict on the key.
     */
    public KeyCheck checkApiKey() {
        try {
            client.v1().balance().retrieve();
            return KeyCheck.ACCEPTED;
        } catch (PermissionException e) {
            log.warn("gateway key check inconclusive status={}: {}", e.getStatusCode(), e.getMessage());
            return KeyCheck.NOT_ANSWERED;
        } catch (AuthenticationException e) {
            return KeyCheck.REFUSED;
        } catch (StripeException e) {
            log.warn("gateway key check not answered status={}: {}", e.getStatusCode(), e.getMessage());
            return KeyCheck.NOT_ANSWERED;
        }
    }

    @Override
    public Optional<GatewayAnswer> lookUp(String requestId, String paymentMethodId) {
        PaymentIntentSearchParams params = PaymentIntentSearchParams.builder()
                .setQuery("metadata['requestId']:'" + requestId.replace("'", "\\'") + "'")
                .build();
        try {
            StripeSearchResult<PaymentIntent> found = client.v1().paymentIntents().search(params);
            return found.getData().stream()
                    .filter(intent -> paymentMethodId.equals(intent.getPaymentMethod()))
                    .map(StripeGateway::classifyFound)
                    .filter(answer -> answer.kind() != GatewayAnswer.Kind.UNKNOWN)
                    .findFirst();
        } catch (StripeException e) {
            log.warn("look-up failed requestId='{}': {}", requestId, e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public GatewayAnswer retrieve(String paymentIntentId) {
        PaymentIntentRetrieveParams params = PaymentIntentRetrieveParams.builder().addExpand("latest_charge").build();
        try {
            return classifyFound(client.v1().paymentIntents().retrieve(paymentIntentId, params));
        } catch (StripeException e) {
            log.warn("retrieve failed paymentIntent='{}' status={}: {}", paymentIntentId, e.getStatusCode(),
                    e.getMessage());
            return GatewayAnswer.unknown("retrieve of " + paymentIntentId + " failed: " + e.getMessage());
        }
    }

    private static GatewayAnswer classify(PaymentIntent intent) {
        return switch (intent.getStatus()) {
            case "succeeded" -> GatewayAnswer.succeeded(intent.getId(), intent.getLatestCharge());
            case "processing" -> GatewayAnswer.processing(intent.getId());
            case "requires_action" -> new GatewayAnswer(GatewayAnswer.Kind.DECLINED_HARD, "authentication_required",
                    intent.getId(), null, "the issuer requires the customer to authenticate");
            case "canceled", "requires_confirmation", "requires_payment_method" -> ended(intent);
            default -> new GatewayAnswer(GatewayAnswer.Kind.UNKNOWN, null, intent.getId(), null,
                    "payment intent is " + intent.getStatus());
        };
    }

    /**
     * An intent that can no longer succeed by itself and has no payment error to say why: an ERROR (nothing charged)
     * whose code is its status, with Stripe's cancellation reason when it gives one.
     */
    private static GatewayAnswer ended(PaymentIntent intent) {
        String reason = intent.getCancellationReason() == null ? "" : " (" + intent.getCancellationReason() + ")";
        log.warn("payment intent ended without a charge paymentIntent='{}' status={}{}", intent.getId(),
                intent.getStatus(), reason);
        return new GatewayAnswer(GatewayAnswer.Kind.ERROR, intent.getStatus(), intent.getId(), null,
                "the payment intent is " + intent.getStatus() + reason + ": nothing was charged");
    }

    /**
     * A payment intent found by a look-up or retrieved: succeeded, declined (its last error; for a returned bank
     * debit the bank's return code, from the expanded charge), or still open.
     */
    static GatewayAnswer classifyFound(PaymentIntent intent) {
        StripeError lastError = intent.getLastPaymentError();
        if ("requires_payment_method".equals(intent.getStatus()) && lastError != null) {
            String code = isBankDebit(intent)
                    ? DeclineClassifier.bankReturnCode(networkDeclineCode(intent), lastError.getCode(),
                            lastError.getDeclineCode())
                    : DeclineClassifier.declineCode(lastError.getCode(), lastError.getDeclineCode());
            return new GatewayAnswer(DeclineClassifier.classify(code), code, intent.getId(), lastError.getCharge(),
                    lastError.getMessage());
        }
        return classify(intent);
    }

    private static boolean isBankDebit(PaymentIntent intent) {
        return intent.getPaymentMethodTypes() != null && intent.getPaymentMethodTypes().contains("us_bank_account");
    }

    /** The network's own code for a failed charge (a bank's ACH return code), when the charge was expanded. */
    private static String networkDeclineCode(PaymentIntent intent) {
        Charge charge = intent.getLatestChargeObject();
        return charge == null || charge.getOutcome() == null ? null : charge.getOutcome().getNetworkDeclineCode();
    }

    private static GatewayAnswer error(StripeException e) {
        return new GatewayAnswer(GatewayAnswer.Kind.ERROR, e.getCode(), null, null, e.getMessage());
    }

    private static String paymentIntentId(StripeError error) {
        return error == null || error.getPaymentIntent() == null ? null : error.getPaymentIntent().getId();
    }
}
