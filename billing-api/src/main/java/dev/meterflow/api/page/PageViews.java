package dev.meterflow.api.page;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meterflow.api.ApiException;
import dev.meterflow.api.access.Principal;
import dev.meterflow.api.access.Role;
import dev.meterflow.api.accounts.AccountAccess;
import dev.meterflow.api.accounts.AccountSummary;
import dev.meterflow.api.accounts.SubAccounts;
import dev.meterflow.api.advice.AdviceQueries;
import dev.meterflow.api.billinglog.BillingLogQueries;
import dev.meterflow.api.billinglog.BillingLogQueries.LogPage;
import dev.meterflow.api.http.ApiRoutes;
import dev.meterflow.api.notify.StatementRequests;
import dev.meterflow.api.page.BillingView.Live;
import dev.meterflow.api.page.BillingView.Method;
import dev.meterflow.api.page.BillingView.PaymentOutcome;
import dev.meterflow.api.payments.PaymentQueries;
import dev.meterflow.api.tax.TaxCharges;
import dev.meterflow.money.Money;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Reads what the page shows of one account from the services the JSON routes call. */
final class PageViews {

    static final int HISTORY_PAGE = 10;
    static final int LOG_PAGE = 20;
    /** A year of monthly tax charges. */
    static final int TAX_CHARGES = 12;

    private final AccountAccess accounts;
    private final PaymentQueries payments;
    private final BillingLogQueries billingLog;
    private final AdviceQueries advice;
    private final StatementRequests statements;
    private final TaxCharges taxes;
    private final SubAccounts subAccounts;
    private final Clock clock;

    PageViews(AccountAccess accounts, PaymentQueries payments, BillingLogQueries billingLog, AdviceQueries advice,
              StatementRequests statements, TaxCharges taxes, SubAccounts subAccounts, Clock clock) {
        this.accounts = accounts;
        this.payments = payments;
        this.billingLog = billingLog;
        this.advice = advice;
        this.statements = statements;
        this.taxes = taxes;
        this.subAccounts = subAccounts;
        this.clock = clock;
    }

    /**
     * The query string's {@code cursor}, {@code q}, {@code kind}, {@code from}, {@code to}, {@code payment},
     * {@code statements}.
     */
    BillingView view(Principal user, String accountId, Map<String, String> query, String notice, Form form) {
        AccountSummary summary = AccountSummary.of(accounts.toRead(user, accountId));
        var viewer = new BillingView.Viewer(accountId, user.email(), user.role().name(), user.role().canWrite(),
                user.csrfToken());
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        return new BillingView(viewer, live(summary), methods(summary.paymentMethods()),
                PaymentMethodChoice.TEST_CARDS, autoRecharge(summary), advice.advice(accountId),
                summary.criticalBillingPhone(), outcome(user, accountId, query.get("payment")),
                history(user, accountId, query.get("cursor")), log(user, accountId, query),
                new BillingView.Statements(today.withDayOfMonth(1).minusMonths(1).toString(),
                        today.withDayOfMonth(1).minusDays(1).toString(), user.email(),
                        statements.schedules(accountId), statementDialogOpen(query, form)), Boolean.TRUE.equals(summary.directChargePlanFee()),
                texts(summary.billingEmails()), address(summary.serviceAddress()),
                taxes.latest(user, accountId, TAX_CHARGES), agency(user, summary), notice, form);
    }

    /**
     * The statement dialog opens on the page itself when the browser has no JavaScript to open it (the opener is
     * then a link with {@code ?statements=open}), and after one of its forms was refused, to show the problem.
     */
    static boolean statementDialogOpen(Map<String, String> query, Form form) {
        return "open".equals(query.get("statements")) || form.section().equals("printable-statements")
                || form.section().equals("statement-schedule");
    }

    /** The agency's sub-accounts with their status, for its agency admin; null for anyone else. */
    BillingView.SubAccountList subAccounts(Principal user, String accountId) {
        accounts.toRead(user, accountId);
        if (user.role() != Role.AGENCY_ADMIN || !user.accountId().equals(accountId)) {
            return null;
        }
        return new BillingView.SubAccountList(accountId, subAccounts.list(user, accountId));
    }

    private BillingView.Agency agency(Principal user, AccountSummary summary) {
        return new BillingView.Agency(summary.parentAccountId(), subAccounts(user, summary.accountId()));
    }

    private static List<String> texts(JsonNode array) {
        List<String> list = new ArrayList<>();
        if (array != null) {
            array.forEach(item -> list.add(item.asText()));
        }
        return list;
    }

    private static BillingView.Address address(JsonNode address) {
        if (address == null || address.isNull()) {
            return new BillingView.Address("", "", "", "", "");
        }
        return new BillingView.Address(address.path("line1").asText(""), address.path("city").asText(""),
                address.path("region").asText(""), address.path("postalCode").asText(""),
                address.path("country").asText(""));
    }

