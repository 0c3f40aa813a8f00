package dev.meterflow.api.advice;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

/** Writes a handler's answer or refusal as JSON with a mapper of its own, whatever the server's is. */
public final class JsonAnswer {

    // days and instants as ISO text, without depending on the server's mapper having the java.time module
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new SimpleModule()
            .addSerializer(LocalDate.class, ToStringSerializer.instance)
            .addSerializer(Instant.class, ToStringSerializer.instance));

    private JsonAnswer() {
    }

    public static void ok(Context ctx, Object body) {
        write(ctx, 200, body);
    }

    public static void refused(Context ctx, Refusal refusal) {
        write(ctx, refusal.status(), Map.of("error", refusal.code(), "message", refusal.getMessage()));
    }

    public static String text(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + body.getClass().getSimpleName() + " as JSON", e);
        }
    }

    private static void write(Context ctx, int status, Object body) {
        ctx.status(status).contentType("application/json").result(text(body));
    }
}
