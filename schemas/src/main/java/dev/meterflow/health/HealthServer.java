package dev.meterflow.health;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.meterflow.config.AppConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's window on an app: {@code /metrics} (Prometheus text), {@code /health/live} (the process answers)
 * and {@code /health/ready} (200, or 503 with the reason it is not ready). One small JDK server on one thread:
 * a scrape or a probe must never compete with the billing work for more than that.
 */
public final class HealthServer implements AutoCloseable {

    public static final String METRICS = "/metrics";
    public static final String LIVE = "/health/live";
    public static final String READY = "/health/ready";
    /** The key both apps read the port from. */
    public static final String PORT_KEY = "meterflow.health.port";
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private static final Logger log = LoggerFactory.getLogger(HealthServer.class);

    private final HttpServer server;

    private HealthServer(HttpServer server) {
        this.server = server;
    }

    /**
     * Listens on {@code port} (0: any free port, logged) on every interface; a port it cannot have stops start-up
     * as a configuration error naming the key.
     *
     * @param notReady why the app is not ready, empty when it is
     * @param metrics  the current metrics in Prometheus' text format
     */
    public static HealthServer start(String app, int port, Supplier<Optional<String>> notReady,
                                     Supplier<String> metrics) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(port), 0);
        } catch (IOException e) {
            throw new AppConfig.ConfigException(PORT_KEY + "=" + port + ": cannot listen there (" + e.getMessage()
                    + ")");
        }
        server.setExecutor(Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, app + "-health");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext(METRICS, exchange -> answer(exchange, 200, PROMETHEUS_TEXT, metrics.get()));
        server.createContext(LIVE, exchange -> answer(exchange, 200, "text/plain", "live\n"));
        server.createContext(READY, exchange -> {
            Optional<String> reason = notReady.get();
            answer(exchange, reason.isEmpty() ? 200 : 503, "text/plain",
                    reason.map(why -> "not ready: " + why + "\n").orElse("ready\n"));
        });
        server.start();
        HealthServer started = new HealthServer(server);
        log.info("health and metrics listening app='{}' port={} paths='{} {} {}'", app, started.port(), METRICS,
                LIVE, READY);
        return started;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static void answer(HttpExchange exchange, int status, String contentType, String body)
            throws IOException {
        try (exchange) {
            if (!exchange.getRequestURI().getPath().equals(exchange.getHttpContext().getPath())) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
