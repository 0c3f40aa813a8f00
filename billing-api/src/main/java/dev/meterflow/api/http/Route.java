package dev.meterflow.api.http;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.List;

/**
 * One endpoint with what the OpenAPI document says of it: the one list both are built from.
 *
 * @param query        query parameters it reads
 * @param responseType the content type of a successful answer
 */
public record Route(HandlerType method, String path, String summary, List<String> query, String responseType,
                    boolean signedIn, Handler handler) {
}
