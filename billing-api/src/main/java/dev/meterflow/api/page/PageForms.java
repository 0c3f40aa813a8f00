package dev.meterflow.api.page;

import dev.meterflow.api.ApiException;
import dev.meterflow.api.access.Principal;
import dev.meterflow.api.accounts.AccountAccess;
import dev.meterflow.api.accounts.AccountSummary;
import dev.meterflow.api.commands.WriteOutcome;
import dev.meterflow.api.notify.Cadence;
import dev.meterflow.api.notify.StatementRequests;
import dev.meterflow.api.payments.PaymentCommands;
import dev.meterflow.api.settings.SettingsCommands;
import dev.meterflow.api.settings.SettingsCommands.AutoRechargeChange;
import dev.meterflow.api.settings.SettingsCommands.NewPaymentMethod;
import dev.meterflow.api.settings.SubAccountSettings;
import dev.meterflow.api.settings.SubAccountSettings.Part;
import dev.meterflow.api.statements.StatementPeriod;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The page's forms: each reads its fields, refuses what it can tell is wrong field by field, and calls the
 * service the JSON route calls; a refusal of the service is shown on the form as a whole.
 */
public final class PageForms {

    private static final Map<String, String> NOTICES = Map.of(
            "payment-methods", "Payment methods saved.",
            "auto-recharge", "Auto recharge settings saved.",
            "phone", "Critical billing phone number saved.",
            "statement-sent", "The statement is on its way; it arrives by email in a minute or two.",
            "schedule", "Recurring statement added.",
            "plan-fee", "Plan fee payment saved.",
            "billing-emails", "Billing emails saved.",
            "service-address", "Service address saved.",
            "tax-exemption", "Tax exemption saved.");
    private static final String STILL_APPLYING = " It is still being applied: reload in a few seconds.";

    private final AccountAccess accounts;
    private final SettingsCommands settings;
    private final PaymentCommands payments;
    private final StatementRequests statements;
    private final Clock clock;

    public PageForms(AccountAccess accounts, SettingsCommands settings, PaymentCommands payments,
                     StatementRequests statements, Clock clock) {
        this.accounts = accounts;
        this.settings = settings;
        this.payments = payments;
        this.statements = statements;
        this.clock = clock;
    }

    /** Handles one form: a redirect query ({@code ?saved=...#section}) when done, else the refused form. */
    interface Action {
        Result apply(Principal user, String accountId, Context ctx);
    }

    /** {@code refused} null: done, go to {@code redirect}. */
    record Result(String redirect, Form refused, int status) {
        static Result done(String redirect) {
            return new Result(redirect, null, 303);
        }

        static Result refused(Form form) {
            return new Result(null, form, 400);
        }
    }

    /** The forms by path under the account. */
    Map<String, Action> actions() {
        Map<String, Action> actions = new LinkedHashMap<>();
        actions.put("/payment-methods", ownSettingsOnly(Part.PAYMENT_METHODS, this::addPaymentMethod));
        actions.put("/payment-methods/remove", ownSettingsOnly(Part.PAYMENT_METHODS, this::removePaymentMethod));
        actions.put("/payment-methods/role", ownSettingsOnly(Part.PAYMENT_METHODS, this::changeRole));
        actions.put("/auto-recharge", ownSettingsOnly(Part.AUTO_RECHARGE, this::autoRecharge));
        actions.put("/critical-billing-phone", this::phone);
        actions.put("/billing-emails", this::addBillingEmail);
        actions.put("/billing-emails/remove", this::removeBillingEmail);
        actions.put("/payments", this::pay);
        actions.put("/plan-fee", ownSettingsOnly(Part.PLAN_FEE, this::planFee));
        actions.put("/service-address", this::serviceAddress);
        actions.put("/tax-exemption", this::taxExemption);
        actions.put("/statements/send", this::sendStatement);
        actions.put("/statements/schedules", this::schedule);
        return actions;
    }

