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

    private static PageStack stack;

    @BeforeAll
    static void start() {
        stack = PageStack.start(false);
        PageBrowser admin = signedIn("admin@acme.example");
        await().atMost(Duration.ofMinutes(1)).until(() -> admin.get(ACME).status() == 200
                && admin.get("/billing/accounts/other").status() != 200);
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
                "Critical Billing Phone Number", "Make a Payment", "Account Payment History", "Billing Logs",
                "Printable Statements");
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

    private static PageBrowser signedIn(String email) {
        PageBrowser browser = new PageBrowser(stack.baseUrl());
        assertThat(browser.signIn(email, PASSWORD).status()).isEqualTo(303);
        return browser;
    }
}
