package dev.meterflow.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meterflow.api.ApiStack;
import dev.meterflow.api.access.Role;
import dev.meterflow.api.readmodel.RecordProjector;
import dev.meterflow.api.readmodel.TestRecords;
import dev.meterflow.schemas.AccountSettings;
import dev.meterflow.schemas.LedgerEntry;
import dev.meterflow.schemas.LedgerEntryKind;
import dev.meterflow.schemas.PaymentMethodRef;
import dev.meterflow.schemas.PaymentMethodRole;
import dev.meterflow.schemas.PaymentMethodType;
import dev.meterflow.topics.Topic;
import dev.meterflow.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 11: the settings the page still lacked, over HTTP against a real broker and PostgreSQL: a payment
 * method's role, the service address and tax exemption, the plan fee's direct charge, an agency's sub-accounts
 * and the last tax charges; each refusal.
 */
class AccountSettingsIT {

    private static final String PASSWORD = "correct horse battery";
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @RegisterExtension
    static final ApiStack stack = ApiStack.perClass().withTopics(RecordProjector.TOPICS);

    @BeforeAll
    static void start() {
        seed();
        var auth = stack.api().authenticator();
        auth.createUser("admin@shop.example", PASSWORD, Role.ACCOUNT_ADMIN, "shop");
        auth.createUser("viewer@shop.example", PASSWORD, Role.BILLING_VIEWER, "shop");
        auth.createUser("admin@agency.example", PASSWORD, Role.AGENCY_ADMIN, "agency");
        auth.createUser("admin@sub-a.example", PASSWORD, Role.ACCOUNT_ADMIN, "sub-a");
        await().atMost(Duration.ofMinutes(1)).until(() -> stack.api().readModel().lag() == 0
                && signedIn("admin@shop.example").get("/api/v1/accounts/shop/taxes").json().path("charges").size() == 1
                && signedIn("admin@agency.example").get("/api/v1/accounts/agency/sub-accounts").json().size() == 2);
    }

    @Test
    void shouldMoveThePrimaryRoleToAnotherCardAndRefuseAnUnknownRoleOrCard() {
        ApiClient admin = signedIn("admin@shop.example");
        String methods = "/api/v1/accounts/shop/settings/payment-methods/";

        ApiClient.Response moved = admin.write("PUT", methods + "pm_card_mastercard/role", "{\"role\": \"PRIMARY\"}");

        assertThat(moved.status()).as(moved.body()).isEqualTo(200);
        JsonNode cards = admin.get("/api/v1/accounts/shop/summary").json().path("paymentMethods");
        assertThat(roleOf(cards, "pm_card_mastercard")).isEqualTo("PRIMARY");
        assertThat(roleOf(cards, "pm_card_visa")).as("it gave the role up").isEqualTo("OTHER");
        ApiClient.Response badRole = admin.write("PUT", methods + "pm_card_visa/role", "{\"role\": \"BOSS\"}");
        assertThat(badRole.status()).isEqualTo(400);
        assertThat(badRole.json().path("message").asText()).contains("PRIMARY, BACKUP or NONE");
        assertThat(admin.write("PUT", methods + "pm_nope/role", "{\"role\": \"BACKUP\"}").error())
                .isEqualTo("unknown_payment_method");
        assertThat(signedIn("viewer@shop.example").write("PUT", methods + "pm_card_visa/role",
                "{\"role\": \"PRIMARY\"}").status()).isEqualTo(403);
    }

    @Test
    void shouldAddACardWithItsExpiryKeepItThroughARoleChangeAndRefuseAnImpossibleOne() {
        // issue 10 §6: the expiry decides when a hard-declined card may be charged again
        ApiClient admin = signedIn("admin@shop.example");
        String methods = "/api/v1/accounts/shop/settings/payment-methods";

        ApiClient.Response added = admin.write("POST", methods, "{\"paymentMethodId\": \"pm_card_amex\","
                + " \"brand\": \"amex\", \"last4\": \"8431\", \"role\": \"OTHER\", \"expMonth\": 9,"
                + " \"expYear\": 2029}");
        ApiClient.Response roleChanged = admin.write("PUT", methods + "/pm_card_amex/role", "{\"role\": \"NONE\"}");
        ApiClient.Response impossible = admin.write("POST", methods, "{\"paymentMethodId\": \"pm_card_jcb\","
                + " \"brand\": \"jcb\", \"last4\": \"0505\", \"expMonth\": 13, \"expYear\": 2029}");

        assertThat(added.status()).as(added.body()).isEqualTo(200);
        assertThat(roleChanged.status()).as(roleChanged.body()).isEqualTo(200);
        JsonNode amex = methodNamed(admin.get("/api/v1/accounts/shop/summary").json().path("paymentMethods"),
                "pm_card_amex");
        assertThat(amex.path("expMonth").asInt()).isEqualTo(9);
        assertThat(amex.path("expYear").asInt()).isEqualTo(2029);
        assertThat(impossible.status()).isEqualTo(400);
        assertThat(impossible.json().path("message").asText())
                .isEqualTo("The expiry month 13 is not a month: it must be 1 to 12.");
    }

