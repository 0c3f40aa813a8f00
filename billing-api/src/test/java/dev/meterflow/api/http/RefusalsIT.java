package dev.meterflow.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meterflow.api.ApiStack;
import dev.meterflow.api.access.Role;
import dev.meterflow.api.readmodel.TestRecords;
import dev.meterflow.metering.MeteringService;
import dev.meterflow.metering.config.MeteringConfig;
import dev.meterflow.schemas.AccountSettings;
import dev.meterflow.schemas.AutoRecharge;
import dev.meterflow.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11: what the pipeline refuses reaches the read model, and the API's bounded wait answers "refused" with
 * the pipeline's message instead of "saved" or "still applying". Over HTTP, on a real broker with the metering
 * topology running: the refusals are the pipeline's own, on {@code account-settings-rejected} and
 * {@code payment-commands-rejected}.
 */
class RefusalsIT {

    private static final String PASSWORD = "correct horse battery";
    private static final String METERING = "refusals-it-metering";

    @TempDir
    static Path stateDir;

    @RegisterExtension
    static final ApiStack stack = ApiStack.perClass().awaitingMetering(METERING, Duration.ofSeconds(60));
    private static MeteringService metering;

    @BeforeAll
    static void start() {
        Properties meteringProps = new Properties();
        meteringProps.setProperty(MeteringConfig.BOOTSTRAP_SERVERS.name(), stack.kafka().bootstrapServers());
        meteringProps.setProperty(MeteringConfig.APPLICATION_ID.name(), METERING);
        meteringProps.setProperty(MeteringConfig.STATE_DIR.name(), stateDir.toString());
        // below the API's own cap ($10,000), so the API lets these through and the pipeline refuses them
        meteringProps.setProperty(MeteringConfig.MAX_RECHARGE_AMOUNT.name(), "100");
        metering = new MeteringService(MeteringConfig.from(meteringProps)).start();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        AccountSettings cardless = TestRecords.settings("cardless", now);
        AccountSettings withoutCards = AccountSettings.newBuilder(cardless).setAutoRecharge(AutoRecharge.newBuilder(
                cardless.getAutoRecharge()).setEnabled(false).build()).setPaymentMethods(List.of()).build();
        for (AccountSettings settings : List.of(TestRecords.settings("acme", now), withoutCards)) {
            stack.kafka().publish(Topics.ACCOUNT_SETTINGS, settings.getAccountId(), settings);
        }
        stack.api().authenticator().createUser("admin@acme.example", PASSWORD, Role.ACCOUNT_ADMIN, "acme");
        stack.api().authenticator().createUser("admin@cardless.example", PASSWORD, Role.ACCOUNT_ADMIN, "cardless");
        await().atMost(Duration.ofMinutes(2)).until(() -> signedIn("admin@cardless.example")
                .get("/api/v1/accounts/cardless/summary").status() == 200);
    }

    @AfterAll
    static void stop() {
        if (metering != null) {
            metering.close();
        }
    }

    @Test
    void shouldAnswerASettingsChangeThePipelineRefusesWithItsMessageAndLogIt() {
        ApiClient admin = signedIn("admin@acme.example");
        String account = "/api/v1/accounts/acme";

        ApiClient.Response refused = admin.write("PUT", account + "/settings/auto-recharge",
                "{\"enabled\": true, \"mode\": \"TOP_UP_TO_TARGET\", \"thresholdCents\": 2000, \"targetCents\": 50000,"
                        + " \"amountCents\": 0}");

        assertThat(refused.status()).as(refused.body()).isEqualTo(422);
        assertThat(refused.error()).isEqualTo("refused");
        assertThat(refused.json().path("message").asText()).startsWith("Refused: ").contains("100");
        assertThat(admin.get(account + "/summary").json().path("autoRecharge").path("targetMicros").asLong())
                .as("the account keeps its previous settings").isEqualTo(50_000_000L);
        JsonNode log = admin.get(account + "/billing-log?kind=SETTINGS_REFUSED").json().path("lines");
        assertThat(log).singleElement().satisfies(entry -> {
            assertThat(entry.path("summary").asText()).contains("refused");
            assertThat(entry.path("actor").asText()).isEqualTo("user:admin@acme.example");
        });
    }

    @Test
    void shouldAnswerASettingsChangeThePipelineAcceptsAsApplied() {
        ApiClient admin = signedIn("admin@acme.example");

        ApiClient.Response saved = admin.write("PUT", "/api/v1/accounts/acme/settings/billing-emails",
                "{\"emails\": [\"books@acme.example\"]}");

        assertThat(saved.status()).as(saved.body()).isEqualTo(200);
        assertThat(saved.json().path("status").asText()).isEqualTo("applied");
        assertThat(admin.get("/api/v1/accounts/acme/summary").json().path("billingEmails").toString())
                .isEqualTo("[\"books@acme.example\"]");
    }

    @Test
    void shouldAnswerAPaymentThePipelineRefusesWithItsMessageAndShowItRefused() {
        ApiClient admin = signedIn("admin@cardless.example");
        String account = "/api/v1/accounts/cardless";

        ApiClient.Response refused = admin.write("POST", account + "/payments", "{\"amountCents\": 2500}",
                "Idempotency-Key", "no-card");

        assertThat(refused.status()).as(refused.body()).isEqualTo(422);
        assertThat(refused.error()).isEqualTo("refused");
        assertThat(refused.json().path("message").asText()).startsWith("Refused: ");
        JsonNode requested = admin.get(account + "/payments").json().path("requested");
        assertThat(requested).singleElement().satisfies(payment -> {
            assertThat(payment.path("status").asText()).isEqualTo("REFUSED");
            assertThat(payment.path("refusal").asText()).isEqualTo(refused.json().path("message").asText()
                    .substring("Refused: ".length()));
        });
        assertThat(admin.get(account + "/billing-log?kind=PAYMENT_REFUSED").json().path("lines"))
                .singleElement().satisfies(entry -> assertThat(entry.path("summary").asText())
                        .startsWith("Payment of $25.00 refused, nothing charged: "));
    }

    private static ApiClient signedIn(String email) {
        ApiClient client = new ApiClient(stack.base());
        assertThat(client.login(email, PASSWORD).status()).isEqualTo(200);
        return client;
    }
}
