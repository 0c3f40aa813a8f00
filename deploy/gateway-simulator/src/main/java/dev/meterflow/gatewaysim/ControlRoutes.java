package dev.meterflow.gatewaysim;

import io.javalin.router.JavalinDefaultRoutingApi;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /_sim/...}: the simulator's own control and inspection endpoints, for tests and the local stack.
 * They need no API key, get no latency and no injected faults.
 */
final class ControlRoutes {

    private final StripeApi api;

    ControlRoutes(StripeApi api) {
        this.api = api;
    }

    void register(JavalinDefaultRoutingApi app) {
        app.get("/_sim/health", ctx -> json(ctx, 200, Map.of("status", "ok")));
        app.get("/_sim/charges", ctx -> json(ctx, 200, chargesJson(api.charges())));
        app.get("/_sim/settings", ctx -> json(ctx, 200, SettingsJson.toJson(api.settings())));
        app.post("/_sim/settings", this::changeSettings);
        app.post("/_sim/reset", ctx -> {
            api.reset();
            json(ctx, 200, Map.of("status", "reset"));
        });
    }

    private void changeSettings(Context ctx) {
        SimulatorSettings next;
        try {
            next = SettingsJson.apply(api.settings(), Json.read(ctx.body()));
        } catch (IllegalArgumentException e) {
            json(ctx, 400, Map.of("error", e.getMessage()));
            return;
        }
        api.updateSettings(next);
        json(ctx, 200, SettingsJson.toJson(next));
    }

    private static List<Map<String, Object>> chargesJson(List<Charge> charges) {
        return charges.stream().map(ControlRoutes::chargeJson).toList();
    }

    private static Map<String, Object> chargeJson(Charge charge) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", charge.id());
        json.put("paymentIntentId", charge.paymentIntentId());
        json.put("amountCents", charge.amountCents());
        json.put("currency", charge.currency());
        json.put("customer", charge.customer());
        json.put("paymentMethod", charge.paymentMethod());
        json.put("requestId", charge.requestId());
        json.put("accountId", charge.accountId());
        json.put("status", charge.status().wireName());
        json.put("failureCode", charge.failureCode());
        json.put("declineCode", charge.declineCode());
        json.put("idempotencyKey", charge.idempotencyKey());
        json.put("createdAt", charge.createdAt().toString());
        return json;
    }

    private static void json(Context ctx, int status, Object body) {
        ctx.status(status);
        ctx.contentType("application/json");
        ctx.result(Json.write(body));
    }
}
