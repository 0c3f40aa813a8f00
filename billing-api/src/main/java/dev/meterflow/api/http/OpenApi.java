package dev.meterflow.api.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The OpenAPI 3.1 document of the routes, built from the same list the server registers. */
public final class OpenApi {

    private static final Pattern PATH_PARAM = Pattern.compile("\\{(\\w+)}");

    private OpenApi() {
    }

    public static Map<String, Object> document(List<Route> routes) {
        Map<String, Object> paths = new LinkedHashMap<>();
        for (Route route : routes) {
            @SuppressWarnings("unchecked")
            Map<String, Object> operations = (Map<String, Object>) paths.computeIfAbsent(route.path(),
                    path -> new LinkedHashMap<String, Object>());
            operations.put(route.method().name().toLowerCase(Locale.ROOT), operation(route));
        }
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("openapi", "3.1.0");
        document.put("info", Map.of("title", "Meterflow billing API", "version", "1"));
        document.put("paths", paths);
        document.put("components", Map.of(
                "securitySchemes", Map.of(
                        "session", Map.of("type", "apiKey", "in", "cookie", "name", ApiServer.SESSION_COOKIE),
                        "apiToken", Map.of("type", "http", "scheme", "bearer")),
                "schemas", Map.of("Error", Map.of("type", "object", "required", List.of("error", "message"),
                        "properties", Map.of("error", Map.of("type", "string"),
                                "message", Map.of("type", "string"))))));
        return document;
    }

    private static Map<String, Object> operation(Route route) {
        Map<String, Object> operation = new LinkedHashMap<>();
        operation.put("summary", route.summary());
        List<Map<String, Object>> parameters = new java.util.ArrayList<>();
        Matcher matcher = PATH_PARAM.matcher(route.path());
        while (matcher.find()) {
            parameters.add(Map.of("name", matcher.group(1), "in", "path", "required", true,
                    "schema", Map.of("type", "string")));
        }
        route.query().forEach(name -> parameters.add(Map.of("name", name, "in", "query", "required", false,
                "schema", Map.of("type", "string"))));
        if (!parameters.isEmpty()) {
            operation.put("parameters", parameters);
        }
        if (route.signedIn()) {
            operation.put("security", List.of(Map.of("session", List.of()), Map.of("apiToken", List.of())));
        }
        Map<String, Object> error = Map.of("description", "Refused; the message says what to do",
                "content", Map.of("application/json", Map.of("schema", Map.of("$ref", "#/components/schemas/Error"))));
        operation.put("responses", Map.of("200", Map.of("description", "OK", "content",
                Map.of(route.responseType(), Map.of())), "default", error));
        return operation;
    }
}