    @Test
    void shouldRefuseAPaymentOnASubAccountBeforeWritingItWithThePipelinesWords() {
        // issue 10 §5: a sub-account's usage is debited from its agency, so the agency pays
        ApiClient.Response pay = signedIn("admin@sub-a.example").write("POST", "/api/v1/accounts/sub-a/payments",
                "{\"amountCents\": 500}", "Idempotency-Key", "sub-a-pays-1");

        assertThat(pay.status()).as(pay.body()).isEqualTo(409);
        assertThat(pay.error()).isEqualTo("sub_account_pays_via_parent");
        assertThat(pay.json().path("message").asText()).isEqualTo("This account's usage is paid from its agency's"
                + " balance ('agency'): make the payment on the agency's account.");
    }

    @Test
    void shouldRefuseASubAccountsPaymentMethodsAutoRechargeAndPlanFeeAsThePageDoesAndWriteNothing() {
        // issue 12: the metering app never applies a sub-account's own (its agency's are), so saving them would
        // answer "applied" for settings that do nothing
        ApiClient subAdmin = signedIn("admin@sub-a.example");
        String account = "/api/v1/accounts/sub-a";
        JsonNode before = subAdmin.get(account + "/summary").json();
        Map<String, String[]> agencys = new LinkedHashMap<>();
        agencys.put("auto-recharge", new String[] {"PUT", account + "/settings/auto-recharge", "{\"enabled\": true,"
                + " \"mode\": \"TOP_UP_TO_TARGET\", \"thresholdCents\": 500, \"targetCents\": 6000}"});
        agencys.put("add card", new String[] {"POST", account + "/settings/payment-methods", "{\"paymentMethodId\":"
                + " \"pm_card_mastercard\", \"brand\": \"mastercard\", \"last4\": \"4444\", \"role\": \"BACKUP\"}"});
        agencys.put("role", new String[] {"PUT", account + "/settings/payment-methods/pm_card_visa/role",
                "{\"role\": \"BACKUP\"}"});
        agencys.put("remove card", new String[] {"DELETE", account + "/settings/payment-methods/pm_card_visa", ""});
        agencys.put("plan fee", new String[] {"PUT", account + "/settings/plan-fee", "{\"directCharge\": true}"});

        agencys.forEach((what, request) -> {
            ApiClient.Response refused = subAdmin.write(request[0], request[1], request[2]);
            assertThat(refused.status()).as(what + ": " + refused.body()).isEqualTo(409);
            assertThat(refused.error()).as(what).isEqualTo("sub_account_pays_via_parent");
            assertThat(refused.json().path("message").asText()).as(what)
                    .startsWith("'sub-a' is billed to its agency 'agency': ");
        });
        ApiClient.Response agencyAdmin = signedIn("admin@agency.example").write("PUT", account + "/settings/plan-fee",
                "{\"directCharge\": true}");
        ApiClient.Response phone = subAdmin.write("PUT", account + "/settings/critical-billing-phone",
                "{\"phone\": \"+14155550123\"}");

        assertThat(agencyAdmin.status()).as("the agency's admin too: the agency's own opt-in decides").isEqualTo(409);
        assertThat(agencyAdmin.json().path("message").asText()).contains("its plan fee is paid as the agency's opt-in");
        assertThat(phone.status()).as("what the sub-account's own settings do decide: " + phone.body()).isEqualTo(200);
        JsonNode after = subAdmin.get(account + "/summary").json();
        assertThat(after.path("paymentMethods")).isEqualTo(before.path("paymentMethods"));
        assertThat(after.path("autoRecharge")).isEqualTo(before.path("autoRecharge"));
        assertThat(after.path("directChargePlanFee")).isEqualTo(before.path("directChargePlanFee"));
    }