    /**
     * A sub-account's payment methods, auto recharge and plan-fee opt-in are stored but never applied (its agency's
     * are), so its page shows none of these forms; a post to one (an old page, a hand-made request) is refused, as
     * the JSON API refuses it, before its fields are read.
     */
    private Action ownSettingsOnly(Part part, Action action) {
        return (user, accountId, ctx) -> {
            SubAccountSettings.requireOwn(part, accountId, accounts.toRead(user, accountId).parentAccountId());
            return action.apply(user, accountId, ctx);
        };
    }

    String notice(String saved) {
        if (saved == null) {
            return null;
        }
        boolean applying = saved.endsWith("-applying");
        String notice = NOTICES.get(applying ? saved.substring(0, saved.length() - "-applying".length()) : saved);
        return notice == null ? null : notice + (applying ? STILL_APPLYING : "");
    }

    private Result addPaymentMethod(Principal user, String accountId, Context ctx) {
        Form form = Form.of("payment-methods", fields(ctx, "card", "token", "brand", "last4", "role", "expMonth",
                "expYear"));
        String token = form.values().get("token").strip();
        String brand = form.values().get("brand");
        String last4 = form.values().get("last4").strip();
        if (token.isEmpty()) {
            var card = PaymentMethodChoice.testCard(form.values().get("card"));
            if (card.isEmpty()) {
                return Result.refused(form.withError("card", "Choose a card, or enter a gateway token below."));
            }
            token = card.get().token();
            brand = card.get().brand();
            last4 = card.get().last4();
        }
        Optional<String> refusal = PaymentMethodChoice.refusal(brand);
        if (refusal.isPresent()) {
            return Result.refused(form.withError(form.values().get("token").isBlank() ? "card" : "brand",
                    refusal.get()));
        }
        ExpiryInput expiry = ExpiryInput.of(form.values().get("expMonth"), form.values().get("expYear"),
                PaymentMethodChoice.isBankAccount(brand), YearMonth.now(clock.withZone(ZoneOffset.UTC)));
        if (expiry.problem() != null) {
            return Result.refused(form.withError("expiry", expiry.problem()));
        }
        String customer = customerOf(user, accountId);
        NewPaymentMethod method = new NewPaymentMethod(token, customer, brand, last4, form.values().get("role"),
                expiry.month(), expiry.year());
        return saved(form, "payment-methods", () -> settings.addPaymentMethod(user, accountId, method));
    }

    /** A number the read model's JSON holds, or {@code null} when it has none (an expiry not known). */
    private static Integer optionalInt(com.fasterxml.jackson.databind.JsonNode node) {
        return node.isInt() ? node.intValue() : null;
    }

    private Result removePaymentMethod(Principal user, String accountId, Context ctx) {
        Form form = Form.of("payment-methods", fields(ctx, "paymentMethodId"));
        return saved(form, "payment-methods", () -> settings.removePaymentMethod(user, accountId,
                form.values().get("paymentMethodId")));
    }

    /**
     * The pencil: the method added again with its new role, which {@code addPaymentMethod} moves off the method
     * that had it.
     */
    private Result changeRole(Principal user, String accountId, Context ctx) {
        Form form = Form.of("payment-methods", fields(ctx, "paymentMethodId", "role"));
        String id = form.values().get("paymentMethodId");
        var methods = AccountSummary.of(accounts.toRead(user, accountId)).paymentMethods();
        for (int i = 0; methods != null && i < methods.size(); i++) {
            var method = methods.get(i);
            if (method.path("paymentMethodId").asText().equals(id)) {
                NewPaymentMethod changed = new NewPaymentMethod(id, method.path("customerId").asText(),
                        method.path("brand").asText(), method.path("last4").asText(), form.values().get("role"),
                        optionalInt(method.path("expMonth")), optionalInt(method.path("expYear")));
                return saved(form, "payment-methods", () -> settings.addPaymentMethod(user, accountId, changed));
            }
        }
        return Result.refused(form.withError("", "That payment method is no longer on this account; reload the"
                + " page."));
    }

