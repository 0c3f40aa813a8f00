package dev.meterflow.api.advice;

import io.javalin.http.Context;

/** {@code GET /api/v1/accounts/{accountId}/advice}, once the route's sign-in and account checks passed. */
public final class AdviceHandler {

    public static final String PATH = "/api/v1/accounts/{accountId}/advice";

    private final AdviceQueries queries;

    public AdviceHandler(AdviceQueries queries) {
        this.queries = queries;
    }

    public void handle(Context ctx, String accountId) {
        try {
            JsonAnswer.ok(ctx, queries.advice(accountId));
        } catch (Refusal refusal) {
            JsonAnswer.refused(ctx, refusal);
        }
    }
}
