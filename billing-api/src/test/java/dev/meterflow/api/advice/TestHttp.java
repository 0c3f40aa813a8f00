package dev.meterflow.api.advice;

import io.javalin.Javalin;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/** A Javalin on 127.0.0.1 serving only the handlers under test, and a client for it. */
public final class TestHttp implements AutoCloseable {

    private final Javalin server;
    private final HttpClient client = HttpClient.newHttpClient();

    public TestHttp(Map<String, Handler> getRoutes) {
        this(getRoutes, Map.of());
    }

    public TestHttp(Map<String, Handler> getRoutes, Map<String, Handler> postRoutes) {
        this.server = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            getRoutes.forEach((path, handler) -> config.routes.addEndpoint(new Endpoint(HandlerType.GET, path,
                    handler)));
            postRoutes.forEach((path, handler) -> config.routes.addEndpoint(new Endpoint(HandlerType.POST, path,
                    handler)));
        }).start("127.0.0.1", 0);
    }

    /** POSTs a JSON body with an Idempotency-Key header when {@code key} is not null. */
    public HttpResponse<String> post(String path, String json, String key) {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> get(String path) {
        return send(path, HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<byte[]> getBytes(String path) {
        return send(path, HttpResponse.BodyHandlers.ofByteArray());
    }

    private <T> HttpResponse<T> send(String path, HttpResponse.BodyHandler<T> body) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET()
                    .build(), body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
