package dev.meterflow.gatewaysim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.stripe.StripeClient;
import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.ApiException;
import com.stripe.exception.AuthenticationException;
import com.stripe.exception.CardException;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.RateLimitException;
import com.stripe.exception.StripeException;
import com.stripe.model.PaymentIntent;
import com.stripe.model.StripeSearchResult;
import com.stripe.net.RequestOptions;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.PaymentIntentSearchParams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Drives the simulator over real HTTP with the client the recharge worker uses, stripe-java 33.3.0, to
 * prove the two speak the same dialect: statuses, error bodies, idempotency and search.
 */
class GatewaySimulatorStripeClientTest {

    private static final String API_KEY = "sk_test_meterflow";
    private static final int NO_READ_TIMEOUT_TO_SPEAK_OF = 10_000;

    private static GatewaySimulator gateway;
    private static StripeClient stripe;

    @BeforeAll
    static void startGateway() {
        gateway = GatewaySimulator.start(0, SimulatorSettings.defaults());
        stripe = client(API_KEY, NO_READ_TIMEOUT_TO_SPEAK_OF);
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    @BeforeEach
    void freshGateway() {
        gateway.updateSettings(SimulatorSettings.defaults());
        gateway.reset();
    }

    @Test
    void shouldChargeAndReturnSucceededPaymentIntent() throws StripeException {
        PaymentIntent intent = create(aRecharge().forRequest("rr-1").cents(2500), "rr-1/pm_card_visa");

        assertThat(intent.getId()).startsWith("pi_");
        assertThat(intent.getObject()).isEqualTo("payment_intent");
        assertThat(intent.getStatus()).isEqualTo("succeeded");
        assertThat(intent.getAmount()).isEqualTo(2500L);
        assertThat(intent.getCurrency()).isEqualTo("usd");
        assertThat(intent.getCustomer()).isEqualTo("cus_a1");
        assertThat(intent.getPaymentMethod()).isEqualTo("pm_card_visa");
        assertThat(intent.getMetadata()).containsEntry("requestId", "rr-1").containsEntry("accountId", "a1");
        assertThat(intent.getLatestCharge()).startsWith("ch_");
        assertThat(intent.getCreated()).isPositive();
        assertThat(gateway.charges()).singleElement().satisfies(charge -> {
            assertThat(charge.id()).isEqualTo(intent.getLatestCharge());
            assertThat(charge.paymentIntentId()).isEqualTo(intent.getId());
            assertThat(charge.amountCents()).isEqualTo(2500L);
            assertThat(charge.status()).isEqualTo(ChargeStatus.SUCCEEDED);
            assertThat(charge.requestId()).isEqualTo("rr-1");
            assertThat(charge.accountId()).isEqualTo("a1");
            assertThat(charge.idempotencyKey()).isEqualTo("rr-1/pm_card_visa");
        });
    }

    @ParameterizedTest(name = "{0} declines with {1}/{2}")
    @CsvSource({
        "pm_card_chargeDeclined, card_declined, generic_decline",
        "pm_card_chargeDeclinedInsufficientFunds, card_declined, insufficient_funds",
        "pm_card_chargeDeclinedLostCard, card_declined, lost_card",
        "pm_card_chargeDeclinedStolenCard, card_declined, stolen_card",
        "pm_card_chargeDeclinedFraudulent, card_declined, fraudulent",
        "pm_card_chargeDeclinedExpiredCard, expired_card, expired_card",
        "pm_card_chargeDeclinedIncorrectCvc, incorrect_cvc, incorrect_cvc",
        "pm_card_chargeDeclinedProcessingError, processing_error, processing_error",
    })
    void shouldDeclineStripeTestCardsWithTheirCodes(String paymentMethod, String code, String declineCode) {
        CardException declined = catchThrowableOfType(CardException.class,
                () -> create(aRecharge().paidWith(paymentMethod), "rr-1/" + paymentMethod));

        assertThat(declined.getStatusCode()).isEqualTo(402);
        assertThat(declined.getCode()).isEqualTo(code);
        assertThat(declined.getDeclineCode()).isEqualTo(declineCode);
        assertThat(declined.getCharge()).startsWith("ch_");
        PaymentIntent intent = declined.getStripeError().getPaymentIntent();
        assertThat(intent.getStatus()).isEqualTo("requires_payment_method");
        assertThat(intent.getLatestCharge()).isEqualTo(declined.getCharge());
        assertThat(intent.getLastPaymentError().getDeclineCode()).isEqualTo(declineCode);
        assertThat(gateway.charges()).singleElement().satisfies(charge -> {
            assertThat(charge.status()).isEqualTo(ChargeStatus.FAILED);
            assertThat(charge.id()).isEqualTo(declined.getCharge());
            assertThat(charge.failureCode()).isEqualTo(code);
            assertThat(charge.declineCode()).isEqualTo(declineCode);
        });
        assertThat(gateway.successfulChargesByRequestId()).isEmpty();
    }

    @Test
    void shouldTreatATokenWithAnOwnCardSuffixLikeItsTestCard() throws StripeException {
        CardException declined = catchThrowableOfType(CardException.class, () -> create(
                aRecharge().paidWith("pm_card_chargeDeclinedStolenCard__acct-7"), "rr-1/stolen"));
        PaymentIntent charged = create(aRecharge().paidWith("pm_card_visa__acct-7"), "rr-2/visa");

        assertThat(declined.getDeclineCode()).isEqualTo("stolen_card");
        assertThat(charged.getStatus()).isEqualTo("succeeded");
        assertThat(gateway.charges()).extracting(Charge::paymentMethod)
                .containsExactly("pm_card_chargeDeclinedStolenCard__acct-7", "pm_card_visa__acct-7");
    }

    @Test
    void shouldReplayTheFirstAnswerForTheSameIdempotencyKey() throws StripeException {
        PaymentIntent first = create(aRecharge().forRequest("rr-1"), "rr-1/pm_card_visa");

        PaymentIntent retried = create(aRecharge().forRequest("rr-1"), "rr-1/pm_card_visa");

        assertThat(retried.getId()).isEqualTo(first.getId());
        assertThat(retried.getLastResponse().headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(first.getLastResponse().headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(gateway.successfulChargesByRequestId().get("rr-1")).hasSize(1);
    }

    @Test
    void shouldReplayADeclineWithoutChargingAgain() {
        Recharge declining = aRecharge().paidWith("pm_card_chargeDeclinedInsufficientFunds");
        CardException first = catchThrowableOfType(CardException.class, () -> create(declining, "rr-1/declining"));

        CardException retried = catchThrowableOfType(CardException.class, () -> create(declining, "rr-1/declining"));

        assertThat(retried.getDeclineCode()).isEqualTo("insufficient_funds");
        assertThat(retried.getCharge()).isEqualTo(first.getCharge());
        assertThat(gateway.charges()).hasSize(1);
    }

    @Test
    void shouldRefuseTheSameKeyWithDifferentParameters() throws StripeException {
        create(aRecharge().cents(2500), "rr-1/pm_card_visa");

        IdempotencyException refused = catchThrowableOfType(IdempotencyException.class,
                () -> create(aRecharge().cents(3000), "rr-1/pm_card_visa"));

        assertThat(refused.getStatusCode()).isEqualTo(400);
        assertThat(refused.getStripeError().getType()).isEqualTo("idempotency_error");
        assertThat(gateway.charges()).hasSize(1);
    }

    @Test
    void shouldScopeIdempotencyKeysByApiKey() throws StripeException {
        StripeClient otherAccount = client("sk_test_other", NO_READ_TIMEOUT_TO_SPEAK_OF);

        PaymentIntent mine = create(aRecharge(), "shared-key");
        PaymentIntent theirs = otherAccount.v1().paymentIntents().create(aRecharge().params(), withKey("shared-key"));

        assertThat(theirs.getId()).isNotEqualTo(mine.getId());
        assertThat(gateway.charges()).hasSize(2);
    }

    @Test
    void shouldNotChargeOnInjectedServerErrorsAndExecuteTheRetry() throws StripeException {
        gateway.updateSettings(SimulatorSettings.builder().errorRate(1.0).build());

        ApiException failed = catchThrowableOfType(ApiException.class,
                () -> create(aRecharge().forRequest("rr-1"), "rr-1/pm_card_visa"));

        assertThat(failed.getStatusCode()).isEqualTo(500);
        assertThat(gateway.charges()).isEmpty();

        gateway.updateSettings(SimulatorSettings.builder().errorRate(0.0).build());
        PaymentIntent retried = create(aRecharge().forRequest("rr-1"), "rr-1/pm_card_visa");

        assertThat(retried.getStatus()).isEqualTo("succeeded");
        assertThat(retried.getLastResponse().headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(gateway.successfulChargesByRequestId().get("rr-1")).hasSize(1);
    }

    @Test
    void shouldAnswerRequestsOverTheRateLimitWith429() throws StripeException {
        gateway.updateSettings(SimulatorSettings.builder().rateLimitPerSecond(1).build());
        create(aRecharge().forRequest("rr-1"), "rr-1/pm_card_visa");

        RateLimitException limited = catchThrowableOfType(RateLimitException.class,
                () -> create(aRecharge().forRequest("rr-2"), "rr-2/pm_card_visa"));

        assertThat(limited.getStatusCode()).isEqualTo(429);
        assertThat(limited.getCode()).isEqualTo("rate_limit");
        assertThat(gateway.charges()).hasSize(1);
    }

    @Test
    void shouldChargeThenTimeOutAndReplayTheChargeToTheRetry() throws StripeException {
        gateway.updateSettings(SimulatorSettings.builder()
                .timeoutAfterCharge(Duration.ofSeconds(5), "pm_card_visa")
                .build());
        StripeClient impatient = client(API_KEY, 300);

        ApiConnectionException timedOut = catchThrowableOfType(ApiConnectionException.class,
                () -> impatient.v1().paymentIntents().create(aRecharge().forRequest("rr-1").params(),
                        withKey("rr-1/pm_card_visa")));

        assertThat(timedOut).isNotNull();
        assertThat(gateway.charges()).singleElement().satisfies(charge -> {
            assertThat(charge.requestId()).isEqualTo("rr-1");
            assertThat(charge.status()).isEqualTo(ChargeStatus.SUCCEEDED);
        });

        PaymentIntent retried = impatient.v1().paymentIntents().create(aRecharge().forRequest("rr-1").params(),
                withKey("rr-1/pm_card_visa"));

        assertThat(retried.getId()).isEqualTo(gateway.charges().get(0).paymentIntentId());
        assertThat(retried.getLastResponse().headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(gateway.successfulChargesByRequestId().get("rr-1")).hasSize(1);
    }

    @Test
    void shouldReportTheKeyInUseWhileTheFirstRequestIsStillExecuting() {
        gateway.updateSettings(SimulatorSettings.builder().latencyMs(1000).build());

        CompletableFuture<Object> first = CompletableFuture.supplyAsync(this::createOrException);
        CompletableFuture<Object> second = CompletableFuture.supplyAsync(this::createOrException);
        List<Object> outcomes = List.of(first.join(), second.join());

        assertThat(outcomes).filteredOn(PaymentIntent.class::isInstance).hasSize(1);
        assertThat(outcomes).filteredOn(ApiException.class::isInstance).singleElement()
                .satisfies(outcome -> {
                    ApiException inUse = (ApiException) outcome;
                    assertThat(inUse.getStatusCode()).isEqualTo(409);
                    assertThat(inUse.getCode()).isEqualTo("idempotency_key_in_use");
                });
        assertThat(gateway.charges()).hasSize(1);
    }

    @Test
    void shouldRejectAnAmountBelowStripesMinimumWithoutSavingTheKey() throws StripeException {
        InvalidRequestException tooSmall = catchThrowableOfType(InvalidRequestException.class,
                () -> create(aRecharge().cents(10), "rr-1/pm_card_visa"));

        assertThat(tooSmall.getStatusCode()).isEqualTo(400);
        assertThat(tooSmall.getCode()).isEqualTo("amount_too_small");
        assertThat(tooSmall.getParam()).isEqualTo("amount");
        assertThat(gateway.charges()).isEmpty();
        // Validation failures are not saved, so the corrected request may reuse the key.
        assertThat(create(aRecharge().cents(50), "rr-1/pm_card_visa").getStatus()).isEqualTo("succeeded");
    }

    @Test
    void shouldRetrieveAPaymentIntentById() throws StripeException {
        PaymentIntent created = create(aRecharge().forRequest("rr-1"), "rr-1/pm_card_visa");

        PaymentIntent retrieved = stripe.v1().paymentIntents().retrieve(created.getId());

        assertThat(retrieved.getId()).isEqualTo(created.getId());
        assertThat(retrieved.getStatus()).isEqualTo("succeeded");
        assertThat(retrieved.getLatestCharge()).isEqualTo(created.getLatestCharge());
        InvalidRequestException missing = catchThrowableOfType(InvalidRequestException.class,
                () -> stripe.v1().paymentIntents().retrieve("pi_unknown"));
        assertThat(missing.getStatusCode()).isEqualTo(404);
        assertThat(missing.getCode()).isEqualTo("resource_missing");
    }

    @Test
    void shouldFindAPaymentIntentByItsRequestId() throws StripeException {
        PaymentIntent wanted = create(aRecharge().forRequest("rr-1"), "rr-1/pm_card_visa");
        create(aRecharge().forRequest("rr-2"), "rr-2/pm_card_visa");

        StripeSearchResult<PaymentIntent> found = search("metadata['requestId']:'rr-1'");
        StripeSearchResult<PaymentIntent> narrowed =
                search("metadata['requestId']:'rr-1' AND metadata['accountId']:'a1'");
        StripeSearchResult<PaymentIntent> none = search("metadata['requestId']:'rr-404'");

        assertThat(found.getObject()).isEqualTo("search_result");
        assertThat(found.getHasMore()).isFalse();
        assertThat(found.getData()).extracting(PaymentIntent::getId).containsExactly(wanted.getId());
        assertThat(narrowed.getData()).extracting(PaymentIntent::getId).containsExactly(wanted.getId());
        assertThat(none.getData()).isEmpty();
    }

    @Test
    void shouldHideNewPaymentIntentsFromSearchDuringTheSearchLag() throws StripeException {
        gateway.updateSettings(SimulatorSettings.builder().searchLagMs(60_000).build());
        PaymentIntent created = create(aRecharge().forRequest("rr-1"), "rr-1/pm_card_visa");

        assertThat(search("metadata['requestId']:'rr-1'").getData()).isEmpty();
        assertThat(stripe.v1().paymentIntents().retrieve(created.getId()).getStatus()).isEqualTo("succeeded");
    }

    @Test
    void shouldRefuseNonTestApiKeys() {
        StripeClient live = client("sk_live_not_accepted", NO_READ_TIMEOUT_TO_SPEAK_OF);

        AuthenticationException refused = catchThrowableOfType(AuthenticationException.class,
                () -> live.v1().paymentIntents().create(aRecharge().params(), withKey("k")));

        assertThat(refused.getStatusCode()).isEqualTo(401);
        assertThat(refused.getMessage()).doesNotContain("sk_live_not_accepted");
        assertThat(gateway.charges()).isEmpty();
    }

    /** Issue 16, item 7: the worker checks its key at start-up with the cheap call Stripe offers for it. */
    @Test
    void shouldAnswerTheBalanceForATestKeyAndRefuseOtherKeysWith401() throws StripeException {
        gateway.updateSettings(SimulatorSettings.builder().errorRate(1.0).latencyMs(5_000).build());

        assertThat(stripe.v1().balance().retrieve().getLivemode()).isFalse();
        AuthenticationException refused = catchThrowableOfType(AuthenticationException.class,
                () -> client("sk_live_not_accepted", NO_READ_TIMEOUT_TO_SPEAK_OF).v1().balance().retrieve());
        assertThat(refused.getStatusCode()).isEqualTo(401);
    }

    @Test
    void shouldInjectTheSameFaultsAgainForTheSameSeed() {
        gateway.updateSettings(SimulatorSettings.builder().errorRate(0.5).seed(7).build());
        List<Integer> firstRun = statusesOfRetrieves(20);
        gateway.reset();

        List<Integer> secondRun = statusesOfRetrieves(20);

        assertThat(firstRun).contains(404, 500).isEqualTo(secondRun);
    }

    private List<Integer> statusesOfRetrieves(int count) {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StripeException failure = catchThrowableOfType(StripeException.class,
                    () -> stripe.v1().paymentIntents().retrieve("pi_unknown"));
            statuses.add(failure.getStatusCode());
        }
        return statuses;
    }

    private Object createOrException() {
        try {
            return create(aRecharge().forRequest("rr-1"), "rr-1/pm_card_visa");
        } catch (StripeException e) {
            return e;
        } catch (RuntimeException e) {
            throw new CompletionException(e);
        }
    }

    private static PaymentIntent create(Recharge recharge, String idempotencyKey) throws StripeException {
        return stripe.v1().paymentIntents().create(recharge.params(), withKey(idempotencyKey));
    }

    private static StripeSearchResult<PaymentIntent> search(String query) throws StripeException {
        return stripe.v1().paymentIntents().search(PaymentIntentSearchParams.builder().setQuery(query).build());
    }

    private static RequestOptions withKey(String idempotencyKey) {
        return RequestOptions.builder().setIdempotencyKey(idempotencyKey).build();
    }

    private static StripeClient client(String apiKey, int readTimeoutMs) {
        return StripeClient.builder()
                .setApiKey(apiKey)
                .setApiBase(gateway.baseUrl())
                .setReadTimeout(readTimeoutMs)
                .setMaxNetworkRetries(0)
                .build();
    }

    private static Recharge aRecharge() {
        return new Recharge();
    }

    /** The create call the worker's Stripe adapter makes, with test defaults. */
    private static final class Recharge {
        private String requestId = "rr-1";
        private String paymentMethod = "pm_card_visa";
        private long cents = 2500;

        Recharge forRequest(String requestId) {
            this.requestId = requestId;
            return this;
        }

        Recharge paidWith(String paymentMethod) {
            this.paymentMethod = paymentMethod;
            return this;
        }

        Recharge cents(long cents) {
            this.cents = cents;
            return this;
        }

        PaymentIntentCreateParams params() {
            return PaymentIntentCreateParams.builder()
                    .setAmount(cents)
                    .setCurrency("usd")
                    .setCustomer("cus_a1")
                    .setPaymentMethod(paymentMethod)
                    .setConfirm(true)
                    .setOffSession(true)
                    .putMetadata("requestId", requestId)
                    .putMetadata("accountId", "a1")
                    .build();
        }
    }
}
