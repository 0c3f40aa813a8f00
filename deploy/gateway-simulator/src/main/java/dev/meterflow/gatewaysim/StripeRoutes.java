package dev.meterflow.gatewaysim;

import io.javalin.router.JavalinDefaultRoutingApi;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The HTTP shell of the Stripe endpoints: turns a request into an {@link ApiCall}, asks {@link StripeApi}, and
 * writes the answer after the simulated latency (and, for "charge then time out", after the hold) without
 * blocking a server thread while it waits. Authentication failures and rate limiting are answered at once,
 * as at Stripe's edge; everything else, injected server errors included, takes the latency.
 */
final class StripeRoutes {

    private final StripeApi api;
    private final ScheduledExecutorService timer;

    StripeRoutes(StripeApi api, ScheduledExecutorService timer) {
        this.api = api;
        this.timer = timer;
    }

    void register(JavalinDefaultRoutingApi app) {
        app.post("/v1/payment_intents", ctx -> serve(ctx, this::create));
        // Registered before /{id}, which would otherwise take "search" for an id.
        app.get("/v1/payment_intents/search",
                ctx -> serve(ctx, call -> afterLatency(() -> api.search(call.params()))));
        app.get("/v1/payment_intents/{id}", ctx -> {
            String id = ctx.pathParam("id");
            serve(ctx, call -> afterLatency(() -> api.retrieve(id, call.params())));
        });
        // the cheap authenticated call a client makes to check its key; answered at once, never a fault
        app.get("/v1/balance", ctx -> {
            ApiCall call = toCall(ctx);
            write(ctx, call, api.gatekeep(call).orElseGet(StripeRoutes::balance));
        });
        app.get("/v1/*", ctx -> serve(ctx, call -> afterLatency(() -> unrecognized(call))));
        app.post("/v1/*", ctx -> serve(ctx, call -> afterLatency(() -> unrecognized(call))));
    }

    private void serve(Context ctx, Function<ApiCall, CompletableFuture<ApiResponse>> endpoint) throws Exception {
        ApiCall call = toCall(ctx);
        Optional<ApiResponse> refused = api.gatekeep(call);
        if (refused.isPresent()) {
            write(ctx, call, refused.get());
            return;
        }
        CompletableFuture<ApiResponse> answer = api.injectedFault(call)
                .map(fault -> afterLatency(() -> fault))
                .orElseGet(() -> endpoint.apply(call));
        if (answer.isDone()) {
            write(ctx, call, answer.get());
        } else {
            ctx.future(() -> answer.thenAccept(response -> write(ctx, call, response)));
        }
    }

    /** Validate and reserve the key now; charge once the latency has passed; hold the answer if asked to. */
    private CompletableFuture<ApiResponse> create(ApiCall call) {
        StripeApi.CreateStep step = api.beginCreate(call);
        if (step instanceof StripeApi.Answered answered) {
            return afterLatency(answered::response);
        }
        StripeApi.PendingCreate pending = ((StripeApi.Started) step).create();
        return afterLatency(() -> api.execute(pending))
                .thenCompose(executed -> after(executed.holdMs(), executed::response));
    }

    /** Stripe's balance object, empty: the simulator keeps no funds. */
    private static ApiResponse balance() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("object", "balance");
        body.put("available", List.of(Map.of("amount", 0, "currency", "usd")));
        body.put("pending", List.of(Map.of("amount", 0, "currency", "usd")));
        body.put("livemode", false);
        return ApiResponse.ok(body);
    }

    private ApiResponse unrecognized(ApiCall call) {
        return StripeErrors.unrecognizedUrl(call.method(), call.path());
    }

    private <T> CompletableFuture<T> afterLatency(Supplier<T> work) {
        return after(api.settings().latencyMs(), work);
    }

    private <T> CompletableFuture<T> after(long delayMs, Supplier<T> work) {
        if (delayMs == 0) {
            return run(work);
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        timer.schedule(() -> run(work).whenComplete((value, failure) -> {
            if (failure == null) {
                result.complete(value);
            } else {
                result.completeExceptionally(failure);
            }
        }), delayMs, TimeUnit.MILLISECONDS);
        return result;
    }

    private static <T> CompletableFuture<T> run(Supplier<T> work) {
        try {
            return CompletableFuture.completedFuture(work.get());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static ApiCall toCall(Context ctx) {
        Map<String, List<String>> params = ctx.method().name().equals("POST")
                ? ctx.formParamMap()
                : ctx.queryParamMap();
        return new ApiCall(Ids.request(), ctx.method().name(), ctx.path(), ctx.header("Authorization"),
                ctx.header("Idempotency-Key"), firstValues(params));
    }

    private static Map<String, String> firstValues(Map<String, List<String>> params) {
        Map<String, String> first = new LinkedHashMap<>();
        params.forEach((name, values) -> {
            if (!values.isEmpty()) {
                first.put(name, values.get(0));
            }
        });
        return first;
    }

    static void write(Context ctx, ApiCall call, ApiResponse response) {
        ctx.status(response.status());
        response.headers().forEach(ctx::header);
        ctx.header("Request-Id", call.requestId());
        ctx.contentType("application/json");
        ctx.result(Json.write(response.body()));
    }
}
