package dev.meterflow.api.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meterflow.api.ApiException;
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

    private static final ObjectMapper JSON = new ObjectMapper();

    private final StatementRequests requests;

    public StatementDeliveryHandler(StatementRequests requests) {
        this.requests = requests;
    }

    public void requestDelivery(Context ctx, String accountId, String actor) {
        DeliveryBody body = body(ctx, DeliveryBody.class);
        String deliveryId = requests.request(accountId, StatementPeriod.parse(body.from(), body.to()),
                body.addresses(), ctx.header("Idempotency-Key"), actor);
        ctx.status(202).json(Map.of("deliveryId", deliveryId, "status", "queued"));
    }

    public void addSchedule(Context ctx, String accountId, String actor) {
        ScheduleBody body = body(ctx, ScheduleBody.class);
        Cadence cadence = cadence(body.cadence());
        String scheduleId = requests.schedule(accountId, cadence, body.addresses(), actor);
        ctx.status(201).json(Map.of("scheduleId", scheduleId, "cadence", cadence.name(), "addresses",
                body.addresses()));
    }

    public void listSchedules(Context ctx, String accountId) {
        ctx.json(Map.of("schedules", requests.schedules(accountId)));
    }

    private static Cadence cadence(String text) {
        try {
            return Cadence.valueOf(text == null ? "" : text.strip().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("bad_cadence", "cadence must be MONTHLY or WEEKLY, was '" + text + "'.");
        }
    }

    private static <T> T body(Context ctx, Class<T> type) {
        try {
            return JSON.readValue(ctx.body(), type);
        } catch (IOException e) {
            throw ApiException.badRequest("malformed_body", "The request body is not the JSON this endpoint takes: "
                    + type.getSimpleName().replace("Body", "").toLowerCase(java.util.Locale.ROOT)
                    + " fields " + List.of(type.getRecordComponents()).stream().map(c -> c.getName()).toList() + ".");
        }
    }

    record DeliveryBody(String from, String to, List<String> addresses) {
    }

    record ScheduleBody(String cadence, List<String> addresses) {
    }
}