    @Test
    void shouldSaveTheServiceAddressAndRefuseAnIncompleteOne() {
        ApiClient admin = signedIn("admin@shop.example");
        String path = "/api/v1/accounts/shop/settings/service-address";

        ApiClient.Response saved = admin.write("PUT", path, "{\"line1\": \"1 Main St\", \"city\": \"Austin\","
                + " \"region\": \"TX\", \"postalCode\": \"78701\", \"country\": \"US\"}");

        assertThat(saved.status()).as(saved.body()).isEqualTo(200);
        assertThat(admin.get("/api/v1/accounts/shop/summary").json().path("serviceAddress").path("line1").asText())
                .isEqualTo("1 Main St");
        assertThat(admin.write("PUT", path, "{\"line1\": \"1 Main St\", \"region\": \"TX\", \"postalCode\": \"1\","
                + " \"country\": \"US\"}").json().path("message").asText()).isEqualTo("the service address needs city.");
        assertThat(admin.write("PUT", path, "{\"line1\": \"1 Main St\", \"city\": \"Austin\", \"region\": \"TX\","
                + " \"postalCode\": \"78701\", \"country\": \"USA\"}").json().path("message").asText())
                .contains("two-letter ISO code");
    }

    @Test
    void shouldTurnOnTheTaxExemptionWithItsNoteAndTheDirectPlanFee() {
        ApiClient admin = signedIn("admin@shop.example");
        String account = "/api/v1/accounts/shop";

        assertThat(admin.write("PUT", account + "/settings/tax-exemption", "{\"taxExempt\": true}").status())
                .isEqualTo(200);
        assertThat(admin.write("PUT", account + "/settings/plan-fee", "{\"directCharge\": true}").status())
                .isEqualTo(200);

        JsonNode taxes = admin.get(account + "/taxes").json();
        assertThat(taxes.path("taxExempt").asBoolean()).isTrue();
        assertThat(taxes.path("exemptionNote").asText()).contains("exemption certificate");
        assertThat(admin.get(account + "/summary").json().path("directChargePlanFee").asBoolean()).isTrue();
        assertThat(admin.write("PUT", account + "/settings/tax-exemption", "{}").error()).isEqualTo("malformed_body");
        assertThat(admin.write("PUT", account + "/settings/plan-fee", "{\"directCharge\": \"yes\"}").status())
                .isEqualTo(400);
    }

    @Test
    void shouldListTheLastTaxChargesWithPeriodJurisdictionBaseAndRate() {
        ApiClient admin = signedIn("admin@shop.example");

        JsonNode charge = admin.get("/api/v1/accounts/shop/taxes").json().path("charges").get(0);

        assertThat(charge.path("amount").asText()).isEqualTo("-$8.25");
        assertThat(charge.path("period").asText()).isEqualTo("2026-10");
        assertThat(charge.path("jurisdiction").asText()).isEqualTo("US-TX");
        assertThat(charge.path("taxableBase").asText()).isEqualTo("$100.00");
        assertThat(charge.path("rate").asText()).isEqualTo("8.25%");
        assertThat(admin.get("/api/v1/accounts/shop/taxes?limit=0").error()).isEqualTo("bad_limit");
        assertThat(signedIn("admin@sub-a.example").get("/api/v1/accounts/shop/taxes").error())
                .isEqualTo("unknown_account");
    }

    @Test
    void shouldListAnAgencysSubAccountsToItsAdminOnly() {
        JsonNode subs = signedIn("admin@agency.example").get("/api/v1/accounts/agency/sub-accounts").json();
        ApiClient subAdmin = signedIn("admin@sub-a.example");

        assertThat(subs).extracting(node -> node.path("accountId").asText()).containsExactly("sub-a", "sub-b");
        assertThat(subs.get(0).path("balance").asText()).isEqualTo("$12.00");
        assertThat(subAdmin.get("/api/v1/accounts/agency/sub-accounts").error()).isEqualTo("unknown_account");
        assertThat(subAdmin.get("/api/v1/accounts/sub-a/sub-accounts").json()).isEmpty();
    }

