package dev.meterflow.gatewaysim;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A PaymentIntent the simulator created. A card's never changes after creation: the subset of the API simulated
 * here creates and confirms in one call, with no later confirm, capture or cancel. A bank debit's is
 * {@code processing} until it settles, when the store replaces it with its {@link #settled()} copy.
 *
 * @param paymentMethod the token that was tried; Stripe detaches it from a declined intent, so the JSON shows
 *                      it only on a succeeded one (and in {@code last_payment_error} on a declined one)
 * @param decline       why confirmation failed, or {@code null} if it succeeded (or is still processing)
 * @param bankDebit     how a bank account's debit settles, {@code null} for a card
 * @param processing    a bank debit not settled yet
 */
record StoredPaymentIntent(
        String id,
        long amount,
        String currency,
        String customer,
        String paymentMethod,
        String description,
        Map<String, String> metadata,
        String latestCharge,
        CardDecline decline,
        Instant created,
        BankDebit bankDebit,
        boolean processing) {

    static final String SUCCEEDED = "succeeded";
    static final String REQUIRES_PAYMENT_METHOD = "requires_payment_method";
    static final String PROCESSING = "processing";

    StoredPaymentIntent {
        metadata = Map.copyOf(metadata);
    }

    /** A card's intent, final at creation. */
    StoredPaymentIntent(String id, long amount, String currency, String customer, String paymentMethod,
                        String description, Map<String, String> metadata, String latestCharge, CardDecline decline,
                        Instant created) {
        this(id, amount, currency, customer, paymentMethod, description, metadata, latestCharge, decline, created,
                null, false);
    }

    String status() {
        if (processing) {
            return PROCESSING;
        }
        return decline == null ? SUCCEEDED : REQUIRES_PAYMENT_METHOD;
    }

    /** Whether this is a bank debit that settles, and its settlement delay has passed at {@code now}. */
    boolean dueToSettle(Instant now, long settlementDelayMs) {
        return processing && !bankDebit.neverSettles() && !created.plusMillis(settlementDelayMs).isAfter(now);
    }

    /** The bank debit settled: succeeded, or returned by the bank with its decline. */
    StoredPaymentIntent settled() {
        return new StoredPaymentIntent(id, amount, currency, customer, paymentMethod, description, metadata,
                latestCharge, bankDebit.isReturned() ? bankDebit.asDecline() : null, created, bankDebit, false);
    }

    /** Stripe's PaymentIntent object, the fields stripe-java reads for this flow. */
    Map<String, Object> toJson() {
        return toJson(false);
    }

    /** @param expandCharge whether {@code latest_charge} is the Charge object ({@code expand[]=latest_charge}) */
    Map<String, Object> toJson(boolean expandCharge) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("object", "payment_intent");
        json.put("amount", amount);
        json.put("amount_capturable", 0);
        json.put("amount_received", decline == null && !processing ? amount : 0);
        json.put("capture_method", "automatic");
        json.put("confirmation_method", "automatic");
        json.put("created", created.getEpochSecond());
        json.put("currency", currency);
        json.put("customer", customer);
        json.put("description", description);
        json.put("last_payment_error", decline == null ? null : lastPaymentError());
        json.put("latest_charge", expandCharge ? chargeJson() : latestCharge);
        json.put("livemode", false);
        json.put("metadata", new LinkedHashMap<>(metadata));
        json.put("payment_method", decline == null ? paymentMethod : null);
        json.put("payment_method_types", List.of(paymentMethodType()));
        json.put("status", status());
        return json;
    }

    /** The card error as Stripe reports it, without the intent itself (which holds it). */
    Map<String, Object> lastPaymentError() {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("charge", latestCharge);
        error.put("code", decline.code());
        error.put("decline_code", decline.declineCode());
        error.put("doc_url", StripeErrors.docUrl(decline.code()));
        error.put("message", decline.message());
        if (decline.param() != null) {
            error.put("param", decline.param());
        }
        error.put("payment_method", paymentMethodJson());
        error.put("type", "card_error");
        return error;
    }

    /**
     * The Charge object, with the fields a client reads to learn why a payment failed: a returned bank debit's
     * NACHA return code is its {@code outcome.network_decline_code}, as Stripe reports it.
     */
    private Map<String, Object> chargeJson() {
        Map<String, Object> charge = new LinkedHashMap<>();
        charge.put("id", latestCharge);
        charge.put("object", "charge");
        charge.put("amount", amount);
        charge.put("currency", currency);
        charge.put("payment_intent", id);
        charge.put("payment_method", paymentMethod);
        charge.put("status", processing ? "pending" : decline == null ? "succeeded" : "failed");
        charge.put("failure_code", decline == null ? null : decline.code());
        Map<String, Object> outcome = new LinkedHashMap<>();
        outcome.put("network_decline_code", bankDebit != null && !processing ? bankDebit.returnCode() : null);
        outcome.put("network_status", decline == null ? "approved_by_network" : "declined_by_network");
        outcome.put("type", decline == null ? "authorized" : "issuer_declined");
        charge.put("outcome", outcome);
        return charge;
    }

    private String paymentMethodType() {
        return bankDebit == null ? "card" : "us_bank_account";
    }

    private Map<String, Object> paymentMethodJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", paymentMethod);
        json.put("object", "payment_method");
        json.put("customer", customer);
        json.put("type", paymentMethodType());
        return json;
    }
}
