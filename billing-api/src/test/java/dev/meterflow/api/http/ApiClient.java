package dev.meterflow.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/** One browser (its own cookies) or one machine client (a bearer token) talking to the API in a test. */
final class ApiClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    private String csrfToken;
    private String bearer;

    ApiClient(String base) {
        this.base = base;
    }

    static ApiClient withToken(String base, String token) {
        ApiClient client = new ApiClient(base);
        client.bearer = token;
        return client;
    }

    Response login(String email, String password) {
        Response response = send("POST", "/api/v1/session", "{\"email\":\"" + email + "\",\"password\":\""
                + password + "\"}", List.of("Content-Type", "application/json"));
        if (response.status() == 200) {
            csrfToken = response.json().path("csrfToken").asText();
        }
        return response;
    }

    Response get(String path) {
        return send("GET", path, null, List.of());
    }

    /** A write with the session's CSRF token, as the page sends it. */
    Response write(String method, String path, String body, String... headers) {
        List<String> all = new ArrayList<>(List.of(headers));
        if (csrfToken != null) {
            all.addAll(List.of(ApiServer.CSRF_HEADER, csrfToken));
        }
        return send(method, path, body, all);
    }

    /** A write without the CSRF token, as a forged cross-site form would send it. */
    Response writeWithoutCsrf(String method, String path, String body) {
        return send(method, path, body, List.of());
    }

    HttpResponse<java.io.InputStream> stream(String path) {
        try {
            // a server that dies while preparing the answer must fail the test, not hang it
            return http.send(request(path).timeout(java.time.Duration.ofMinutes(2)).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Response send(String method, String path, String body, List<String> headers) {
        HttpRequest.Builder request = request(path).method(method, body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.size(); i += 2) {
            request.header(headers.get(i), headers.get(i + 1));
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(), response.headers()
                    .allValues("Set-Cookie"), response.headers().firstValue("Content-Type").orElse(""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json");
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return request;
    }

    record Response(int status, String body, List<String> cookies, String contentType) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        String error() {
            return json().path("error").asText();
        }
    }
}
