package dev.meterflow.api.http;

import dev.meterflow.api.ApiException;
import dev.meterflow.api.access.Authenticator;
import dev.meterflow.api.accounts.AccountAccess;
import dev.meterflow.api.accounts.AccountSummary;
import dev.meterflow.api.accounts.SubAccounts;
import dev.meterflow.api.advice.AdviceHandler;
import dev.meterflow.api.billinglog.BillingLogQueries;
import dev.meterflow.api.commands.WriteOutcome;
import dev.meterflow.api.notify.StatementDeliveryHandler;
import dev.meterflow.api.payments.PaymentCommands;
import dev.meterflow.api.payments.PaymentQueries;
import dev.meterflow.api.payments.ReceiptPage;
import dev.meterflow.api.settings.SettingsCommands;
import dev.meterflow.api.settings.SettingsCommands.AutoRechargeChange;
import dev.meterflow.api.statements.StatementHandler;
import dev.meterflow.api.tax.TaxCharges;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Every route of the API with its handler: each reads the request, asks a service, writes the answer. */
public final class ApiRoutes {

    public static final String BASE = "/api/v1";
    private static final String ACCOUNT = BASE + "/accounts/{accountId}";
    private static final String JSON = "application/json";
    private static final List<String> LOG_FILTER = List.of("q", "kind", "from", "to");

    private ApiRoutes() {
    }

    /** The services the routes call. */
    public record Services(Authenticator authenticator, AccountAccess accounts, PaymentQueries payments,
                           PaymentCommands paymentCommands, BillingLogQueries billingLog,
                           SettingsCommands settings, AdviceHandler advice, StatementHandler statements,
                           StatementDeliveryHandler statementDeliveries,
                           java.util.function.Supplier<Health> health, SubAccounts subAccounts, TaxCharges taxes) {
    }

