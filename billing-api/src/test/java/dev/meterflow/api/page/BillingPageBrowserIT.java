package dev.meterflow.api.page;

import static dev.meterflow.api.page.PageStack.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue 12: the Billing Settings page in headless Chromium against the whole pipeline (broker, metering
 * topology, recharge worker, gateway simulator, PostgreSQL, API, notifier with GreenMail), one stack for every
 * scenario. Skipped with a message when no Chromium is installed, unless {@code CI=true}, where that fails.
 * With {@code -Dscreenshots=true} it also writes every section, at desktop and phone width, to
 * {@code docs/screenshots/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BillingPageBrowserIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration PIPELINE = Duration.ofMinutes(2);
    private static final List<String> SECTIONS = List.of("live", "payment-methods", "auto-recharge",
            "critical-billing-phone", "billing-emails", "make-a-payment", "plan-fee", "payment-history",
            "billing-logs", "service-address", "taxes-and-fees", "printable-statements");

    private static PageStack stack;
    private static WebDriver browser;

    @BeforeAll
    static void start() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            String missing = "no Chromium at " + CHROMIUM + " with its driver at " + CHROMEDRIVER
                    + " (apt-get install chromium chromium-driver)";
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail("CI=true and the browser tests cannot run: " + missing);
            }
            Assumptions.abort("Browser tests skipped: " + missing);
        }
        stack = PageStack.start(true);
        browser = chrome();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void shouldSignInAfterAWrongPassword() {
        browser.manage().deleteAllCookies();
        browser.get(stack.baseUrl() + "/billing");
        assertThat(browser.getCurrentUrl()).endsWith("/billing/sign-in");

        type("email", "admin@acme.example");
        type("password", "not my password");
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        assertThat(waitFor(By.id("sign-in-error")).getText()).isEqualTo("Wrong email or password.");
        assertThat(browser.findElement(By.id("email")).getAttribute("value")).isEqualTo("admin@acme.example");
        screenshotIfAsked("sign-in");

        type("password", PASSWORD);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        assertThat(waitFor(By.id("payment-methods-title")).getText()).isEqualTo("Payment Methods");
        assertThat(browser.getCurrentUrl()).endsWith("/billing/accounts/acme");
    }

    @Test
    @Order(2)
    void shouldMakeAPaymentAndOpenItsReceipt() {
        signIn("admin@acme.example");

        pay("20", null);

        WebElement receipt = waitFor(By.id("payment-receipt"), PIPELINE);
        String page = browser.getWindowHandle();
        receipt.click();
        new WebDriverWait(browser, Duration.ofSeconds(60)).until(driver -> driver.getWindowHandles().size() == 2);
        browser.switchTo().window(browser.getWindowHandles().stream().filter(h -> !h.equals(page)).findFirst()
                .orElseThrow());
        assertThat(browser.findElement(By.tagName("body")).getText()).contains("$20.00").contains("4242");
        browser.close();
        browser.switchTo().window(page);
    }

    @Test
    @Order(3)
    void shouldShowTheReasonOfADeclinedPayment() {
        signIn("admin@acme.example");
        new Select(browser.findElement(By.id("card"))).selectByValue("pm_card_chargeDeclinedInsufficientFunds");
        new Select(browser.findElement(By.id("role"))).selectByValue("OTHER");
        submit(By.cssSelector("#add-payment-method button[type=submit]"));
        assertThat(waitFor(By.id("notice")).getText()).startsWith("Payment methods saved.");

        pay("15", "pm_card_chargeDeclinedInsufficientFunds");

        assertThat(waitFor(By.id("payment-declined"), PIPELINE).getText())
                .isEqualTo("Payment of $15.00 was not made: Declined: the card has insufficient funds.");
        browser.get(stack.baseUrl() + "/billing/accounts/acme#payment-history");
        WebElement failed = waitFor(By.cssSelector("#payment-history-table details.failed summary"));
        failed.click();
        assertThat(browser.findElement(By.cssSelector("#payment-history-table details.failed")).getText())
                .contains("the card has insufficient funds");
    }

    @Test
    @Order(4)
    void shouldRechargeWhenUsageCrossesTheThresholdSetOnThePage() {
        signIn("admin@acme.example");
        long before = settledBalanceDollars("acme");
        pay("40", null);
        waitFor(By.id("payment-receipt"), PIPELINE);
        await().atMost(PIPELINE).until(() -> settledBalanceDollars("acme") >= before + 40);
        long balance = settledBalanceDollars("acme");
        int recharges = automaticRecharges();

        type("threshold", Long.toString(balance - 5));
        type("target", Long.toString(balance + 20));
        submit(By.cssSelector("#auto-recharge-form button[type=submit]"));
        assertThat(waitFor(By.id("notice")).getText()).startsWith("Auto recharge settings saved.");
        stack.usage("acme", 10);

        // only a recharge to the new target brings the balance there: the usage alone leaves it $10 lower
        new WebDriverWait(browser, PIPELINE).until(ExpectedConditions.textToBe(By.id("balance"),
                "$" + (balance + 20) + ".00"));
        browser.navigate().refresh();
        assertThat(automaticRecharges()).isEqualTo(recharges + 1);
    }

    @Test
    @Order(5)
    void shouldSearchTheBillingLogsAndExportThem() throws Exception {
        signIn("admin@acme.example");

        type("q", "charged");
        submit(By.cssSelector("#log-search button[type=submit]"));
        new WebDriverWait(browser, Duration.ofSeconds(60)).until(ExpectedConditions.urlContains("q=charged"));

        String table = waitFor(By.id("billing-log-table")).getText();
        assertThat(table).contains("Payment succeeded").doesNotContain("Settings changed");
        String export = browser.findElement(By.id("log-export")).getAttribute("href");
        assertThat(export).contains("/api/v1/accounts/acme/billing-log.csv?q=charged");
        HttpResponse<String> csv = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(export))
                .header("Cookie", "mf_session=" + browser.manage().getCookieNamed("mf_session").getValue())
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.body()).startsWith("at,kind,summary,actor,log_id").contains("PAYMENT_SUCCEEDED")
                .doesNotContain("SETTINGS_CHANGED");
    }

    @Test
    @Order(6)
    void shouldEmailAStatementWithItsPdf() {
        signIn("admin@acme.example");
        WebElement dialog = browser.findElement(By.id("statement-dialog"));
        assertThat(dialog.isDisplayed()).as("closed until asked for").isFalse();

        browser.findElement(By.id("statement-open")).click();
        waitFor(By.id("statement-dialog"));
        assertThat(isModal(dialog)).isTrue();
        assertThat(browser.switchTo().activeElement().getAttribute("id")).as("focus moved into the dialog")
                .isEqualTo("statement-from");
        type("statement-email", "books@acme.example");
        submit(By.cssSelector("#statement-send button[type=submit]"));

        assertThat(waitFor(By.id("notice")).getText()).startsWith("The statement is on its way");
        await().atMost(PIPELINE).until(() -> statementMail().isPresent());
        assertThat(statementMail()).get().satisfies(mail -> assertThat(hasPdf(mail)).isTrue());
    }

    @Test
    @Order(6)
    void shouldCloseTheStatementDialogWithEscapeOrCloseAndGiveTheFocusBack() {
        signIn("admin@acme.example");
        WebElement opener = browser.findElement(By.id("statement-open"));
        WebElement dialog = browser.findElement(By.id("statement-dialog"));

        opener.sendKeys(Keys.ENTER);
        waitFor(By.id("statement-dialog"));
        browser.switchTo().activeElement().sendKeys(Keys.ESCAPE);
        new WebDriverWait(browser, Duration.ofSeconds(60)).until(ExpectedConditions.invisibilityOf(dialog));
        assertThat(browser.switchTo().activeElement().getAttribute("id")).isEqualTo("statement-open");

        opener.sendKeys(Keys.SPACE);
        waitFor(By.id("statement-dialog"));
        browser.findElement(By.id("statement-close")).click();
        new WebDriverWait(browser, Duration.ofSeconds(60)).until(ExpectedConditions.invisibilityOf(dialog));
        assertThat(browser.switchTo().activeElement().getAttribute("id")).isEqualTo("statement-open");
        assertThat(browser.getCurrentUrl()).as("closed in place, no navigation").endsWith("/billing/accounts/acme");
    }

    @Test
    @Order(6)
    void shouldReopenTheStatementDialogWithTheProblemAfterABadAddress() {
        signIn("admin@acme.example");
        browser.findElement(By.id("statement-open")).click();
        waitFor(By.id("statement-dialog"));

        type("statement-email", "not-an-address");
        // the browser's own check of type=email would stop the post: the server's answer is what is tested
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                "document.getElementById('statement-send').noValidate = true");
        submit(By.cssSelector("#statement-send button[type=submit]"));

        WebElement problem = waitFor(By.id("statement-email-error"));
        assertThat(problem.getText()).isEqualTo("'not-an-address' is not an email address.");
        assertThat(isModal(browser.findElement(By.id("statement-dialog")))).isTrue();
        assertThat(browser.switchTo().activeElement().getAttribute("id")).isEqualTo("statement-email");
        assertThat(browser.findElement(By.id("statement-email")).getAttribute("value")).isEqualTo("not-an-address");
    }

    /** Issue 12: at a phone's width the role drop-down of a payment method was cut off by its table's edge. */
    @Test
    @Order(6)
    void shouldFitThePaymentMethodRolesInAPhonesWidth() {
        signIn("admin@acme.example");
        try {
            browser.manage().window().setSize(new Dimension(390, 844));
            browser.navigate().refresh();
            WebElement table = waitFor(By.id("payment-methods-table"));
            WebElement scroll = table.findElement(By.xpath(".."));

            var js = (org.openqa.selenium.JavascriptExecutor) browser;
            assertThat((Boolean) js.executeScript("return arguments[0].scrollWidth <= arguments[0].clientWidth",
                    scroll)).as("nothing of the table hidden to the right").isTrue();
            for (WebElement role : table.findElements(By.tagName("select"))) {
                assertThat(role.getRect().getX() + role.getRect().getWidth())
                        .as(role.getAttribute("id")).isLessThanOrEqualTo(scroll.getRect().getX()
                                + scroll.getRect().getWidth());
            }
        } finally {
            browser.manage().window().setSize(new Dimension(1280, 1000));
        }
    }

    @Test
    @Order(7)
    void shouldAddACardAndMakeItTheBackup() {
        signIn("admin@acme.example");
        new Select(browser.findElement(By.id("card"))).selectByValue("pm_card_mastercard");
        type("exp-month", "13");
        type("exp-year", "2031");
        new Select(browser.findElement(By.id("role"))).selectByValue("OTHER");
        submit(By.cssSelector("#add-payment-method button[type=submit]"));
        assertThat(waitFor(By.id("expiry-error")).getText())
                .isEqualTo("The expiry month 13 is not a month: it must be 1 to 12.");
        assertThat(browser.findElement(By.id("exp-year")).getAttribute("value")).isEqualTo("2031");
        assertThat(new Select(browser.findElement(By.id("card"))).getFirstSelectedOption().getAttribute("value"))
                .isEqualTo("pm_card_mastercard");

        type("exp-month", "04");
        submit(By.cssSelector("#add-payment-method button[type=submit]"));
        assertThat(waitFor(By.id("notice")).getText()).startsWith("Payment methods saved.");
        assertThat(browser.findElement(By.xpath("//tr[td='Mastercard']")).getText()).contains("expires 04/2031");

        new Select(browser.findElement(By.id("role-pm_card_mastercard"))).selectByValue("BACKUP");
        submit(By.cssSelector("form:has(#role-pm_card_mastercard) button[type=submit]"));

        assertThat(waitFor(By.id("notice")).getText()).startsWith("Payment methods saved.");
        assertThat(new Select(browser.findElement(By.id("role-pm_card_mastercard"))).getFirstSelectedOption()
                .getText()).isEqualTo("Backup");
        assertThat(new Select(browser.findElement(By.id("role-pm_card_visa"))).getFirstSelectedOption().getText())
                .isEqualTo("Primary");
    }

    @Test
    @Order(8)
    void shouldRefusePayPal() {
        signIn("admin@acme.example");

        new Select(browser.findElement(By.id("card"))).selectByValue("pm_paypal_test");
        submit(By.cssSelector("#add-payment-method button[type=submit]"));

        assertThat(waitFor(By.id("card-error")).getText())
                .isEqualTo("We bill in US dollars and do not accept PayPal or Diners Club.");
        assertThat(browser.findElement(By.id("payment-methods-table")).getText()).doesNotContain("Paypal");
    }

    @Test
    @Order(9)
    void shouldRefuseAnAdminOfAnotherAccount() {
        signIn("admin@other.example");

        browser.get(stack.baseUrl() + "/billing/accounts/acme");

        assertThat(waitFor(By.cssSelector("main .error")).getText()).isEqualTo("No account 'acme' is visible to you.");
    }

    @Test
    @Order(10)
    void shouldShowThePausedBannerUntilTheBalanceIsPaidBack() {
        signIn("admin@bistro.example");
        assertThat(browser.findElements(By.id("paused-banner"))).isEmpty();

        stack.usage("bistro", 5);

        WebElement banner = waitFor(By.id("paused-banner"), PIPELINE);
        assertThat(banner.getText()).contains("calls are not connected").contains("tracking numbers");
        screenshotIfAsked("paused-banner");
        banner.findElement(By.linkText("Make a payment")).click();
        pay("10", null);
        new WebDriverWait(browser, PIPELINE).until(ExpectedConditions.invisibilityOfElementLocated(
                By.id("paused-banner")));
        assertThat(browser.findElement(By.id("account-status")).getText()).isEqualTo("Active");
    }

    @Test
    @Order(11)
    void shouldKeepAServiceAddressAfterAReload() {
        signIn("admin@acme.example");

        type("address-line1", "500 Congress Ave");
        type("address-city", "Austin");
        type("address-region", "TX");
        type("address-postalCode", "78701");
        type("address-country", "us");
        submit(By.cssSelector("#service-address-form button[type=submit]"));

        assertThat(waitFor(By.id("notice")).getText()).startsWith("Service address saved.");
        browser.get(stack.baseUrl() + "/billing/accounts/acme");
        assertThat(waitFor(By.id("address-line1")).getAttribute("value")).isEqualTo("500 Congress Ave");
        assertThat(browser.findElement(By.id("address-city")).getAttribute("value")).isEqualTo("Austin");
        assertThat(browser.findElement(By.id("address-country")).getAttribute("value")).isEqualTo("US");
    }

    @Test
    @Order(12)
    void shouldOptInToChargingThePlanFeeToTheCard() {
        signIn("admin@acme.example");
        WebElement optIn = browser.findElement(By.id("direct-charge"));
        assertThat(optIn.isSelected()).isFalse();

        optIn.click();
        submit(By.cssSelector("#plan-fee-form button[type=submit]"));

        assertThat(waitFor(By.id("notice")).getText()).startsWith("Plan fee payment saved.");
        browser.get(stack.baseUrl() + "/billing/accounts/acme");
        assertThat(waitFor(By.id("direct-charge")).isSelected()).isTrue();
    }

    @Test
    @Order(13)
    void shouldShowAnAgencyAdminItsSubAccountsPausedWithTheAgency() {
        signIn("agent@agency.example");
        new WebDriverWait(browser, PIPELINE).until(ExpectedConditions.textToBe(
                By.cssSelector("#sub-account-agency-sub-2 .pill"), "Active"));
        assertThat(browser.findElement(By.id("sub-accounts-table")).getText()).contains("agency-sub-1")
                .doesNotContain("rival-sub");

        stack.usage("agency", 5);

        // no reload: the list refreshes by itself, like the balance
        for (String sub : List.of("agency-sub-1", "agency-sub-2")) {
            new WebDriverWait(browser, PIPELINE).until(ExpectedConditions.textToBe(
                    By.cssSelector("#sub-account-" + sub + " .pill"), "Paused"));
        }
        assertThat(waitFor(By.id("paused-banner")).isDisplayed()).isTrue();
    }

    @Test
    @Order(14)
    void shouldShowLastMonthsSalesTaxChargedOnTheFirst() {
        await().atMost(PIPELINE).until(stack::lastMonthTaxed);
        signIn("admin@acme.example");

        String month = java.time.YearMonth.now(java.time.ZoneOffset.UTC).minusMonths(1).toString();
        assertThat(waitFor(By.id("taxes-and-fees")).findElement(By.tagName("tbody")).getText())
                .isEqualTo(month + " US-TX $80.00 6.25% $5.00");
    }

    @Test
    @Order(15)
    void shouldShowASubAccountItsAgencyInsteadOfItsOwnCardsAndRecharges() {
        signIn("agent@agency.example");
        browser.get(stack.baseUrl() + "/billing/accounts/agency-sub-1");

        assertThat(waitFor(By.id("billed-to-title")).getText()).isEqualTo("Billed to its agency");
        assertThat(browser.findElement(By.id("billed-to-agency")).getText()).isEqualTo("agency");
        assertThat(browser.findElement(By.id("balance-billed-to")).getText()).isEqualTo("Usage billed to agency");
        assertThat(browser.findElements(By.id("payment-methods"))).isEmpty();
        assertThat(browser.findElements(By.id("auto-recharge"))).isEmpty();
        assertThat(browser.findElements(By.id("make-a-payment"))).isEmpty();
        assertThat(browser.findElement(By.id("critical-billing-phone")).isDisplayed()).isTrue();
    }

    @Test
    @Order(20)
    void shouldTakeScreenshotsOfEverySectionWhenAsked() throws IOException {
        Assumptions.assumeTrue(Boolean.getBoolean("screenshots"), "screenshots only with -Dscreenshots=true");
        signIn("admin@acme.example");
        for (var size : List.of(new Dimension(1280, 2400), new Dimension(390, 3600))) {
            browser.manage().window().setSize(size);
            browser.get(stack.baseUrl() + "/billing/accounts/acme");
            ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("window.scrollTo(0, 0)");
            String width = size.getWidth() < 600 ? "phone" : "desktop";
            save(((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE), "page-" + width);
            for (String section : SECTIONS) {
                save(sectionShot(waitFor(By.id(section))), section + "-" + width);
            }
            // the modal dialog sits in the middle of the window: a window of a screen's height frames it
            browser.manage().window().setSize(new Dimension(size.getWidth(), size.getWidth() < 600 ? 844 : 1000));
            browser.findElement(By.id("statement-open")).click();
            waitFor(By.id("statement-dialog"));
            save(((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE),
                    "statement-dialog-" + width);
        }
        signIn("agent@agency.example");
        // the agency's page is shorter than those windows, and a capture beyond the viewport of a short page
        // lays it out again (the scrollbar goes): the section, smaller than a window, is shot as an element
        for (var size : List.of(new Dimension(1280, 1000), new Dimension(390, 844))) {
            browser.manage().window().setSize(size);
            browser.get(stack.baseUrl() + "/billing/accounts/agency");
            save(waitFor(By.id("sub-accounts")).getScreenshotAs(OutputType.BYTES), "sub-accounts-"
                    + (size.getWidth() < 600 ? "phone" : "desktop"));
            browser.get(stack.baseUrl() + "/billing/accounts/agency-sub-1");
            WebElement billedTo = waitFor(By.id("billed-to"));
            // below the fold on a phone: an element screenshot clips at the window's edge
            ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView()",
                    billedTo);
            save(billedTo.getScreenshotAs(OutputType.BYTES), "billed-to-"
                    + (size.getWidth() < 600 ? "phone" : "desktop"));
        }
        browser.manage().window().setSize(new Dimension(1280, 1000));
    }

    private static boolean isModal(WebElement dialog) {
        return (Boolean) ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                "return arguments[0].matches(':modal')", dialog);
    }

    private static void pay(String amount, String method) {
        type("payment-amount", amount);
        if (method != null) {
            new Select(browser.findElement(By.id("payment-method"))).selectByValue(method);
        }
        submit(By.cssSelector("#payment-form button[type=submit]"));
        waitFor(By.id("payment-outcome"));
    }

    private static java.util.Optional<MimeMessage> statementMail() {
        return Arrays.stream(stack.mail().getReceivedMessages()).filter(mail -> {
            try {
                return Arrays.stream(mail.getAllRecipients()).anyMatch(to -> to.toString()
                        .contains("books@acme.example"));
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).findFirst();
    }

    private static boolean hasPdf(MimeMessage mail) {
        try {
            if (!(mail.getContent() instanceof Multipart multipart)) {
                return false;
            }
            for (int i = 0; i < multipart.getCount(); i++) {
                if (multipart.getBodyPart(i).getContentType().toLowerCase().contains("application/pdf")) {
                    return true;
                }
            }
            return false;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whole dollars of the account's balance once the read model has read everything written so far. */
    private static long settledBalanceDollars(String accountId) {
        await().atMost(PIPELINE).until(() -> stack.api().readModel().lag() == 0);
        return stack.database().jdbi().withHandle(handle -> handle.createQuery(
                "SELECT balance_micros FROM accounts WHERE account_id = :account").bind("account", accountId)
                .mapTo(Long.class).one()) / 1_000_000;
    }

    private static int automaticRecharges() {
        return browser.findElements(By.xpath("//table[@id='payment-history-table']//td[text()='Automatic recharge']"))
                .size();
    }

    private static void signIn(String email) {
        browser.manage().deleteAllCookies();
        browser.get(stack.baseUrl() + "/billing/sign-in");
        type("email", email);
        type("password", PASSWORD);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        waitFor(By.id("live"));
    }

    /**
     * Submits a form and waits for the page that answers it: the page before may already show what the test
     * then looks for (a notice), and htmx swaps the body's content in.
     */
    private static void submit(By button) {
        WebElement before = browser.findElement(By.tagName("main"));
        browser.findElement(button).click();
        new WebDriverWait(browser, PIPELINE).until(ExpectedConditions.stalenessOf(before));
    }

    private static void type(String id, String text) {
        WebElement field = browser.findElement(By.id(id));
        field.clear();
        field.sendKeys(text);
    }

    private static WebElement waitFor(By locator) {
        return waitFor(locator, Duration.ofSeconds(60));
    }

    private static WebElement waitFor(By locator, Duration bound) {
        return new WebDriverWait(browser, bound).until(ExpectedConditions.visibilityOfElementLocated(locator));
    }

    private static void screenshotIfAsked(String name) {
        if (Boolean.getBoolean("screenshots")) {
            save(((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE), name);
        }
    }

    /** The whole section, also where it is taller than the window (an element screenshot stops at its edge). */
    private static byte[] sectionShot(WebElement section) {
        var rect = section.getRect();
        Map<String, Object> clip = Map.of("x", rect.getX(), "y", rect.getY(), "width", rect.getWidth(),
                "height", rect.getHeight(), "scale", 1);
        Object data = ((ChromeDriver) browser).executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                "captureBeyondViewport", true, "clip", clip)).get("data");
        return Base64.getDecoder().decode((String) data);
    }

    private static void save(File shot, String name) {
        try {
            save(Files.readAllBytes(shot.toPath()), name);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void save(byte[] png, String name) {
        try {
            Path dir = Path.of(System.getProperty("basedir", "."), "..", "docs", "screenshots").normalize();
            Files.createDirectories(dir);
            Files.write(dir.resolve(name + ".png"), png);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static WebDriver chrome() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // root in CI has no sandbox to drop into; /dev/shm is small in containers
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000",
                "--disable-gpu");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }
}
