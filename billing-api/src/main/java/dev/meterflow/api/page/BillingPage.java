package dev.meterflow.api.page;

import dev.meterflow.api.ApiException;
import dev.meterflow.api.access.Authenticator;
import dev.meterflow.api.access.Principal;
import dev.meterflow.api.advice.AdviceQueries;
import dev.meterflow.api.commands.CommandPublisher;
import dev.meterflow.api.http.ApiRoutes;
import dev.meterflow.api.http.ApiServer;
import dev.meterflow.api.notify.StatementRequests;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import io.javalin.router.Endpoint;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Billing Settings page at {@code /billing}: server-rendered, every form a plain POST answered by a redirect
 * (or, refused, by the page again with the problems next to the fields), htmx only making it faster. Signed in
 * by the API's session cookie; every form carries the session's CSRF token as the field {@code csrfToken}, and the
 * sign-in form, before there is a session, a token of its own ({@link SignInTokens}).
 */
public final class BillingPage {

    public static final String BASE = "/billing";
    static final String SIGN_IN = BASE + "/sign-in";
    static final String ACCOUNT = BASE + "/accounts/{accountId}";

    private static final Logger log = LoggerFactory.getLogger(BillingPage.class);

    private final Authenticator authenticator;
    private final PageViews views;
    private final PageForms forms;
    private final SignInTokens signInTokens;
    private final Templates templates = new Templates();

    BillingPage(Authenticator authenticator, PageViews views, PageForms forms, SignInTokens signInTokens) {
        this.authenticator = authenticator;
        this.views = views;
        this.forms = forms;
        this.signInTokens = signInTokens;
    }

    /** The page over the services the JSON routes call. */
    public static BillingPage create(ApiRoutes.Services services, AdviceQueries advice, StatementRequests statements,
                                     Clock clock) {
        PageViews views = new PageViews(services.accounts(), services.payments(), services.billingLog(), advice,
                statements, services.taxes(), services.subAccounts(), clock);
        PageForms forms = new PageForms(services.accounts(), services.settings(), services.paymentCommands(),
                statements, clock);
        return new BillingPage(services.authenticator(), views, forms, SignInTokens.withRandomKey());
    }

    /** Adds the page's routes and htmx (served from its webjar under {@code /webjars}). */
    public void register(JavalinConfig config) {
        config.staticFiles.enableWebjars();
        add(config, HandlerType.GET, SIGN_IN, ctx -> signInPage(ctx, 200, "", null));
        add(config, HandlerType.POST, SIGN_IN, this::signIn);
        add(config, HandlerType.POST, BASE + "/sign-out", this::signOut);
        add(config, HandlerType.GET, BASE, ctx -> signedIn(ctx).ifPresent(user ->
                ctx.redirect(BASE + "/accounts/" + PageViews.encode(user.accountId()), HttpStatus.SEE_OTHER)));
        add(config, HandlerType.GET, ACCOUNT, ctx -> signedIn(ctx).ifPresent(user -> page(ctx, user, 200,
                forms.notice(ctx.queryParam("saved")), Form.NONE)));
        add(config, HandlerType.GET, ACCOUNT + "/live", ctx -> signedIn(ctx).ifPresent(user ->
                templates.render(ctx, 200, "live.jte", Map.of("live", views.live(user, ctx.pathParam("accountId"))))));
        add(config, HandlerType.GET, ACCOUNT + "/sub-accounts", ctx -> signedIn(ctx).ifPresent(user ->
                subAccountsFragment(ctx, views.subAccounts(user, ctx.pathParam("accountId")))));
        forms.actions().forEach((path, action) -> add(config, HandlerType.POST, ACCOUNT + path,
                ctx -> post(ctx, action)));
    }

    private void add(JavalinConfig config, HandlerType method, String path, Handler handler) {
        config.routes.addEndpoint(new Endpoint(method, path, ctx -> {
            try {
                handler.handle(ctx);
            } catch (ApiException e) {
                errorPage(ctx, e.status(), e.getMessage());
            } catch (CommandPublisher.CommandNotWritten e) {
                log.warn("page change not written path='{}' reason='{}'", ctx.path(), e.getMessage());
                errorPage(ctx, 503, "Nothing was saved: the billing pipeline did not take the change. Try again in a"
                        + " minute.");
            }
        }));
    }

    /** The agency's live list; 204 (htmx keeps what it shows) for anyone but its agency admin. */
    private void subAccountsFragment(Context ctx, BillingView.SubAccountList list) {
        if (list == null) {
            ctx.status(HttpStatus.NO_CONTENT);
            return;
        }
        templates.render(ctx, 200, "section/subAccounts.jte", Map.of("list", list));
    }

