package dev.meterflow.api.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meterflow.api.advice.JsonAnswer;
import dev.meterflow.api.advice.Refusal;
import dev.meterflow.api.statements.StatementPeriod;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Statement deliveries over HTTP, once the route's sign-in, account and write checks passed; {@code actor} is who
 * asked. The API queues, the notifier sends.
 * <ul>
 *   <li>{@code POST .../statements/deliveries} {@code {"from","to","addresses"}} with an Idempotency-Key: 202</li>
 *   <li>{@code POST .../statements/schedules} {@code {"cadence": "MONTHLY"|"WEEKLY", "addresses"}}: 201</li>
 *   <li>{@code GET .../statements/schedules}</li>
 * </ul>
 */
public final class StatementDeliveryHandler {

    public static final String DELIVERIES_PATH = "/api/v1/accounts/{accountId}/statements/deliveries";
    public static final String SCHEDULES_PATH = "/api/v1/accounts/{accountId}/statements/schedules";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final StatementRequests requests;

    public StatementDeliveryHandler(StatementRequests requests) {
        this.requests = requests;
    }

    public void requestDelivery(Context ctx, String accountId, String actor) {
        try {
            DeliveryBody body = body(ctx, DeliveryBody.class);
            String deliveryId = requests.request(accountId, StatementPeriod.parse(body.from(), body.to()),
                    body.addresses(), ctx.header("Idempotency-Key"), actor);
            ctx.status(202).contentType("application/json").result(JsonAnswer.text(Map.of("deliveryId", deliveryId,
                    "status", "queued")));
        } catch (Refusal refusal) {
            JsonAnswer.refused(ctx, refusal);
        }
    }

    public void addSchedule(Context ctx, String accountId, String actor) {
        try {
            ScheduleBody body = body(ctx, ScheduleBody.class);
            Cadence cadence = cadence(body.cadence());
            String scheduleId = requests.schedule(accountId, cadence, body.addresses(), actor);
            ctx.status(201).contentType("application/json").result(JsonAnswer.text(Map.of("scheduleId", scheduleId,
                    "cadence", cadence.name(), "addresses", body.addresses())));
        } catch (Refusal refusal) {
            JsonAnswer.refused(ctx, refusal);
        }
    }

    public void listSchedules(Context ctx, String accountId) {
        JsonAnswer.ok(ctx, Map.of("schedules", requests.schedules(accountId)));
    }

    private static Cadence cadence(String text) {
        try {
            return Cadence.valueOf(text == null ? "" : text.strip().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw Refusal.badRequest("bad_cadence", "cadence must be MONTHLY or WEEKLY, was '" + text + "'.");
        }
    }

    private static <T> T body(Context ctx, Class<T> type) {
        try {
            return JSON.readValue(ctx.body(), type);
        } catch (IOException e) {
            throw Refusal.badRequest("malformed_body", "The request body is not the JSON this endpoint takes: "
                    + type.getSimpleName().replace("Body", "").toLowerCase(java.util.Locale.ROOT)
                    + " fields " + List.of(type.getRecordComponents()).stream().map(c -> c.getName()).toList() + ".");
        }
    }

    record DeliveryBody(String from, String to, List<String> addresses) {
    }

    record ScheduleBody(String cadence, List<String> addresses) {
    }
}