    public static List<Route> all(Services services) {
        List<Route> routes = new ArrayList<>();
        routes.add(new Route(HandlerType.POST, BASE + "/session", "Sign in with email and password; sets the"
                + " session cookie and returns the CSRF token for writes", List.of(), JSON, false,
                ctx -> login(ctx, services.authenticator())));
        routes.add(new Route(HandlerType.DELETE, BASE + "/session", "Sign out", List.of(), JSON, true,
                ctx -> logout(ctx, services.authenticator())));
        routes.add(new Route(HandlerType.GET, ACCOUNT + "/summary", "Balance, status, pending recharge, thresholds"
                + " and settings", List.of(), JSON, true, ctx -> ctx.json(AccountSummary.of(
                services.accounts().toRead(ApiServer.principal(ctx), ctx.pathParam("accountId"))))));
        routes.add(new Route(HandlerType.PUT, ACCOUNT + "/settings/auto-recharge", "Change auto-recharge (amounts"
                + " in cents); waits until the change shows; a sub-account's is its agency's (409)", List.of(), JSON,
                true, ctx -> written(ctx,
                services.settings().updateAutoRecharge(ApiServer.principal(ctx), ctx.pathParam("accountId"),
                        ctx.bodyAsClass(AutoRechargeChange.class)))));
        routes.add(new Route(HandlerType.PUT, ACCOUNT + "/settings/billing-emails", "Replace the users who receive"
                + " billing emails (at most 10)", List.of(), JSON, true, ctx -> written(ctx, services.settings()
                .updateBillingEmails(ApiServer.principal(ctx), ctx.pathParam("accountId"),
                        ctx.bodyAsClass(EmailsBody.class).emails()))));
        routes.add(new Route(HandlerType.PUT, ACCOUNT + "/settings/critical-billing-phone", "Set (E.164) or clear"
                + " (null) the critical billing phone", List.of(), JSON, true, ctx -> written(ctx, services.settings()
                .updateCriticalBillingPhone(ApiServer.principal(ctx), ctx.pathParam("accountId"),
                        ctx.bodyAsClass(PhoneBody.class).phone()))));
        routes.add(new Route(HandlerType.POST, ACCOUNT + "/settings/payment-methods", "Add a payment method by"
                + " gateway token (pm_...) with its brand, last 4 and role; PayPal and Diners are refused; a"
                + " sub-account's are its agency's (409)", List.of(),
                JSON, true, ctx -> written(ctx, services.settings().addPaymentMethod(ApiServer.principal(ctx),
                ctx.pathParam("accountId"), ctx.bodyAsClass(SettingsCommands.NewPaymentMethod.class)))));
        routes.add(new Route(HandlerType.DELETE, ACCOUNT + "/settings/payment-methods/{paymentMethodId}", "Remove"
                + " a payment method; a sub-account's are its agency's (409)", List.of(), JSON, true,
                ctx -> written(ctx, services.settings()
                .removePaymentMethod(ApiServer.principal(ctx), ctx.pathParam("accountId"),
                        ctx.pathParam("paymentMethodId")))));
        routes.add(new Route(HandlerType.GET, ACCOUNT + "/payments", "Payment history, newest first, by cursor;"
                + " requested one-time payments on the first page", List.of("cursor", "limit"), JSON, true,
                ctx -> ctx.json(services.payments().history(ApiServer.principal(ctx), ctx.pathParam("accountId"),
                        ctx.queryParam("cursor"), limit(ctx, 25)))));
        routes.add(new Route(HandlerType.POST, ACCOUNT + "/payments", "Make a payment (needs an Idempotency-Key"
                + " header)", List.of(), JSON, true, ctx -> pay(ctx, services.paymentCommands())));
        routes.add(new Route(HandlerType.GET, ACCOUNT + "/payments/{requestId}/receipt", "Printable receipt of a"
                + " charge", List.of(), "text/html", true, ctx -> ctx.html(ReceiptPage.render(services.payments()
                .receipt(ApiServer.principal(ctx), ctx.pathParam("accountId"), ctx.pathParam("requestId"))))));
        routes.add(new Route(HandlerType.GET, ACCOUNT + "/billing-log", "Search the billing log by text, kind and"
                + " UTC date range, by cursor", List.of("q", "kind", "from", "to", "cursor", "limit"), JSON, true,
                ctx -> ctx.json(services.billingLog().search(ApiServer.principal(ctx), ctx.pathParam("accountId"),
                        filter(ctx), ctx.queryParam("cursor"), limit(ctx, 50)))));
        routes.add(new Route(HandlerType.GET, ACCOUNT + "/billing-log.csv", "Export the matching billing log as"
                + " CSV, every row, streamed", LOG_FILTER, "text/csv", true,
                ctx -> exportCsv(ctx, services.billingLog())));
        statementRoutes(routes, services);
        accountSettingsRoutes(routes, services);
        routes.add(new Route(HandlerType.GET, BASE + "/health", "The read model's state: running, lag (records"
                + " behind the topics), records skipped; 503 when it stopped", List.of(), JSON, false, ctx -> {
                    Health health = services.health().get();
                    ctx.status(health.running() ? 200 : 503).json(health);
                }));
        routes.add(new Route(HandlerType.GET, BASE + "/openapi.json", "This document", List.of(), JSON, false,
                ctx -> ctx.json(OpenApi.document(routes))));
        return List.copyOf(routes);
    }

    private static void statementRoutes(List<Route> routes, Services services) {
        routes.add(new Route(HandlerType.GET, ACCOUNT + "/advice", "From the last 30 days: average daily spend,"
                + " charges made, a threshold and recharge that charge about once every 30 days, and the runway",
                List.of(), JSON, true, ctx -> services.advice().handle(ctx, readable(ctx, services))));
        routes.add(new Route(HandlerType.GET, ACCOUNT + "/statements", "Statement of a range of UTC days (at most"
                + " 731) as json, csv, printable html or pdf", List.of("from", "to", "format"), JSON, true,
                ctx -> services.statements().handle(ctx, readable(ctx, services))));
        routes.add(new Route(HandlerType.POST, ACCOUNT + "/statements/deliveries", "Email a statement to chosen"
                + " addresses (needs an Idempotency-Key header); the notifier sends it", List.of(), JSON, true,
                ctx -> services.statementDeliveries().requestDelivery(ctx, changeable(ctx, services),
                        ApiServer.principal(ctx).actor())));
        routes.add(new Route(HandlerType.POST, ACCOUNT + "/statements/schedules", "Add a recurring statement"
                + " (MONTHLY or WEEKLY, UTC) to chosen addresses", List.of(), JSON, true,
                ctx -> services.statementDeliveries().addSchedule(ctx, changeable(ctx, services),
                        ApiServer.principal(ctx).actor())));
        routes.add(new Route(HandlerType.GET, ACCOUNT + "/statements/schedules", "Recurring statements", List.of(),
                JSON, true, ctx -> services.statementDeliveries().listSchedules(ctx, readable(ctx, services))));
    }

