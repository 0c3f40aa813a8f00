package dev.meterflow.gatewaysim;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real HTTP server speaking the subset of Stripe's API that the recharge worker's Stripe adapter uses:
 * {@code POST /v1/payment_intents} (create and confirm), {@code GET /v1/payment_intents/{id}} and
 * {@code GET /v1/payment_intents/search}, with Stripe's idempotency layer, its test payment methods, and
 * knobs for latency, server errors, rate limits and "charge then time out". Point stripe-java at it with
 * {@code StripeClient.builder().setApiKey("sk_test_...").setApiBase(simulator.baseUrl())}.
 *
 * <p>Its ledger ({@link #charges()}, {@code GET /_sim/charges}) is the truth about what was charged, for
 * "never two charges for one request" checks.
 *
 * <pre>{@code
 * try (GatewaySimulator gateway = GatewaySimulator.start(0, SimulatorSettings.defaults())) {
 *     StripeClient stripe = StripeClient.builder().setApiKey("sk_test_x").setApiBase(gateway.baseUrl()).build();
 *     ...
 *     assertThat(gateway.successfulChargesByRequestId().get("rr-1")).hasSize(1);
 * }
 * }</pre>
 */
public final class GatewaySimulator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GatewaySimulator.class);

    /** Loopback only: the simulator holds no secrets, but nothing off this machine needs it. */
    public static final String DEFAULT_HOST = "127.0.0.1";

    private final StripeApi api;
    private final Javalin app;
    private final ScheduledExecutorService timer;
    private final String baseUrl;
    private final AtomicBoolean closed = new AtomicBoolean();

    private GatewaySimulator(StripeApi api, Javalin app, ScheduledExecutorService timer, String baseUrl) {
        this.api = api;
        this.app = app;
        this.timer = timer;
        this.baseUrl = baseUrl;
    }

    /** Starts a simulator on the loopback address; {@code port} 0 picks a free port. */
    public static GatewaySimulator start(int port, SimulatorSettings settings) {
        return start(DEFAULT_HOST, port, settings);
    }

    public static GatewaySimulator start(String host, int port, SimulatorSettings settings) {
        StripeApi api = new StripeApi(settings, Clock.systemUTC(), System::nanoTime);
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, daemonThreads());
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            // Held responses must not hold up close(): no graceful wait for in-flight requests.
            config.jetty.modifyServer(server -> server.setStopTimeout(0));
            new StripeRoutes(api, timer).register(config.routes);
            new ControlRoutes(api).register(config.routes);
            config.routes.exception(Exception.class, GatewaySimulator::internalError);
        });
        try {
            app.start(host, port);
        } catch (RuntimeException e) {
            timer.shutdownNow();
            throw e;
        }
        String baseUrl = "http://" + host + ":" + app.port();
        log.info("gateway simulator started baseUrl='{}' settings='{}'", baseUrl, settings);
        return new GatewaySimulator(api, app, timer, baseUrl);
    }

    /** The API base for stripe-java's {@code setApiBase}, e.g. {@code http://127.0.0.1:12111}. */
    public String baseUrl() {
        return baseUrl;
    }

    public int port() {
        return app.port();
    }

    public SimulatorSettings settings() {
        return api.settings();
    }

    /** Applies to requests that arrive from now on. */
    public void updateSettings(SimulatorSettings settings) {
        api.updateSettings(settings);
    }

    /** Every charge attempt, successful or declined, in the order they were made. */
    public List<Charge> charges() {
        return api.charges();
    }

    /**
     * The successful charges grouped by {@code metadata[requestId]}, in first-charge order; charges without a
     * request id are left out. "One charge per request" means every list here has one element.
     */
    public Map<String, List<Charge>> successfulChargesByRequestId() {
        Map<String, List<Charge>> byRequest = new LinkedHashMap<>();
        for (Charge charge : charges()) {
            if (charge.succeeded() && charge.requestId() != null) {
                byRequest.computeIfAbsent(charge.requestId(), id -> new ArrayList<>()).add(charge);
            }
        }
        byRequest.replaceAll((id, charges) -> List.copyOf(charges));
        return Collections.unmodifiableMap(byRequest);
    }

    /** Payment intents accepted and still being processed (within the simulated latency): no charge yet. */
    public int paymentsInProgress() {
        return api.createsInProgress();
    }

    /** Forgets all intents, charges and idempotency keys; keeps the settings and restarts their random draws. */
    public void reset() {
        api.reset();
    }

    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        app.stop();
        timer.shutdownNow();
        log.info("gateway simulator stopped baseUrl='{}'", baseUrl);
    }

    private static void internalError(Exception exception, Context ctx) {
        Throwable cause = exception;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        log.error("gateway simulator failed method='{}' path='{}'", ctx.method(), ctx.path(), cause);
        ApiResponse response = StripeErrors.apiError("The gateway simulator failed: " + cause);
        ctx.status(response.status());
        ctx.contentType("application/json");
        ctx.result(Json.write(response.body()));
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "gateway-simulator-timer-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
