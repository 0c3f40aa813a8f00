package dev.meterflow.api.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.meterflow.api.ApiException;
import dev.meterflow.api.access.Authenticator;
import dev.meterflow.api.access.Principal;
import dev.meterflow.api.commands.CommandPublisher;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.json.JavalinJackson;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API under {@code /api/v1}: every route of {@link ApiRoutes}, sign-in checked before each, and every
 * refusal as {@code {"error": code, "message": ...}}.
 */
public final class ApiServer {

    public static final String PRINCIPAL = "meterflow.principal";
    public static final String SESSION_COOKIE = "mf_session";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    /** The CSRF token as a form field, for HTML forms, which cannot send a header. */
    public static final String CSRF_FIELD = "csrfToken";

    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

    private ApiServer() {
    }

    public static ObjectMapper json() {
        return new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }

    /** The app, not started, its requests not measured; {@code routes} come from {@link ApiRoutes#all}. */
    public static Javalin create(List<Route> routes, Authenticator authenticator) {
        return create(routes, authenticator, new SimpleMeterRegistry(), config -> { });
    }

    /** The same, timing every request in {@code registry}. */
    public static Javalin create(List<Route> routes, Authenticator authenticator, MeterRegistry registry) {
        return create(routes, authenticator, registry, config -> { });
    }

    /** The same, with more registered by {@code more} (the Billing Settings page). */
    public static Javalin create(List<Route> routes, Authenticator authenticator, Consumer<JavalinConfig> more) {
        return create(routes, authenticator, new SimpleMeterRegistry(), more);
    }

    /**
     * The app, not started, with more registered by {@code more} (the Billing Settings page), timing every request
     * in {@code registry} by method, route template and status (a path's ids never become tags).
     */
    public static Javalin create(List<Route> routes, Authenticator authenticator, MeterRegistry registry,
                                 Consumer<JavalinConfig> more) {
        return Javalin.create(config -> {
            more.accept(config);
            config.requestLogger.http((ctx, millis) -> Timer.builder("meterflow.api.requests")
                    .description("HTTP requests of the billing API by method, route template and status")
                    .tag("method", ctx.method().name()).tag("route", routeTemplate(ctx))
                    .tag("status", Integer.toString(ctx.statusCode())).publishPercentiles(0.5, 0.99)
                    .register(registry).record(Duration.ofNanos((long) (millis * 1_000_000))));
            config.jsonMapper(new JavalinJackson(json(), false));
            config.startup.showJavalinBanner = false;
            for (Route route : routes) {
                config.routes.addEndpoint(new Endpoint(route.method(), route.path(), ctx -> {
                    if (route.signedIn()) {
                        signIn(ctx, authenticator);
                    }
                    route.handler().handle(ctx);
                }));
            }
            config.routes.exception(ApiException.class, (e, ctx) -> error(ctx, e.status(), e.code(), e.getMessage()));
            config.routes.exception(CommandPublisher.CommandNotWritten.class, (e, ctx) -> {
                log.warn("command not written reason='{}'", e.getMessage());
                error(ctx, 503, "not_saved", "Nothing was saved: the billing pipeline did not take the change."
                        + " Try again in a minute.");
            });
            config.routes.exception(Exception.class, (e, ctx) -> {
                if (hasCause(e, MismatchedInputException.class) || hasCause(e,
                        com.fasterxml.jackson.core.JsonProcessingException.class)) {
                    error(ctx, 400, "malformed_body", "The request body is not the JSON this endpoint takes: "
                            + rootMessage(e));
                    return;
                }
                log.error("request failed method='{}' path='{}'", ctx.method(), ctx.path(), e);
                error(ctx, 500, "internal_error", "Something went wrong on our side; nothing more was changed."
                        + " Try again, and tell support if it persists.");
            });
            config.routes.error(404, ctx -> {
                // a refusal of ours (unknown account) is JSON already, or HTML on the page; Javalin's own answer
                // for no route is text
                String type = String.valueOf(ctx.res().getContentType());
                if (!type.startsWith("application/json") && !type.startsWith("text/html")) {
                    error(ctx, 404, "no_such_endpoint", "There is no " + ctx.method() + " " + ctx.path()
                            + "; see /api/v1/openapi.json.");
                }
            });
        });
    }

    /** The signed-in user: API token or session cookie; a cookie's write must carry the session's CSRF token. */
    private static void signIn(Context ctx, Authenticator authenticator) {
        String authorization = ctx.header("Authorization");
        Principal principal;
        if (authorization != null && authorization.startsWith("Bearer ")) {
            principal = authenticator.byApiToken(authorization.substring("Bearer ".length()).strip())
                    .orElseThrow(() -> new ApiException(401, "bad_token", "That API token is not valid (revoked or"
                            + " mistyped); create a new one."));
        } else {
            String session = ctx.cookie(SESSION_COOKIE);
            principal = (session == null ? java.util.Optional.<Principal>empty() : authenticator.bySession(session))
                    .orElseThrow(() -> new ApiException(401, "not_signed_in", "Sign in first (POST /api/v1/session)"
                            + " or send an API token as 'Authorization: Bearer mf_...'."));
            if (ctx.method() != HandlerType.GET && !Authenticator.csrfMatches(principal, csrfToken(ctx))) {
                throw new ApiException(403, "csrf_token_missing", "This change needs the " + CSRF_HEADER
                        + " header with the token you got at sign-in; reload the page and try again.");
            }
        }
        ctx.attribute(PRINCIPAL, principal);
    }

    private static String csrfToken(Context ctx) {
        String header = ctx.header(CSRF_HEADER);
        boolean form = String.valueOf(ctx.contentType()).startsWith("application/x-www-form-urlencoded");
        return header == null && form ? ctx.formParam(CSRF_FIELD) : header;
    }

    /** The session cookie: HttpOnly, SameSite=Lax, and Secure when the request came over TLS. */
    public static String sessionCookie(Context ctx, String sessionId, java.time.Duration lifetime) {
        boolean tls = "https".equals(ctx.scheme()) || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
        return SESSION_COOKIE + "=" + sessionId + "; Path=/; Max-Age=" + lifetime.toSeconds()
                + "; HttpOnly; SameSite=Lax" + (tls ? "; Secure" : "");
    }

    /** The route's template ({@code /api/v1/accounts/{accountId}/summary}), or "unmatched" for no route. */
    private static String routeTemplate(Context ctx) {
        try {
            Endpoint endpoint = ctx.endpoint();
            return endpoint == null ? "unmatched" : endpoint.path;
        } catch (RuntimeException noEndpoint) {
            // Javalin has no endpoint for a request no route matched
            return "unmatched";
        }
    }

    static Principal principal(Context ctx) {
        return ctx.attribute(PRINCIPAL);
    }

    private static void error(Context ctx, int status, String code, String message) {
        ctx.status(status).json(Map.of("error", code, "message", message));
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        int location = message.indexOf(" at [Source");
        return (location > 0 ? message.substring(0, location) : message).strip();
    }
}
