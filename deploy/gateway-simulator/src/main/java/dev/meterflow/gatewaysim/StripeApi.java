package dev.meterflow.gatewaysim;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated Stripe account: the PaymentIntents endpoints, the idempotency layer, the fault knobs and
 * the ledger, with no HTTP server types and no waiting. The HTTP shell ({@link StripeRoutes}) decides
 * when to call what and applies the delays this class asks for.
 *
 * <p>A create goes through {@link #beginCreate} (validation, idempotency reservation) and, once the
 * simulated processing time has passed, {@link #execute} (the charge). A request with the same key that
 * arrives in between finds the key in use, as on Stripe.
 */
final class StripeApi {

    private static final Logger log = LoggerFactory.getLogger(StripeApi.class);

    private static final int DEFAULT_SEARCH_LIMIT = 10;
    private static final int MAX_SEARCH_LIMIT = 100;
    private static final String PAGE_PREFIX = "page_";

    /** The result of {@link #beginCreate}: an immediate answer, or a create to execute. */
    sealed interface CreateStep permits Answered, Started {
    }

    record Answered(ApiResponse response) implements CreateStep {
    }

    record Started(PendingCreate create) implements CreateStep {
    }

    /** A validated create whose idempotency key (if any) is reserved. */
    record PendingCreate(CreatePaymentIntent request, String scope, String idempotencyKey) {
    }

    /**
     * @param holdMs how long to hold the response back after the charge ("charge then time out"), or 0
     */
    record Executed(ApiResponse response, long holdMs) {
    }

    private final Clock clock;
    private final IdempotencyStore idempotency;
    private final PaymentIntentStore intents = new PaymentIntentStore();
    private final ChargeLedger ledger = new ChargeLedger();
    private final RateLimiter rateLimiter;
    private final SeededChance chance;
    private volatile SimulatorSettings settings;

    StripeApi(SimulatorSettings settings, Clock clock, LongSupplier nanoTime) {
        this.settings = settings;
        this.clock = clock;
        this.idempotency = new IdempotencyStore(clock);
        this.rateLimiter = new RateLimiter(settings.rateLimitPerSecond(), nanoTime);
        this.chance = new SeededChance(settings.seed());
    }

    SimulatorSettings settings() {
        return settings;
    }

    synchronized void updateSettings(SimulatorSettings next) {
        SimulatorSettings previous = settings;
        if (previous.equals(next)) {
            return;
        }
        settings = next;
        if (previous.rateLimitPerSecond() != next.rateLimitPerSecond()) {
            rateLimiter.configure(next.rateLimitPerSecond());
        }
        if (previous.seed() != next.seed()) {
            chance.reseed(next.seed());
        }
        log.info("gateway simulator settings changed settings='{}'", next);
    }

    /** Forgets every intent, charge and idempotency key, refills the rate limit and restarts the random draws. */
    synchronized void reset() {
        intents.clear();
        ledger.clear();
        idempotency.clear();
        rateLimiter.configure(settings.rateLimitPerSecond());
        chance.reseed(settings.seed());
    }

    List<Charge> charges() {
        settleDueBankDebits();
        return ledger.all();
    }

    /**
     * Settles every bank debit whose settlement delay has passed: its PaymentIntent becomes succeeded, or
     * requires_payment_method with the bank's return, and its charge in the ledger takes that status. Done lazily,
     * whenever an intent or the ledger is read, so a read after the delay always sees the final state.
     */
    private synchronized void settleDueBankDebits() {
        Instant now = clock.instant();
        for (StoredPaymentIntent intent : intents.dueToSettle(now, settings.achSettlementDelayMs())) {
            StoredPaymentIntent settled = intent.settled();
            intents.add(settled);
            CardDecline decline = settled.decline();
            ledger.settle(settled.latestCharge(), decline == null ? ChargeStatus.SUCCEEDED : ChargeStatus.FAILED,
                    decline == null ? null : decline.code(), decline == null ? null : decline.declineCode());
            log.info("bank debit settled chargeId='{}' paymentIntentId='{}' status='{}' returnCode='{}'"
                            + " requestId='{}'", settled.latestCharge(), settled.id(), settled.status(),
                    intent.bankDebit().returnCode(), settled.metadata().get("requestId"));
        }
    }

    /**
     * The edge of the API, answered at once: authentication and the rate limit. A rejection here executes
     * nothing and saves nothing for its idempotency key.
     */
    Optional<ApiResponse> gatekeep(ApiCall call) {
        Optional<ApiResponse> unauthenticated = ApiKeys.reject(call.authorization());
        if (unauthenticated.isPresent()) {
            return unauthenticated;
        }
        if (!rateLimiter.tryAcquire()) {
            log.debug("rate limited requestId='{}' path='{}'", call.requestId(), call.path());
            return Optional.of(StripeErrors.rateLimited());
        }
        return Optional.empty();
    }

    /**
     * The injected server error, drawn with {@code errorRate}: the request fails before its endpoint
     * executes, so nothing is charged and nothing is saved for its idempotency key.
     */
    Optional<ApiResponse> injectedFault(ApiCall call) {
        if (!chance.draw(settings.errorRate())) {
            return Optional.empty();
        }
        log.info("injected api_error requestId='{}' method='{}' path='{}'", call.requestId(), call.method(),
                call.path());
        return Optional.of(StripeErrors.apiError("An unknown error occurred (injected by the gateway simulator)."));
    }

    private final java.util.concurrent.atomic.AtomicInteger createsInProgress =
            new java.util.concurrent.atomic.AtomicInteger();

    /** Payment intents accepted and not yet executed (still within the simulated latency). */
    int createsInProgress() {
        return createsInProgress.get();
    }

    /** {@code POST /v1/payment_intents}, up to the moment the charge would execute. */
    CreateStep beginCreate(ApiCall call) {
        CreateStep step = reserve(call);
        if (step instanceof Started) {
            createsInProgress.incrementAndGet();
        }
        return step;
    }

    private CreateStep reserve(ApiCall call) {
        CreatePaymentIntent request;
        try {
            request = CreatePaymentIntent.parse(call.params());
        } catch (InvalidRequestException e) {
            return new Answered(e.toResponse());
        }
        String key = call.idempotencyKey();
        if (key == null) {
            return new Started(new PendingCreate(request, null, null));
        }
        String scope = ApiKeys.scope(call.authorization());
        IdempotencyStore.Lookup lookup = idempotency.reserve(scope, key, fingerprint(call), call.requestId());
        if (lookup instanceof IdempotencyStore.Reserved) {
            return new Started(new PendingCreate(request, scope, key));
        }
        if (lookup instanceof IdempotencyStore.Replay replay) {
            log.info("idempotent replay requestId='{}' idempotencyKey='{}' status={}", call.requestId(), key,
                    replay.response().status());
            return new Answered(replay.response());
        }
        if (lookup instanceof IdempotencyStore.Mismatch) {
            return new Answered(StripeErrors.idempotencyMismatch(key));
        }
        return new Answered(StripeErrors.idempotencyKeyInUse());
    }

    /** Charges the card (success or decline), records it, and saves the answer under the idempotency key. */
    Executed execute(PendingCreate create) {
        createsInProgress.decrementAndGet();
        try {
            Executed executed = charge(create.request(), create.idempotencyKey());
            if (create.idempotencyKey() != null) {
                idempotency.complete(create.scope(), create.idempotencyKey(), executed.response());
            }
            return executed;
        } catch (RuntimeException e) {
            if (create.idempotencyKey() != null) {
                idempotency.release(create.scope(), create.idempotencyKey());
            }
            throw e;
        }
    }

    /**
     * {@code GET /v1/payment_intents/{id}}; {@code expand[]=latest_charge} (any {@code expand} parameter naming it)
     * gives the Charge object in place of its id.
     */
    ApiResponse retrieve(String id, Map<String, String> params) {
        settleDueBankDebits();
        boolean expandCharge = params.entrySet().stream()
                .anyMatch(param -> param.getKey().startsWith("expand") && "latest_charge".equals(param.getValue()));
        return intents.find(id)
                .map(intent -> ApiResponse.ok(intent.toJson(expandCharge)))
                .orElseGet(() -> StripeErrors.resourceMissing("payment_intent", id, "intent"));
    }

    /** {@code GET /v1/payment_intents/search}: Stripe's search result object, newest first. */
    ApiResponse search(Map<String, String> params) {
        settleDueBankDebits();
        try {
            SearchQuery query = SearchQuery.parse(params.get("query"));
            int limit = limit(params.get("limit"));
            int offset = offset(params.get("page"));
            Instant visibleUpTo = clock.instant().minusMillis(settings.searchLagMs());
            List<StoredPaymentIntent> found = intents.search(query, visibleUpTo);
            int end = Math.min(found.size(), offset + limit);
            boolean hasMore = end < found.size();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("object", "search_result");
            body.put("data", found.subList(Math.min(offset, end), end).stream().map(StoredPaymentIntent::toJson)
                    .toList());
            body.put("has_more", hasMore);
            body.put("next_page", hasMore ? PAGE_PREFIX + end : null);
            body.put("url", "/v1/payment_intents/search");
            return ApiResponse.ok(body);
        } catch (InvalidRequestException e) {
            return e.toResponse();
        }
    }

    private Executed charge(CreatePaymentIntent request, String idempotencyKey) {
        Instant now = clock.instant();
        BankDebit bankDebit = TestPaymentMethods.bankDebitFor(request.paymentMethod()).orElse(null);
        CardDecline decline = bankDebit != null ? null
                : TestPaymentMethods.declineFor(request.paymentMethod()).orElse(null);
        // a bank debit is sent now and settles days later: processing until then, as on Stripe
        StoredPaymentIntent intent = new StoredPaymentIntent(Ids.paymentIntent(), request.amount(),
                request.currency(), request.customer(), request.paymentMethod(), request.description(),
                request.metadata(), Ids.charge(), decline, now, bankDebit, bankDebit != null);
        intents.add(intent);
        ChargeStatus status = bankDebit != null ? ChargeStatus.PENDING
                : decline == null ? ChargeStatus.SUCCEEDED : ChargeStatus.FAILED;
        Charge charge = new Charge(intent.latestCharge(), intent.id(), request.amount(), request.currency(),
                request.customer(), request.paymentMethod(), request.requestId(), request.accountId(), status,
                decline == null ? null : decline.code(), decline == null ? null : decline.declineCode(),
                idempotencyKey, now);
        ledger.record(charge);
        long holdMs = holdAfterCharge(request.paymentMethod());
        log.info("charge recorded chargeId='{}' paymentIntentId='{}' status='{}' amountCents={} requestId='{}'"
                        + " accountId='{}' declineCode='{}' holdMs={}", charge.id(), charge.paymentIntentId(),
                charge.status().wireName(), charge.amountCents(), charge.requestId(), charge.accountId(),
                charge.declineCode(), holdMs);
        ApiResponse response = decline == null ? ApiResponse.ok(intent.toJson()) : StripeErrors.cardDeclined(intent);
        return new Executed(response, holdMs);
    }

    private long holdAfterCharge(String paymentMethod) {
        SimulatorSettings current = settings;
        if (current.timeoutAfterChargeMs() == 0) {
            return 0;
        }
        boolean hold = current.timeoutAfterChargePaymentMethods().contains(paymentMethod)
                || chance.draw(current.timeoutAfterChargeRate());
        return hold ? current.timeoutAfterChargeMs() : 0;
    }

    /** Same key, same endpoint, same parameters: what Stripe compares before replaying. */
    private static String fingerprint(ApiCall call) {
        return call.method() + " " + call.path() + " " + new TreeMap<>(call.params());
    }

    private static int limit(String value) {
        if (value == null) {
            return DEFAULT_SEARCH_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= MAX_SEARCH_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new InvalidRequestException("parameter_invalid_integer", "limit",
                "limit must be an integer between 1 and " + MAX_SEARCH_LIMIT + ", was '" + value + "'");
    }

    private static int offset(String page) {
        if (page == null) {
            return 0;
        }
        try {
            if (page.startsWith(PAGE_PREFIX)) {
                int offset = Integer.parseInt(page.substring(PAGE_PREFIX.length()));
                if (offset >= 0) {
                    return offset;
                }
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new InvalidRequestException(null, "page", "Invalid page: use the next_page of a previous search.");
    }
}