    Live live(Principal user, String accountId) {
        return live(AccountSummary.of(accounts.toRead(user, accountId)));
    }

    private static Live live(AccountSummary summary) {
        long balance = summary.balanceMicros() == null ? 0 : summary.balanceMicros();
        String status = summary.status() == null ? "ACTIVE" : summary.status();
        return new Live(summary.accountId(), Money.format(balance), balance < 0, status, "PAUSED".equals(status),
                summary.pendingRechargeId() != null, summary.parentAccountId());
    }

    private static List<Method> methods(JsonNode methods) {
        List<Method> list = new ArrayList<>();
        if (methods != null) {
            methods.forEach(method -> list.add(new Method(method.path("paymentMethodId").asText(),
                    method.path("brand").asText(), method.path("last4").asText(), method.path("type").asText(),
                    method.path("role").asText(), expires(method))));
        }
        return list;
    }

    /** A card's expiry as the payment-methods row shows it, {@code MM/YYYY}; {@code null} when not known. */
    private static String expires(JsonNode method) {
        JsonNode month = method.path("expMonth");
        JsonNode year = method.path("expYear");
        return month.isInt() && year.isInt() ? String.format("%02d/%d", month.intValue(), year.intValue()) : null;
    }

    private static BillingView.AutoRecharge autoRecharge(AccountSummary summary) {
        var recharge = summary.autoRecharge();
        if (recharge == null) {
            return new BillingView.AutoRecharge(false, "TOP_UP_TO_TARGET", "", "", "");
        }
        return new BillingView.AutoRecharge(Boolean.TRUE.equals(recharge.enabled()), recharge.mode(),
                dollars(recharge.thresholdMicros()), dollars(recharge.targetMicros()), dollars(recharge.amountMicros()));
    }

    private static String dollars(Long micros) {
        return micros == null ? "" : DollarInput.text(Money.toCentsRoundingUp(micros));
    }

    private PaymentOutcome outcome(Principal user, String accountId, String commandId) {
        if (commandId == null || commandId.isBlank()) {
            return null;
        }
        return payments.outcome(user, accountId, commandId).map(item -> new PaymentOutcome(commandId,
                        item.status(), item.amount(), item.failureReason(), item.hasReceipt()
                        ? receiptUrl(accountId, item.requestId()) : null))
                .orElse(new PaymentOutcome(commandId, "WAITING", null, null, null));
    }

    static String receiptUrl(String accountId, String requestId) {
        return ApiRoutes.BASE + "/accounts/" + encode(accountId) + "/payments/" + encode(requestId) + "/receipt";
    }

    private BillingView.History history(Principal user, String accountId, String cursor) {
        var page = payments.history(user, accountId, cursor, HISTORY_PAGE);
        // the API lists every command it wrote; the page shows only those still waiting for their charge
        List<PaymentQueries.PendingPayment> waiting = page.requested().stream().limit(HISTORY_PAGE)
                .filter(command -> payments.outcome(user, accountId, command.commandId()).isEmpty()).toList();
        return new BillingView.History(page.payments(), waiting, page.nextCursor(), cursor);
    }

    private BillingView.BillingLog log(Principal user, String accountId, Map<String, String> query) {
        Map<String, String> filter = new LinkedHashMap<>();
        for (String key : List.of("q", "kind", "from", "to")) {
            filter.put(key, query.getOrDefault(key, ""));
        }
        List<String> kinds = BillingLogQueries.KINDS.stream().sorted().toList();
        String search = filter.entrySet().stream().filter(e -> !e.getValue().isBlank())
                .map(e -> e.getKey() + "=" + encode(e.getValue())).collect(Collectors.joining("&"));
        String csv = ApiRoutes.BASE + "/accounts/" + encode(accountId) + "/billing-log.csv?" + search;
        try {
            LogPage page = billingLog.search(user, accountId, BillingLogQueries.Filter.of(filter.get("q"),
                    filter.get("kind"), blankAsNull(filter.get("from")), blankAsNull(filter.get("to"))),
                    query.get("logCursor"), LOG_PAGE);
            String older = page.nextCursor() == null ? null : BillingPage.BASE + "/accounts/" + encode(accountId)
                    + "?" + search + (search.isEmpty() ? "" : "&") + "logCursor=" + encode(page.nextCursor())
                    + "#billing-logs";
            return new BillingView.BillingLog(filter, kinds, page.lines(), older, csv, null);
        } catch (ApiException e) {
            if (e.status() != 400) {
                throw e;
            }
            return new BillingView.BillingLog(filter, kinds, List.of(), null, csv, e.getMessage());
        }
    }

    /** An empty date field is an open end of the range, as a missing query parameter is to the API. */
    private static String blankAsNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
