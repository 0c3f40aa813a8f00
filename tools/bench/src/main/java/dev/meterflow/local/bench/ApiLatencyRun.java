package dev.meterflow.local.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meterflow.api.access.Authenticator;
import dev.meterflow.api.access.Role;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * The API's latency as one signed-in client sees it, one request at a time over HTTP on loopback: the account
 * summary, the first page of the payment history, and a statement of the last {@code days} UTC days as JSON and as
 * PDF, each for an account drawn at random from {@code users} signed-in admins' accounts. Warm-up requests are not
 * counted; any answer but 200 stops the run.
 */
final class ApiLatencyRun {

    private static final String PASSWORD = "read-bench-only";
    private static final int WARM_UP = 20;

    private final String base;
    private final List<Client> clients = new ArrayList<>();

    private record Client(String accountId, HttpClient http) {
    }

    ApiLatencyRun(int port) {
        this.base = "http://127.0.0.1:" + port + "/api/v1";
    }

    /** Creates an admin for each of the accounts and signs each in. */
    void signIn(Authenticator authenticator, List<String> accountIds) throws IOException, InterruptedException {
        for (String accountId : accountIds) {
            String email = "admin@" + accountId + ".example";
            authenticator.createUser(email, PASSWORD, Role.ACCOUNT_ADMIN, accountId);
            HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
            HttpResponse<String> session = http.send(HttpRequest.newBuilder(URI.create(base + "/session"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(new ObjectMapper().writeValueAsString(
                            Map.of("email", email, "password", PASSWORD)))).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (session.statusCode() != 200) {
                throw new IllegalStateException("sign-in of " + email + " answered " + session.statusCode());
            }
            clients.add(new Client(accountId, http));
        }
    }

    /** Microseconds per request, by endpoint name. */
    Map<String, List<Long>> measure(int requests, int pdfRequests, LocalDate today, int days)
            throws IOException, InterruptedException {
        String statement = "/statements?from=" + today.minusDays(days) + "&to=" + today.minusDays(1);
        Map<String, List<Long>> timings = new LinkedHashMap<>();
        timings.put("summary", time(requests, account -> "/accounts/" + account + "/summary"));
        timings.put("history", time(requests, account -> "/accounts/" + account + "/payments?limit=10"));
        timings.put("statement-json", time(requests, account -> "/accounts/" + account + statement));
        timings.put("statement-pdf", time(pdfRequests, account -> "/accounts/" + account + statement
                + "&format=pdf"));
        return timings;
    }

    private List<Long> time(int requests, Function<String, String> path) throws IOException, InterruptedException {
        SplittableRandom random = new SplittableRandom(7);
        List<Long> micros = new ArrayList<>(requests);
        for (int i = 0; i < WARM_UP + requests; i++) {
            Client client = clients.get(random.nextInt(clients.size()));
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + path.apply(client.accountId()))).GET()
                    .build();
            long start = System.nanoTime();
            HttpResponse<byte[]> response = client.http().send(request, HttpResponse.BodyHandlers.ofByteArray());
            long took = (System.nanoTime() - start) / 1_000;
            if (response.statusCode() != 200) {
                throw new IllegalStateException(request.uri() + " answered " + response.statusCode() + ": "
                        + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
            }
            if (i >= WARM_UP) {
                micros.add(took);
            }
        }
        return micros;
    }
}
