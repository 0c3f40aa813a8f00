package dev.meterflow.gatewaysim;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.model.Charge;
import com.stripe.model.PaymentIntent;
import com.stripe.net.RequestOptions;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.PaymentIntentRetrieveParams;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bank accounts (ACH Direct Debit, issue 10 §2) over real HTTP with stripe-java: a debit answers {@code processing},
 * then settles after the settlement delay, succeeded or returned with the bank's code.
 */
class BankDebitSimulatorTest {

    private static GatewaySimulator gateway;
    private static StripeClient stripe;

    @BeforeAll
    static void startGateway() {
        gateway = GatewaySimulator.start(0, SimulatorSettings.defaults());
        stripe = StripeClient.builder().setApiKey("sk_test_meterflow").setApiBase(gateway.baseUrl())
                .setReadTimeout(10_000).setMaxNetworkRetries(0).build();
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
    void shouldAnswerProcessingThenSettleAfterTheDelay() throws StripeException {
        // given a settlement delay far longer than the test takes
        gateway.updateSettings(SimulatorSettings.builder().achSettlementDelay(Duration.ofHours(1)).build());

        // when a bank account is debited
        PaymentIntent created = create("pm_usBankAccount_success", "rr-bank");

        // then it is processing, its charge pending, and it stays so until the delay has passed
        assertThat(created.getStatus()).isEqualTo("processing");
        assertThat(created.getPaymentMethodTypes()).containsExactly("us_bank_account");
        assertThat(retrieve(created.getId()).getStatus()).isEqualTo("processing");
        assertThat(gateway.charges()).singleElement().satisfies(
                charge -> assertThat(charge.status()).isEqualTo(ChargeStatus.PENDING));
        assertThat(gateway.successfulChargesByRequestId()).isEmpty();

        // when the delay is over
        gateway.updateSettings(SimulatorSettings.builder().achSettlementDelayMs(0).build());

        // then the same intent has succeeded, and so has its one charge
        PaymentIntent settled = retrieve(created.getId());
        assertThat(settled.getStatus()).isEqualTo("succeeded");
        assertThat(settled.getLatestChargeObject().getOutcome().getNetworkDeclineCode()).isNull();
        assertThat(gateway.charges()).singleElement().satisfies(
                charge -> assertThat(charge.status()).isEqualTo(ChargeStatus.SUCCEEDED));
        assertThat(gateway.successfulChargesByRequestId().get("rr-bank")).hasSize(1);
    }

    @ParameterizedTest(name = "{0} is returned {1} ({2})")
    @CsvSource({
        "pm_usBankAccount_insufficientFunds, R01, insufficient_funds",
        "pm_usBankAccount_accountClosed, R02, bank_account_closed",
        "pm_usBankAccount_noAccount, R03, bank_account_invalid_details",
        "pm_usBankAccount_debitNotAuthorized, R10, debit_not_authorized",
    })
    void shouldReturnADebitWithTheBanksCode(String paymentMethod, String returnCode, String declineCode)
            throws StripeException {
        PaymentIntent created = create(paymentMethod + "__acct-9", "rr-returned");
        assertThat(created.getStatus()).isEqualTo("processing");

        PaymentIntent settled = retrieve(created.getId());

        assertThat(settled.getStatus()).isEqualTo("requires_payment_method");
        assertThat(settled.getLastPaymentError().getDeclineCode()).isEqualTo(declineCode);
        Charge charge = settled.getLatestChargeObject();
        assertThat(charge.getStatus()).isEqualTo("failed");
        assertThat(charge.getOutcome().getNetworkDeclineCode()).isEqualTo(returnCode);
        assertThat(gateway.charges()).singleElement().satisfies(entry -> {
            assertThat(entry.status()).isEqualTo(ChargeStatus.FAILED);
            assertThat(entry.declineCode()).isEqualTo(declineCode);
        });
    }

    @Test
    void shouldKeepTheProcessingTokenProcessingWhateverTheDelay() throws StripeException {
        PaymentIntent created = create("pm_usBankAccount_processing", "rr-forever");

        assertThat(retrieve(created.getId()).getStatus()).isEqualTo("processing");
        assertThat(gateway.charges()).singleElement().satisfies(
                charge -> assertThat(charge.status()).isEqualTo(ChargeStatus.PENDING));
    }

    @Test
    void shouldReplayTheProcessingAnswerToTheSameKeyAndChargeOnce() throws StripeException {
        PaymentIntent first = create("pm_usBankAccount_success", "rr-twice");
        assertThat(retrieve(first.getId()).getStatus()).isEqualTo("succeeded");

        PaymentIntent again = create("pm_usBankAccount_success", "rr-twice");

        // Stripe replays the first answer to the same key: the intent as it was created
        assertThat(again.getId()).isEqualTo(first.getId());
        assertThat(again.getStatus()).isEqualTo("processing");
        assertThat(gateway.charges()).hasSize(1);
    }

    private static PaymentIntent create(String paymentMethod, String requestId) throws StripeException {
        PaymentIntentCreateParams params = PaymentIntentCreateParams.builder().setAmount(2500L).setCurrency("usd")
                .setCustomer("cus_a1").setPaymentMethod(paymentMethod).setConfirm(true).setOffSession(true)
                .putMetadata("requestId", requestId).putMetadata("accountId", "a1").build();
        return stripe.v1().paymentIntents().create(params,
                RequestOptions.builder().setIdempotencyKey("meterflow/" + requestId + "/" + paymentMethod).build());
    }

    private static PaymentIntent retrieve(String id) throws StripeException {
        return stripe.v1().paymentIntents().retrieve(id,
                PaymentIntentRetrieveParams.builder().addExpand("latest_charge").build());
    }
}
