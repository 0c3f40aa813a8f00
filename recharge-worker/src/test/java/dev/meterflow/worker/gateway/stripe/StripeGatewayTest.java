package dev.meterflow.worker.gateway.stripe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meterflow.gatewaysim.Charge;
import dev.meterflow.gatewaysim.ChargeStatus;
import dev.meterflow.gatewaysim.GatewaySimulator;
import dev.meterflow.gatewaysim.SimulatorSettings;
import dev.meterflow.worker.gateway.ChargeCommand;
import dev.meterflow.worker.gateway.GatewayAnswer;
import dev.meterflow.worker.gateway.GatewayAnswer.Kind;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Stripe adapter against the gateway simulator, over real HTTP with stripe-java. */
class StripeGatewayTest {

    private static final String API_KEY = "sk_test_meterflow_adapter";

    private GatewaySimulator simulator;
    private StripeGateway gateway;
    private StripeGateway impatient;

    @BeforeEach
    void start() {
        simulator = GatewaySimulator.start(0, SimulatorSettings.defaults());
        // patient enough for a loaded machine: only the tests of a lost answer use the impatient one
        gateway = new StripeGateway(API_KEY, simulator.baseUrl(), Duration.ofSeconds(10));
        impatient = new StripeGateway(API_KEY, simulator.baseUrl(), Duration.ofMillis(800));
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    @Test
    void shouldChargeACardOnceAndReturnTheIntentAndCharge() {
        GatewayAnswer answer = gateway.charge(charge("rr-1", "pm_card_visa"));

        assertThat(answer.kind()).isEqualTo(Kind.SUCCEEDED);
        assertThat(answer.gatewayReference()).startsWith("pi_");
        assertThat(answer.chargeId()).startsWith("ch_");
        assertThat(simulator.charges()).singleElement().satisfies(charge -> {
            assertThat(charge.amountCents()).isEqualTo(3_500);
            assertThat(charge.requestId()).isEqualTo("rr-1");
            assertThat(charge.customer()).isEqualTo("cus_acme");
        });
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource({
            "pm_card_chargeDeclinedInsufficientFunds, DECLINED_SOFT, insufficient_funds",
            "pm_card_chargeDeclined,                  DECLINED_SOFT, generic_decline",
            "pm_card_chargeDeclinedProcessingError,   DECLINED_SOFT, processing_error",
            "pm_card_chargeDeclinedFraudulent,        DECLINED_HARD, fraudulent",
            "pm_card_chargeDeclinedLostCard,          DECLINED_HARD, lost_card",
            "pm_card_chargeDeclinedStolenCard,        DECLINED_HARD, stolen_card",
            "pm_card_chargeDeclinedExpiredCard,       DECLINED_HARD, expired_card",
            "pm_card_chargeDeclinedIncorrectCvc,      DECLINED_HARD, incorrect_cvc"})
    void shouldClassifyEachDecline(String paymentMethod, Kind kind, String declineCode) {
        GatewayAnswer answer = gateway.charge(charge("rr-decline", paymentMethod));

        assertThat(answer.kind()).isEqualTo(kind);
        assertThat(answer.declineCode()).isEqualTo(declineCode);
        assertThat(simulator.successfulChargesByRequestId()).isEmpty();
    }

    @Test
    void shouldCallA5xxUnknownAndChargeOnceWhenRetriedWithTheSameKey() {
        simulator.updateSettings(SimulatorSettings.defaults().toBuilder().errorRate(1.0).build());
        ChargeCommand command = charge("rr-5xx", "pm_card_visa");

        assertThat(gateway.charge(command).kind()).isEqualTo(Kind.UNKNOWN);

        simulator.updateSettings(SimulatorSettings.defaults());
        assertThat(gateway.charge(command).kind()).isEqualTo(Kind.SUCCEEDED);
        assertThat(gateway.charge(command).kind()).isEqualTo(Kind.SUCCEEDED);
        assertThat(simulator.successfulChargesByRequestId().get("rr-5xx")).hasSize(1);
    }

    @Test
    void shouldCallATimeoutAfterTheChargeUnknownThenFindTheSameChargeWithTheSameKey() {
        simulator.updateSettings(SimulatorSettings.defaults().toBuilder()
                .timeoutAfterCharge(Duration.ofSeconds(3), "pm_card_visa").build());
        ChargeCommand command = charge("rr-timeout", "pm_card_visa");

        GatewayAnswer lost = impatient.charge(command);
        assertThat(lost.kind()).isEqualTo(Kind.UNKNOWN);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(simulator.charges()).singleElement()
                .extracting(Charge::status).isEqualTo(ChargeStatus.SUCCEEDED));
        List<Charge> charged = simulator.charges();

        simulator.updateSettings(SimulatorSettings.defaults());
        GatewayAnswer retried = gateway.charge(command);
        assertThat(retried.kind()).isEqualTo(Kind.SUCCEEDED);
        assertThat(retried.gatewayReference()).isEqualTo(charged.get(0).paymentIntentId());
        assertThat(simulator.successfulChargesByRequestId().get("rr-timeout")).hasSize(1);
    }

    @Test
    void shouldLookUpACompletedChargeByRequestIdAfterALostAnswer() {
        simulator.updateSettings(SimulatorSettings.defaults().toBuilder()
                .timeoutAfterCharge(Duration.ofSeconds(3), "pm_card_visa").build());
        impatient.charge(charge("rr-lookup", "pm_card_visa"));
        await().atMost(Duration.ofSeconds(30)).until(() -> simulator.charges().size() == 1);

        Optional<GatewayAnswer> found = gateway.lookUp("rr-lookup", "pm_card_visa");

        assertThat(found).hasValueSatisfying(answer -> {
            assertThat(answer.kind()).isEqualTo(Kind.SUCCEEDED);
            assertThat(answer.gatewayReference()).isEqualTo(simulator.charges().get(0).paymentIntentId());
        });
        assertThat(gateway.lookUp("rr-never-charged", "pm_card_visa")).isEmpty();
    }

    @Test
    void shouldReportARateLimitWithoutCharging() {
        simulator.updateSettings(SimulatorSettings.defaults().toBuilder().rateLimitPerSecond(1).build());

        GatewayAnswer first = gateway.charge(charge("rr-rl-1", "pm_card_visa"));
        GatewayAnswer second = gateway.charge(charge("rr-rl-2", "pm_card_visa"));

        assertThat(first.kind()).isEqualTo(Kind.SUCCEEDED);
        assertThat(second.kind()).isEqualTo(Kind.RATE_LIMITED);
        assertThat(simulator.successfulChargesByRequestId()).containsOnlyKeys("rr-rl-1");
    }

    @Test
    void shouldCallARefusedRequestAnErrorNotADecline() {
        // 40 cents is under the gateway's minimum charge: refused before charging, whatever the card
        GatewayAnswer answer = gateway.charge(new ChargeCommand("rr-small", "acme", "cus_acme", "pm_card_visa", 40,
                "usd", ChargeCommand.idempotencyKey("rr-small", "pm_card_visa")));

        assertThat(answer.kind()).isEqualTo(Kind.ERROR);
        assertThat(simulator.charges()).isEmpty();
    }

    @Test
    void shouldHoldRatherThanFailCardsWhenTheGatewayRefusesTheApiKey() {
        StripeGateway wrongKey = new StripeGateway("pk_test_a_publishable_key", simulator.baseUrl(),
                Duration.ofSeconds(2));

        GatewayAnswer answer = wrongKey.charge(charge("rr-auth", "pm_card_visa"));

        assertThat(answer.kind()).isEqualTo(Kind.UNKNOWN);
        assertThat(simulator.charges()).isEmpty();
    }

    @Test
    void shouldCallTheSameKeyStillInFlightUnknownSoThatNoOtherCardIsTried() throws Exception {
        // the first call is still being processed when the second, with the same key, arrives: Stripe answers 409
        simulator.updateSettings(SimulatorSettings.defaults().toBuilder().latencyMs(1_500).build());
        ChargeCommand command = charge("rr-in-flight", "pm_card_visa");
        StripeGateway patient = new StripeGateway(API_KEY, simulator.baseUrl(), Duration.ofSeconds(5));
        java.util.concurrent.CompletableFuture<GatewayAnswer> first =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> patient.charge(command));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> simulator.paymentsInProgress() == 1);

        GatewayAnswer second = patient.charge(command);

        assertThat(second.kind()).isEqualTo(Kind.UNKNOWN);
        assertThat(first.get().kind()).isEqualTo(Kind.SUCCEEDED);
        assertThat(simulator.successfulChargesByRequestId().get("rr-in-flight")).hasSize(1);
    }

    private static ChargeCommand charge(String requestId, String paymentMethod) {
        return new ChargeCommand(requestId, "acme", "cus_acme", paymentMethod, 3_500, "usd",
                ChargeCommand.idempotencyKey(requestId, paymentMethod));
    }
}