    private Result autoRecharge(Principal user, String accountId, Context ctx) {
        Form form = Form.of("auto-recharge", fields(ctx, "enabled", "mode", "threshold", "target", "amount"));
        String mode = form.values().get("mode").isBlank() ? "TOP_UP_TO_TARGET" : form.values().get("mode");
        boolean fixed = "FIXED_AMOUNT".equals(mode);
        Optional<Long> threshold = DollarInput.cents(form.values().get("threshold"));
        Optional<Long> target = DollarInput.cents(form.values().get("target"));
        Optional<Long> amount = DollarInput.cents(form.values().get("amount"));
        if (threshold.isEmpty()) {
            form = form.withError("threshold", DollarInput.problem("The threshold"));
        }
        if (!fixed && target.isEmpty()) {
            form = form.withError("target", DollarInput.problem("Recharge to"));
        }
        if (fixed && amount.isEmpty()) {
            form = form.withError("amount", DollarInput.problem("The recharge amount"));
        }
        if (form.hasErrors()) {
            return Result.refused(form);
        }
        AutoRechargeChange change = new AutoRechargeChange("on".equals(form.values().get("enabled")), mode,
                threshold.get(), target.orElse(0L), amount.orElse(0L));
        return saved(form, "auto-recharge", () -> settings.updateAutoRecharge(user, accountId, change));
    }

    private Result phone(Principal user, String accountId, Context ctx) {
        Form form = Form.of("critical-billing-phone", fields(ctx, "phone"));
        String phone = form.values().get("phone").replaceAll("[\\s().-]", "");
        return saved(form, "phone", () -> settings.updateCriticalBillingPhone(user, accountId,
                phone.isEmpty() ? null : phone));
    }

    private Result addBillingEmail(Principal user, String accountId, Context ctx) {
        Form form = Form.of("billing-emails", fields(ctx, "email"));
        String email = form.values().get("email").strip();
        if (email.isEmpty()) {
            return Result.refused(form.withError("email", "Enter the email address to add."));
        }
        List<String> emails = new ArrayList<>(billingEmails(user, accountId));
        if (emails.stream().anyMatch(email::equalsIgnoreCase)) {
            return Result.refused(form.withError("email", email + " already receives billing emails."));
        }
        emails.add(email);
        return saved(form, "billing-emails", "email", () -> settings.updateBillingEmails(user, accountId, emails));
    }

    private Result removeBillingEmail(Principal user, String accountId, Context ctx) {
        Form form = Form.of("billing-emails", fields(ctx, "email"));
        List<String> emails = new ArrayList<>(billingEmails(user, accountId));
        if (!emails.remove(form.values().get("email"))) {
            return Result.refused(form.withError("", form.values().get("email") + " no longer receives billing"
                    + " emails; reload the page."));
        }
        return saved(Form.of("billing-emails", Map.of()), "billing-emails",
                () -> settings.updateBillingEmails(user, accountId, emails));
    }

    private Result planFee(Principal user, String accountId, Context ctx) {
        Form form = Form.of("plan-fee", fields(ctx, "directCharge"));
        return saved(form, "plan-fee", () -> settings.updateDirectChargePlanFee(user, accountId,
                "on".equals(form.values().get("directCharge"))));
    }

    private Result serviceAddress(Principal user, String accountId, Context ctx) {
        Form form = Form.of("service-address", fields(ctx, "line1", "city", "region", "postalCode", "country"));
        AddressInput input = AddressInput.of(form.values());
        for (var problem : input.problems().entrySet()) {
            form = form.withError(problem.getKey(), problem.getValue());
        }
        if (form.hasErrors()) {
            return Result.refused(form);
        }
        return saved(form, "service-address", () -> settings.updateServiceAddress(user, accountId,
                input.address()));
    }

    private Result taxExemption(Principal user, String accountId, Context ctx) {
        Form form = Form.of("tax-exemption", fields(ctx, "taxExempt"));
        return saved(form, "tax-exemption", () -> settings.updateTaxExemption(user, accountId,
                "on".equals(form.values().get("taxExempt"))));
    }