    /** Issue 14 §1: the read model's lag per partition, its batch write time and requests by route template. */
    @Test
    void shouldMeasureRequestsByRouteTemplateAndTheReadModelsLagPerPartition() {
        assertThat(signedIn("admin@shop.example").get("/api/v1/accounts/shop/summary").status()).isEqualTo(200);

        String metrics = stack.api().scrapeMetrics();

        assertThat(stack.api().notReady()).as("caught up, the database answers").isEmpty();
        assertThat(metrics).containsPattern("meterflow_api_requests_seconds_count\\{[^}]*method=\"GET\",[^}]*"
                + "route=\"/api/v1/accounts/\\{accountId}/summary\",status=\"200\"}");
        assertThat(metrics).as("no account id as a tag").doesNotContain("route=\"/api/v1/accounts/shop");
        assertThat(metrics).containsPattern("meterflow_read_model_lag_records\\{[^}]*partition=\"1\",topic=\"ledger-entries\"}"
                + " 0.0");
        assertThat(metrics).containsPattern("meterflow_read_model_batch_write_seconds_count\\{[^}]*} [1-9]");
    }

    /** Issue 11: the read model's consumer has Kafka's own meters on /metrics, like the apps' clients. */
    @Test
    void shouldServeTheReadModelConsumersKafkaMeters() {
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> assertThat(stack.api().scrapeMetrics())
                .containsPattern("kafka_consumer_fetch_manager_records_lag\\{[^}]*app=\"billing-api\"[^}]*"
                        + "partition=\"1\",topic=\"ledger-entries\"}")
                .containsPattern("kafka_consumer_fetch_manager_records_consumed_total\\{[^}]*app=\"billing-api\""));
    }

    private static String roleOf(JsonNode cards, String paymentMethodId) {
        for (JsonNode card : cards) {
            if (card.path("paymentMethodId").asText().equals(paymentMethodId)) {
                return card.path("role").asText();
            }
        }
        return null;
    }

    private static JsonNode methodNamed(JsonNode cards, String paymentMethodId) {
        for (JsonNode card : cards) {
            if (card.path("paymentMethodId").asText().equals(paymentMethodId)) {
                return card;
            }
        }
        throw new AssertionError(paymentMethodId + " is not listed: " + cards);
    }

    private static void seed() {
        AccountSettings shop = TestRecords.settings("shop", NOW.minusSeconds(3600));
        List<PaymentMethodRef> cards = new ArrayList<>(shop.getPaymentMethods());
        cards.add(PaymentMethodRef.newBuilder().setPaymentMethodId("pm_card_mastercard").setCustomerId("cus_shop")
                .setType(PaymentMethodType.CARD).setBrand("mastercard").setLast4("4444")
                .setRole(PaymentMethodRole.BACKUP).build());
        shop.setPaymentMethods(cards);
        send(Topics.ACCOUNT_SETTINGS, "shop", shop);
        send(Topics.ACCOUNT_SETTINGS, "agency", TestRecords.settings("agency", NOW.minusSeconds(3600)));
        for (String sub : List.of("sub-a", "sub-b")) {
            AccountSettings settings = TestRecords.settings(sub, NOW.minusSeconds(3600));
            settings.setParentAccountId("agency");
            send(Topics.ACCOUNT_SETTINGS, sub, settings);
            send(Topics.ACCOUNT_BALANCES, sub, TestRecords.balance(sub, 12_000_000, NOW));
        }
        LedgerEntry tax = LedgerEntry.newBuilder(TestRecords.usageEntry("shop", "tax-1", -8_250_000, 91_750_000,
                        NOW.minusSeconds(60))).setEntryId("tax:shop:2026-10").setKind(LedgerEntryKind.TAX)
                .setSku(null).setQuantity(0).setSourceId("2026-10").setTaxPeriod("2026-10")
                .setTaxJurisdiction("US-TX").setTaxableBaseMicros(100_000_000L).setTaxRatePpm(82_500L).build();
        send(Topics.LEDGER_ENTRIES, "shop", tax);
        stack.kafka().flush();
    }

    private static <V> void send(Topic<String, V> topic, String key, V value) {
        stack.kafka().send(topic, key, value);
    }

    private static ApiClient signedIn(String email) {
        ApiClient client = new ApiClient(stack.base());
        assertThat(client.login(email, PASSWORD).status()).isEqualTo(200);
        return client;
    }
}