    /** Payment method roles, service address and tax exemption, the plan fee, sub-accounts and tax charges. */
    private static void accountSettingsRoutes(List<Route> routes, Services services) {
        routes.add(new Route(HandlerType.PUT, ACCOUNT + "/settings/payment-methods/{paymentMethodId}/role", "Make a"
                + " payment method PRIMARY or BACKUP (the one that had the role gives it up) or NONE; a sub-account's"
                + " are its agency's (409)", List.of(),
                JSON, true, ctx -> written(ctx, services.settings().setPaymentMethodRole(ApiServer.principal(ctx),
                ctx.pathParam("accountId"), ctx.pathParam("paymentMethodId"), ctx.bodyAsClass(RoleBody.class)
                        .role()))));
        routes.add(new Route(HandlerType.PUT, ACCOUNT + "/settings/service-address", "Set the service address"
                + " (line1, city, region, postalCode, two-letter country): it decides the sales tax", List.of(), JSON,
                true, ctx -> written(ctx, services.settings().updateServiceAddress(ApiServer.principal(ctx),
                ctx.pathParam("accountId"), ctx.bodyAsClass(SettingsCommands.ServiceAddressChange.class)))));
        routes.add(new Route(HandlerType.PUT, ACCOUNT + "/settings/tax-exemption", "Turn the tax exemption on or"
                + " off (it needs an exemption certificate on file)", List.of(), JSON, true, ctx -> written(ctx,
                services.settings().updateTaxExemption(ApiServer.principal(ctx), ctx.pathParam("accountId"),
                        ctx.bodyAsClass(TaxExemptBody.class).taxExempt()))));
        routes.add(new Route(HandlerType.PUT, ACCOUNT + "/settings/plan-fee", "Charge the monthly plan fee to the"
                + " primary card (directCharge true) or to the prepaid balance; a sub-account's is its agency's"
                + " (409)", List.of(), JSON, true,
                ctx -> written(ctx, services.settings().updateDirectChargePlanFee(ApiServer.principal(ctx),
                        ctx.pathParam("accountId"), ctx.bodyAsClass(PlanFeeBody.class).directCharge()))));
        routes.add(new Route(HandlerType.GET, ACCOUNT + "/sub-accounts", "An agency's sub-accounts with status and"
                + " balance (an agency admin sees them all, others only their own account)", List.of(), JSON, true,
                ctx -> ctx.json(services.subAccounts().list(ApiServer.principal(ctx), ctx.pathParam("accountId")))));
        routes.add(new Route(HandlerType.GET, ACCOUNT + "/taxes", "The last sales tax charges (period, jurisdiction,"
                + " taxable base, rate) and the tax exemption", List.of("limit"), JSON, true,
                ctx -> ctx.json(services.taxes().latest(ApiServer.principal(ctx), ctx.pathParam("accountId"),
                        limit(ctx, 12)))));
    }

    private static String readable(Context ctx, Services services) {
        return services.accounts().toRead(ApiServer.principal(ctx), ctx.pathParam("accountId")).accountId();
    }

    private static String changeable(Context ctx, Services services) {
        return services.accounts().toChange(ApiServer.principal(ctx), ctx.pathParam("accountId")).accountId();
    }

