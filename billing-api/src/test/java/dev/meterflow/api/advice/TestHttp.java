package dev.meterflow.api.advice;

import dev.meterflow.api.http.ApiServer;
import dev.meterflow.api.http.Route;
import io.javalin.Javalin;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The API's server on 127.0.0.1 (its JSON and its refusals) serving only the handlers under test, without
 * sign-in, and a client for it; the routes' sign-in and account checks are covered by BillingApiIT.
 */
public final class TestHttp implements AutoCloseable {

    private final Javalin server;
    private final HttpClient client = HttpClient.newHttpClient();

    public TestHttp(Map<String, Handler> getRoutes) {
        this(getRoutes, Map.of());
    }

    public TestHttp(Map<String, Handler> getRoutes, Map<String, Handler> postRoutes) {
        List<Route> routes = new ArrayList<>();
        getRoutes.forEach((path, handler) -> routes.add(route(HandlerType.GET, path, handler)));
        postRoutes.forEach((path, handler) -> routes.add(route(HandlerType.POST, path, handler)));
        this.server = ApiServer.create(routes, null).start("127.0.0.1", 0);
    }

    private static Route route(HandlerType method, String path, Handler handler) {
        return new Route(method, path, "under test", List.of(), "application/json", false, handler);
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
