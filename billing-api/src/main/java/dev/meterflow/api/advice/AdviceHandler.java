package dev.meterflow.api.advice;

import io.javalin.http.Context;

/** {@code GET /api/v1/accounts/{accountId}/advice}, once the route's sign-in and account checks passed. */
public final class AdviceHandler {

    private final AdviceQueries queries;

    public AdviceHandler(AdviceQueries queries) {
        this.queries = queries;
    }

    public void handle(Context ctx, String accountId) {
        ctx.json(queries.advice(accountId));
    }
}