    private List<String> billingEmails(Principal user, String accountId) {
        var emails = AccountSummary.of(accounts.toRead(user, accountId)).billingEmails();
        List<String> list = new ArrayList<>();
        if (emails != null) {
            emails.forEach(email -> list.add(email.asText()));
        }
        return list;
    }

    private Result pay(Principal user, String accountId, Context ctx) {
        Form form = Form.of("make-a-payment", fields(ctx, "amount", "paymentMethodId", "paymentKey"));
        Optional<Long> cents = DollarInput.cents(form.values().get("amount"));
        if (cents.isEmpty()) {
            return Result.refused(form.withError("amount", DollarInput.problem("The amount")));
        }
        String method = form.values().get("paymentMethodId");
        try {
            WriteOutcome outcome = payments.pay(user, accountId, cents.get(), method.isBlank() ? null : method,
                    form.values().get("paymentKey"));
            return Result.done("?payment=" + PageViews.encode(outcome.id()) + "#make-a-payment");
        } catch (ApiException e) {
            return refusal(form, e, "invalid_amount".equals(e.code()) ? "amount" : "");
        }
    }

    private Result sendStatement(Principal user, String accountId, Context ctx) {
        Form form = Form.of("printable-statements", fields(ctx, "from", "to", "email", "statementKey"));
        try {
            accounts.toChange(user, accountId);
            statements.request(accountId, StatementPeriod.parse(form.values().get("from"), form.values().get("to")),
                    List.of(form.values().get("email").strip()), form.values().get("statementKey"), user.actor());
            return Result.done("?saved=statement-sent#printable-statements");
        } catch (ApiException e) {
            return refusal(form, e, e.code().contains("address") || e.code().contains("email") ? "email" : "");
        }
    }

    private Result schedule(Principal user, String accountId, Context ctx) {
        Form form = Form.of("statement-schedule", fields(ctx, "cadence", "email"));
        try {
            accounts.toChange(user, accountId);
            statements.schedule(accountId, Cadence.valueOf(form.values().get("cadence").isBlank() ? "MONTHLY"
                    : form.values().get("cadence")), List.of(form.values().get("email").strip()), user.actor());
            return Result.done("?saved=schedule#printable-statements");
        } catch (ApiException e) {
            return refusal(form, e, "email");
        } catch (IllegalArgumentException e) {
            return Result.refused(form.withError("cadence", "Choose monthly or weekly."));
        }
    }

    private Result saved(Form form, String notice, java.util.function.Supplier<WriteOutcome> write) {
        return saved(form, notice, "", write);
    }

    /** {@code field}: where a refusal of the service is shown ("" for the form as a whole). */
    private Result saved(Form form, String notice, String field, java.util.function.Supplier<WriteOutcome> write) {
        try {
            WriteOutcome outcome = write.get();
            return Result.done("?saved=" + notice + (outcome.applied() ? "" : "-applying") + "#" + form.section());
        } catch (ApiException e) {
            return refusal(form, e, field);
        }
    }

    /** A refusal the user can act on goes on the form; not seeing the account or not allowed to is the page's. */
    private static Result refusal(Form form, ApiException e, String field) {
        if (e.status() != 400) {
            throw e;
        }
        return Result.refused(form.withError(field, e.getMessage()));
    }

    private String customerOf(Principal user, String accountId) {
        var methods = AccountSummary.of(accounts.toRead(user, accountId)).paymentMethods();
        if (methods != null && methods.size() > 0 && !methods.get(0).path("customerId").asText().isBlank()) {
            return methods.get(0).path("customerId").asText();
        }
        return "cus_" + accountId;
    }

    private static Map<String, String> fields(Context ctx, String... names) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : names) {
            String value = ctx.formParam(name);
            values.put(name, value == null ? "" : value);
        }
        return values;
    }
}