    private void page(Context ctx, Principal user, int status, String notice, Form form) {
        BillingView view = views.view(user, ctx.pathParam("accountId"), query(ctx), notice, form);
        templates.render(ctx, status, "billing.jte", Map.of("view", view));
    }

    private void post(Context ctx, PageForms.Action action) {
        Optional<Principal> signedIn = signedIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        Principal user = signedIn.get();
        if (!Authenticator.csrfMatches(user, ctx.formParam(ApiServer.CSRF_FIELD))) {
            log.info("page form refused without its CSRF token user='{}' path='{}'", user.userId(), ctx.path());
            errorPage(ctx, 403, "This form did not come from your Billing Settings page (its security token is"
                    + " missing or old). Reload the page and try again.");
            return;
        }
        String accountId = ctx.pathParam("accountId");
        PageForms.Result result = action.apply(user, accountId, ctx);
        if (result.refused() == null) {
            ctx.redirect(BASE + "/accounts/" + PageViews.encode(accountId) + result.redirect(), HttpStatus.SEE_OTHER);
        } else {
            page(ctx, user, result.status(), null, result.refused());
        }
    }

    /** The signed-in user, or a redirect to the sign-in page (and empty). */
    private Optional<Principal> signedIn(Context ctx) {
        String session = ctx.cookie(ApiServer.SESSION_COOKIE);
        Optional<Principal> user = session == null ? Optional.empty() : authenticator.bySession(session);
        if (user.isEmpty()) {
            ctx.redirect(SIGN_IN, HttpStatus.SEE_OTHER);
        }
        return user;
    }

    private void signIn(Context ctx) {
        String email = Optional.ofNullable(ctx.formParam("email")).orElse("").strip();
        String password = Optional.ofNullable(ctx.formParam("password")).orElse("");
        if (!signInTokens.matches(ctx.cookie(SignInTokens.COOKIE), ctx.formParam(ApiServer.CSRF_FIELD))) {
            log.info("sign-in form refused without its CSRF token");
            signInPage(ctx, 403, email, "This sign-in form did not come from this page, or it is from before the"
                    + " server restarted. Enter your password again.");
            return;
        }
        if (email.isEmpty() || password.isEmpty()) {
            signInPage(ctx, 400, email, "Enter your email address and your password.");
            return;
        }
        try {
            Authenticator.Session session = authenticator.login(email, password, ctx.ip());
            ctx.header("Set-Cookie", ApiServer.sessionCookie(ctx, session.sessionId(), session.lifetime()));
            ctx.redirect(BASE, HttpStatus.SEE_OTHER);
        } catch (ApiException e) {
            signInPage(ctx, e.status(), email, e.getMessage());
        }
    }

    private void signOut(Context ctx) {
        String session = ctx.cookie(ApiServer.SESSION_COOKIE);
        Optional<Principal> user = session == null ? Optional.empty() : authenticator.bySession(session);
        if (user.isPresent() && Authenticator.csrfMatches(user.get(), ctx.formParam(ApiServer.CSRF_FIELD))) {
            authenticator.logout(session);
            ctx.header("Set-Cookie", ApiServer.SESSION_COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
        }
        ctx.redirect(SIGN_IN + "?signedOut=true", HttpStatus.SEE_OTHER);
    }

    /**
     * The sign-in form with its CSRF token: the field signed for the browser's sign-in cookie, which is kept when
     * it has one, so two open sign-in tabs both work.
     */
    private void signInPage(Context ctx, int status, String email, String error) {
        String cookie = ctx.cookie(SignInTokens.COOKIE);
        if (!SignInTokens.wellFormed(cookie)) {
            cookie = SignInTokens.newCookieValue();
            boolean tls = "https".equals(ctx.scheme()) || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
            ctx.header("Set-Cookie", SignInTokens.COOKIE + "=" + cookie + "; Path=" + SIGN_IN
                    + "; HttpOnly; SameSite=Strict" + (tls ? "; Secure" : ""));
        }
        Map<String, Object> params = new HashMap<>();
        params.put("email", email);
        params.put("error", error);
        params.put("signedOut", "true".equals(ctx.queryParam("signedOut")));
        params.put("csrfToken", signInTokens.field(cookie));
        templates.render(ctx, status, "signin.jte", params);
    }

    private void errorPage(Context ctx, int status, String message) {
        templates.render(ctx, status, "error.jte", Map.of("status", status, "message", message));
    }

    private static Map<String, String> query(Context ctx) {
        Map<String, String> query = new HashMap<>();
        ctx.queryParamMap().forEach((key, values) -> {
            if (!values.isEmpty()) {
                query.put(key, values.get(0));
            }
        });
        return query;
    }
}