    private static void login(Context ctx, Authenticator authenticator) {
        // a form on another site can post JSON-looking text/plain, but not application/json: without this, it
        // could sign a browser in to the attacker's account past the sign-in form's CSRF token
        if (!String.valueOf(ctx.contentType()).toLowerCase(java.util.Locale.ROOT).startsWith(JSON)) {
            throw new ApiException(415, "json_only", "Sign in with a JSON body and the header Content-Type:"
                    + " application/json.");
        }
        LoginBody body = ctx.bodyAsClass(LoginBody.class);
        if (body.email() == null || body.password() == null) {
            throw ApiException.badRequest("malformed_body", "Send {\"email\": ..., \"password\": ...}.");
        }
        Authenticator.Session session = authenticator.login(body.email(), body.password(), ctx.ip());
        boolean tls = "https".equals(ctx.scheme()) || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
        ctx.header("Set-Cookie", ApiServer.SESSION_COOKIE + "=" + session.sessionId() + "; Path=/; Max-Age="
                + session.lifetime().toSeconds() + "; HttpOnly; SameSite=Lax" + (tls ? "; Secure" : ""));
        ctx.json(Map.of("csrfToken", session.csrfToken(), "accountId", session.principal().accountId(),
                "role", session.principal().role()));
    }

    private static void logout(Context ctx, Authenticator authenticator) {
        String session = ctx.cookie(ApiServer.SESSION_COOKIE);
        if (session != null) {
            authenticator.logout(session);
        }
        ctx.header("Set-Cookie", ApiServer.SESSION_COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
        ctx.json(Map.of("status", "signed_out"));
    }

    private static void pay(Context ctx, PaymentCommands commands) {
        PaymentBody body = ctx.bodyAsClass(PaymentBody.class);
        written(ctx, commands.pay(ApiServer.principal(ctx), ctx.pathParam("accountId"), body.amountCents(),
                body.paymentMethodId(), ctx.header("Idempotency-Key")));
    }

    private static void written(Context ctx, WriteOutcome outcome) {
        ctx.status(outcome.applied() ? 200 : 202).json(outcome);
    }

    private static void exportCsv(Context ctx, BillingLogQueries billingLog) throws java.io.IOException {
        var filter = filter(ctx);
        var user = ApiServer.principal(ctx);
        String accountId = ctx.pathParam("accountId");
        ctx.contentType("text/csv; charset=utf-8");
        ctx.header("Content-Disposition", "attachment; filename=\"billing-log-" + accountId + ".csv\"");
        try (Writer out = new BufferedWriter(new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8))) {
            billingLog.export(user, accountId, filter, out);
        }
    }

    private static BillingLogQueries.Filter filter(Context ctx) {
        return BillingLogQueries.Filter.of(ctx.queryParam("q"), ctx.queryParam("kind"), ctx.queryParam("from"),
                ctx.queryParam("to"));
    }

    private static int limit(Context ctx, int fallback) {
        String text = ctx.queryParam("limit");
        try {
            return text == null ? fallback : Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("bad_limit", "limit must be a whole number, was '" + text + "'.");
        }
    }

    /** @param lag records the read model is behind the ends of its topics, -1 before its first poll */
    public record Health(boolean running, long lag, long skipped, long expired) {
    }

    record LoginBody(String email, String password) {
    }

    record PaymentBody(long amountCents, String paymentMethodId) {
    }

    record EmailsBody(List<String> emails) {
        EmailsBody {
            if (emails == null) {
                throw ApiException.badRequest("malformed_body", "Send {\"emails\": [\"...\"]}.");
            }
        }
    }

    record PhoneBody(String phone) {
    }

    record RoleBody(String role) {
    }

    record TaxExemptBody(Boolean taxExempt) {
        TaxExemptBody {
            if (taxExempt == null) {
                throw ApiException.badRequest("malformed_body", "Send {\"taxExempt\": true} or false.");
            }
        }
    }

    record PlanFeeBody(Boolean directCharge) {
        PlanFeeBody {
            if (directCharge == null) {
                throw ApiException.badRequest("malformed_body", "Send {\"directCharge\": true} or false.");
            }
        }
    }
}
