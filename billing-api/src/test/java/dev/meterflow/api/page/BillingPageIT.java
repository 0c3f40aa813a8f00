package dev.meterflow.api.page;

import static dev.meterflow.api.page.PageStack.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 12: the Billing Settings page's refusals over plain HTTP, as a browser without JavaScript meets them:
 * another account's page, a viewer's write, a form without its CSRF token, repeated bad passwords, and a
 * refused form that keeps what was typed.
 */
class BillingPageIT {

    private static final String ACME = "/billing/accounts/acme";
    private static final String AGENCY = "/billing/accounts/agency";
    private static final String SUB = "/billing/accounts/agency-sub-1";
    /** Issue 12's forms of the remaining sections, each with fields it would accept. */
    private static final Map<String, Map<String, String>> NEW_FORMS = Map.of(
            "/plan-fee", Map.of("directCharge", "on"),
            "/billing-emails", Map.of("email", "forged@acme.example"),
            "/billing-emails/remove", Map.of("email", "billing@acme.example"),
            "/service-address", Map.of("line1", "1 Forged Way", "city", "Austin", "region", "TX",
                    "postalCode", "78701", "country", "US"),
            "/tax-exemption", Map.of("taxExempt", "on"));

    private static PageStack stack;

    @BeforeAll
    static void start() {
        stack = PageStack.start(false);
        PageBrowser admin = signedIn("admin@acme.example");
        await().atMost(Duration.ofMinutes(1)).until(() -> admin.get(ACME).status() == 200
                && admin.get("/billing/accounts/other").status() != 200);
        PageBrowser agent = signedIn("agent@agency.example");
        await().atMost(Duration.ofMinutes(1)).until(() -> agent.get(AGENCY).body().contains("agency-sub-2"));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void shouldSendAVisitorWhoIsNotSignedInToTheSignInPage() {
        PageBrowser.Page page = new PageBrowser(stack.baseUrl()).get(ACME);

        assertThat(page.status()).isEqualTo(303);
        assertThat(page.location()).isEqualTo("/billing/sign-in");
    }

    @Test
    void shouldShowTheSectionsInTheHelpPagesOrder() {
        String body = signedIn("admin@acme.example").get(ACME).body();

        assertThat(body).containsSubsequence("Payment Methods", "Balance Auto Recharge Settings",
                "Critical Billing Phone Number", "Users who Receive Billing Emails", "Make a Payment",
                "Opt-in Direct Charge for Plan Subscription", "Account Payment History", "Billing Logs",
                "Service Address", "Taxes and Fees", "Printable Statements");
        assertThat(body).contains("Visa", "4242", "Primary", "a primary and a backup card");
        assertThat(body).as("issue 10 §6: the card's expiry on its row").contains("expires 08/2030");
    }

    @Test
    void shouldAnswerAnotherAccountsPageAsNotFound() {
        PageBrowser other = signedIn("admin@other.example");

        PageBrowser.Page page = other.get(ACME);
        PageBrowser.Page write = other.post(ACME + "/critical-billing-phone", other.withToken(
                "/billing/accounts/other", Map.of("phone", "+14155550123")));

        assertThat(page.status()).isEqualTo(404);
        assertThat(page.body()).contains("No account 'acme' is visible to you.");
        assertThat(write.status()).isEqualTo(404);
    }

    @Test
    void shouldRefuseAViewersWrite() {
        PageBrowser viewer = signedIn("viewer@acme.example");

        PageBrowser.Page page = viewer.get(ACME);
        PageBrowser.Page write = viewer.post(ACME + "/auto-recharge", viewer.withToken(ACME, Map.of(
                "enabled", "on", "mode", "TOP_UP_TO_TARGET", "threshold", "5", "target", "60")));

        assertThat(page.body()).contains("changes need an account admin").doesNotContain("Save auto recharge");
        assertThat(write.status()).isEqualTo(403);
        assertThat(write.body()).contains("can view this account's billing but not change it");
    }

    @Test
    void shouldRefuseAFormWithoutItsCsrfToken() {
        PageBrowser admin = signedIn("admin@acme.example");

        PageBrowser.Page forged = admin.post(ACME + "/critical-billing-phone", Map.of("phone", "+14155550100"));

        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.body()).contains("Reload the page and try again");
        assertThat(admin.get(ACME).body()).doesNotContain("+14155550100");
    }

    @Test
    void shouldLockTheSignInAfterRepeatedBadPasswords() {
        PageBrowser browser = new PageBrowser(stack.baseUrl());
        PageBrowser.Page wrong = browser.signIn("locked@acme.example", "not the password");
        for (int i = 0; i < 4; i++) {
            browser.signIn("locked@acme.example", "not the password " + i);
        }

        PageBrowser.Page locked = browser.signIn("locked@acme.example", PASSWORD);

        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.body()).contains("Wrong email or password.").contains("value=\"locked@acme.example\"");
        assertThat(locked.status()).isEqualTo(423);
        assertThat(locked.body()).contains("sign-in is locked until");
    }

    @Test
    void shouldShowAProblemNextToItsFieldAndKeepWhatWasTyped() {
        PageBrowser admin = signedIn("admin@acme.example");

        PageBrowser.Page refused = admin.post(ACME + "/auto-recharge", admin.withToken(ACME, Map.of(
                "enabled", "on", "mode", "TOP_UP_TO_TARGET", "threshold", "ten dollars", "target", "75")));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("id=\"threshold-error\"")
                .contains("The threshold must be a dollar amount such as 25 or 25.50.")
                .contains("value=\"ten dollars\"").contains("value=\"75\"");
    }

    @Test
    void shouldRefusePayPalInTheHelpPagesWords() {
        PageBrowser admin = signedIn("admin@acme.example");

        PageBrowser.Page refused = admin.post(ACME + "/payment-methods", admin.withToken(ACME, Map.of(
                "card", "pm_paypal_test", "role", "BACKUP")));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("We bill in US dollars and do not accept PayPal or Diners Club.");
    }

    @Test
    void shouldShowAnImpossibleExpiryNextToItsFieldsAndKeepWhatWasTyped() {
        PageBrowser admin = signedIn("admin@acme.example");

        PageBrowser.Page refused = admin.post(ACME + "/payment-methods", admin.withToken(ACME, Map.of(
                "card", "pm_card_mastercard", "role", "BACKUP", "expMonth", "13", "expYear", "2029")));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("id=\"expiry-error\"", "The expiry month 13 is not a month: it must be 1 to 12.")
                .contains("value=\"13\"", "value=\"2029\"");
        assertThat(admin.get(ACME).body()).doesNotContain("<td>Mastercard</td>");
    }

    @Test
    void shouldRefuseACardThatHasAlreadyExpired() {
        PageBrowser admin = signedIn("admin@acme.example");

        PageBrowser.Page refused = admin.post(ACME + "/payment-methods", admin.withToken(ACME, Map.of(
                "card", "pm_card_amex", "role", "OTHER", "expMonth", "1", "expYear", "2020")));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("This card expired at the end of 01/2020: add a card that is still valid.")
                .contains("value=\"1\"", "value=\"2020\"");
    }

    @Test
    void shouldRefuseAnExpiryForABankAccount() {
        PageBrowser admin = signedIn("admin@acme.example");

        PageBrowser.Page refused = admin.post(ACME + "/payment-methods", admin.withToken(ACME, Map.of(
                "token", "pm_bank_test", "brand", "bank", "last4", "6789", "role", "OTHER", "expMonth", "4",
                "expYear", "2030")));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("A bank account has no expiry: leave the month and year empty.")
                .contains("value=\"pm_bank_test\"");
    }

    @Test
    void shouldShowASubAccountWhatItIsBilledToInsteadOfFormsItCannotUse() {
        for (String email : new String[] {"agent@agency.example", "admin@agency-sub-1.example"}) {
            PageBrowser user = signedIn(email);

            String page = user.get(SUB).body();

            assertThat(page).as(email).contains("id=\"billed-to\"", "Billed to its agency", "<strong id=\"billed-to-agency\">agency</strong>",
                    "Usage billed to agency", "Save phone number", "Add email", "Save service address")
                    .doesNotContain("id=\"add-payment-method\"", "id=\"auto-recharge-form\"",
                            "id=\"payment-form\"", "Pay now", "id=\"plan-fee-form\"");
        }
    }

    @Test
    void shouldRefuseASubAccountsPaymentMethodsAutoRechargeAndPaymentWithTheReason() {
        PageBrowser admin = signedIn("admin@agency-sub-1.example");
        Map<String, Map<String, String>> unused = Map.of(
                "/payment-methods", Map.of("card", "pm_card_mastercard", "role", "BACKUP"),
                "/payment-methods/remove", Map.of("paymentMethodId", "pm_card_visa"),
                "/payment-methods/role", Map.of("paymentMethodId", "pm_card_visa", "role", "BACKUP"),
                "/auto-recharge", Map.of("enabled", "on", "mode", "TOP_UP_TO_TARGET", "threshold", "5",
                        "target", "60"));

        unused.forEach((path, fields) -> {
            PageBrowser.Page refused = admin.post(SUB + path, admin.withToken(SUB, fields));
            assertThat(refused.status()).as(path).isEqualTo(409);
            assertThat(refused.body()).as(path).contains("is billed to its agency 'agency': the agency's"
                    + " auto recharge and payment methods pay for its usage");
        });
        PageBrowser.Page payment = admin.post(SUB + "/payments", admin.withToken(SUB, Map.of("amount", "20",
                "paymentKey", "sub-payment")));

        assertThat(payment.status()).isEqualTo(409);
        assertThat(payment.body()).contains("make the payment on the agency's account");
        assertThat(admin.get(SUB).body()).doesNotContain("<td>Mastercard</td>");
    }

    @Test
    void shouldRenderTheStatementDialogOpenWhenItsLinkIsFollowedWithoutJavaScript() {
        PageBrowser admin = signedIn("admin@acme.example");

        String closed = admin.get(ACME).body();
        String open = admin.get(ACME + "?statements=open").body();

        assertThat(closed).contains("<a class=\"button secondary\" id=\"statement-open\" href=\"" + ACME
                        + "?statements=open#statement-dialog\"", "Print or send a statement…")
                .contains("<dialog id=\"statement-dialog\" aria-labelledby=\"statement-dialog-title\">");
        assertThat(open).contains("<dialog id=\"statement-dialog\" aria-labelledby=\"statement-dialog-title\" open>")
                .containsSubsequence("<dialog id=\"statement-dialog\"", "id=\"statement-dialog-title\"",
                        "id=\"statement-close\" href=\"" + ACME + "#printable-statements\"", "id=\"statement-view\"",
                        "id=\"statement-send\"", "<label for=\"statement-email\">", "id=\"statement-schedule\"",
                        "</dialog>");
    }

    @Test
    void shouldReopenTheStatementDialogWithTheProblemNextToTheFieldAndWhatWasTyped() {
        PageBrowser admin = signedIn("admin@acme.example");

        PageBrowser.Page refused = admin.post(ACME + "/statements/send", admin.withToken(ACME, Map.of(
                "from", "2026-10-01", "to", "2026-10-31", "email", "not-an-address", "statementKey", "bad-address")));
        PageBrowser.Page schedule = admin.post(ACME + "/statements/schedules", admin.withToken(ACME, Map.of(
                "cadence", "WEEKLY", "email", "nobody")));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("aria-labelledby=\"statement-dialog-title\" open>")
                .containsSubsequence("id=\"statement-email\"", "value=\"not-an-address\"",
                        "aria-invalid=\"true\"", "id=\"statement-email-error\"",
                        "'not-an-address' is not an email address.", "</dialog>");
        assertThat(schedule.status()).isEqualTo(400);
        assertThat(schedule.body()).contains("aria-labelledby=\"statement-dialog-title\" open>")
                .containsSubsequence("id=\"schedule-email\"", "value=\"nobody\"", "id=\"schedule-error\"",
                        "</dialog>");
    }

    @Test
    void shouldRefuseASubAccountsPlanFeeOptInWithTheReason() {
        PageBrowser admin = signedIn("admin@agency-sub-1.example");

        PageBrowser.Page refused = admin.post(SUB + "/plan-fee", admin.withToken(SUB, Map.of("directCharge", "on")));

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.body()).contains("is billed to its agency 'agency': its plan fee is paid as the agency's"
                + " opt-in for direct charge says");
    }

    @Test
    void shouldLetTheApiTakeTheCsrfTokenAsAFormField() {
        PageBrowser admin = signedIn("admin@acme.example");
        String token = admin.withToken(ACME, Map.of()).get("csrfToken");

        PageBrowser.Page withField = admin.send(HttpRequest.newBuilder(URI.create(stack.baseUrl()
                        + "/api/v1/accounts/acme/settings/payment-methods/pm_unknown"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .method("DELETE", HttpRequest.BodyPublishers.ofString("csrfToken=" + token)).build());

        assertThat(withField.status()).as("past the CSRF check, refused for the unknown method").isEqualTo(404);
        assertThat(withField.body()).contains("unknown_payment_method");
    }

    @Test
    void shouldServeHtmxFromItsWebjar() {
        PageBrowser.Page script = new PageBrowser(stack.baseUrl()).get(PageFormat.HTMX);

        assertThat(script.status()).isEqualTo(200);
        assertThat(script.body()).contains("htmx");
    }

    @Test
    void shouldSignOutSoTheCookieNoLongerOpensThePage() {
        PageBrowser admin = signedIn("admin@acme.example");

        PageBrowser.Page out = admin.post("/billing/sign-out", admin.withToken(ACME, Map.of()));

        assertThat(out.location()).isEqualTo("/billing/sign-in?signedOut=true");
        assertThat(admin.get(ACME).status()).isEqualTo(303);
    }

    @Test
    void shouldRefuseASignInFormWithoutItsToken() {
        PageBrowser browser = new PageBrowser(stack.baseUrl());

        PageBrowser.Page forged = browser.post("/billing/sign-in", Map.of("email", "admin@acme.example",
                "password", PASSWORD));

        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.body()).contains("This sign-in form did not come from this page")
                .contains("value=\"admin@acme.example\"");
        assertThat(browser.get(ACME).status()).as("not signed in").isEqualTo(303);
    }

    @Test
    void shouldRefuseASignInFormCarryingAnotherBrowsersToken() {
        PageBrowser attacker = new PageBrowser(stack.baseUrl());
        PageBrowser victim = new PageBrowser(stack.baseUrl());
        Map<String, String> attackersForm = attacker.withToken("/billing/sign-in", Map.of(
                "email", "admin@acme.example", "password", PASSWORD));
        victim.get("/billing/sign-in");

        PageBrowser.Page forged = victim.post("/billing/sign-in", attackersForm);

        assertThat(forged.status()).isEqualTo(403);
        assertThat(victim.get(ACME).status()).isEqualTo(303);
        assertThat(attacker.post("/billing/sign-in", attackersForm).status()).as("its own page's form")
                .isEqualTo(303);
    }

    @Test
    void shouldRefuseASignInThroughTheApiThatAFormOnAnotherSiteCouldSend() {
        PageBrowser browser = new PageBrowser(stack.baseUrl());
        String json = "{\"email\": \"admin@acme.example\", \"password\": \"" + PASSWORD + "\"}";

        PageBrowser.Page textPlain = browser.send(HttpRequest.newBuilder(URI.create(stack.baseUrl()
                + "/api/v1/session")).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());

        assertThat(textPlain.status()).isEqualTo(415);
        assertThat(textPlain.body()).contains("Content-Type: application/json");
        assertThat(browser.get(ACME).status()).as("not signed in").isEqualTo(303);
    }

    @Test
    void shouldRefuseTheNewFormsWithoutTheirCsrfToken() {
        PageBrowser admin = signedIn("admin@acme.example");

        NEW_FORMS.forEach((path, fields) -> assertThat(admin.post(ACME + path, fields).status()).as(path)
                .isEqualTo(403));

        assertThat(admin.get(ACME).body()).doesNotContain("forged@acme.example", "1 Forged Way")
                .contains("billing@acme.example");
    }

    @Test
    void shouldRefuseAViewersWriteOnTheNewForms() {
        PageBrowser viewer = signedIn("viewer@acme.example");

        String page = viewer.get(ACME).body();
        NEW_FORMS.forEach((path, fields) -> {
            PageBrowser.Page write = viewer.post(ACME + path, viewer.withToken(ACME, fields));
            assertThat(write.status()).as(path).isEqualTo(403);
            assertThat(write.body()).as(path).contains("can view this account's billing but not change it");
        });

        assertThat(page).contains("billing@acme.example").doesNotContain("Save plan fee payment", "Add email",
                "Save service address", "Save tax exemption");
    }

    @Test
    void shouldAnswerTheNewFormsOfAnotherAccountAsNotFound() {
        PageBrowser other = signedIn("admin@other.example");

        NEW_FORMS.forEach((path, fields) -> assertThat(other.post(ACME + path, other.withToken(
                "/billing/accounts/other", fields)).status()).as(path).isEqualTo(404));
    }

    @Test
    void shouldShowTheAgencyAdminItsSubAccountsAndNoOthers() {
        PageBrowser agent = signedIn("agent@agency.example");

        String page = agent.get(AGENCY).body();
        PageBrowser.Page fragment = agent.get(AGENCY + "/sub-accounts");
        PageBrowser.Page sub = agent.get("/billing/accounts/agency-sub-1");

        assertThat(page).contains("Agency Sub-accounts", "agency-sub-1", "agency-sub-2").doesNotContain("rival-sub");
        assertThat(fragment.status()).isEqualTo(200);
        assertThat(fragment.body()).contains("id=\"sub-accounts-live\"", "agency-sub-2").doesNotContain("rival");
        assertThat(sub.status()).isEqualTo(200);
        assertThat(sub.body()).contains("This is a sub-account of agency");
    }

    @Test
    void shouldRefuseAnAgencyAdminASubAccountOfAnotherAgency() {
        PageBrowser agent = signedIn("agent@agency.example");

        PageBrowser.Page page = agent.get("/billing/accounts/rival-sub");
        PageBrowser.Page fragment = agent.get("/billing/accounts/rival-sub/sub-accounts");
        PageBrowser.Page agencyOfIt = agent.get("/billing/accounts/rival/sub-accounts");
        PageBrowser.Page write = agent.post("/billing/accounts/rival-sub/plan-fee", agent.withToken(AGENCY,
                Map.of("directCharge", "on")));

        assertThat(page.status()).isEqualTo(404);
        assertThat(page.body()).contains("No account 'rival-sub' is visible to you.");
        assertThat(fragment.status()).isEqualTo(404);
        assertThat(agencyOfIt.status()).isEqualTo(404);
        assertThat(write.status()).isEqualTo(404);
    }

    @Test
    void shouldShowServiceAddressProblemsNextToTheirFieldsAndKeepWhatWasTyped() {
        PageBrowser admin = signedIn("admin@acme.example");

        PageBrowser.Page refused = admin.post(ACME + "/service-address", admin.withToken(ACME, Map.of(
                "line1", "500 Congress Ave", "city", "", "region", "TX", "postalCode", "78701", "country", "USA")));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("id=\"address-city-error\"", "Enter the city.")
                .contains("id=\"address-country-error\"", "Enter the country as its two-letter code, such as US.")
                .contains("value=\"500 Congress Ave\"", "value=\"USA\"")
                .doesNotContain("id=\"address-region-error\"");
    }

    @Test
    void shouldAddAndRemoveABillingEmail() {
        PageBrowser admin = signedIn("admin@acme.example");

        PageBrowser.Page added = admin.post(ACME + "/billing-emails", admin.withToken(ACME, Map.of(
                "email", "books@acme.example")));
        String withIt = admin.get(added.location().replace("#billing-emails", "")).body();
        PageBrowser.Page removed = admin.post(ACME + "/billing-emails/remove", admin.withToken(ACME, Map.of(
                "email", "books@acme.example")));
        String without = admin.get(ACME).body();

        assertThat(added.location()).isEqualTo(ACME + "?saved=billing-emails#billing-emails");
        assertThat(withIt).contains("Billing emails saved.").contains("<span class=\"address\">books@acme.example");
        assertThat(removed.location()).startsWith(ACME + "?saved=billing-emails");
        assertThat(without).doesNotContain("<span class=\"address\">books@acme.example")
                .contains("<span class=\"address\">billing@acme.example");
    }

    @Test
    void shouldShowABillingEmailThePipelineWouldRefuseNextToItsField() {
        PageBrowser admin = signedIn("admin@acme.example");

        PageBrowser.Page refused = admin.post(ACME + "/billing-emails", admin.withToken(ACME, Map.of(
                "email", "books at acme")));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("id=\"billing-email-error\"", "'books at acme' is not an email address.")
                .contains("value=\"books at acme\"");
    }

    @Test
    void shouldShowTheLastTaxChargesWithTheTaxNote() {
        stack.taxCharge("acme", "2026-10", "US-TX", 100_000_000, 82_500, 8_250_000);
        PageBrowser admin = signedIn("admin@acme.example");

        await().atMost(Duration.ofMinutes(1)).until(() -> admin.get(ACME).body().contains("US-TX"));

        String page = admin.get(ACME).body();
        assertThat(page).contains("Usage dates and times are in UTC. Taxes are charged on the 1st of the month for"
                + " the prior month's usage.");
        assertThat(page.replaceAll("\\s+", " ")).contains("<td>2026-10</td><td>US-TX</td><td>$100.00</td>"
                + "<td>8.25%</td><td>$8.25</td>");
        assertThat(page).contains("a valid exemption certificate is on file");
    }

    private static PageBrowser signedIn(String email) {
        PageBrowser browser = new PageBrowser(stack.baseUrl());
        assertThat(browser.signIn(email, PASSWORD).status()).isEqualTo(303);
        return browser;
    }
}
