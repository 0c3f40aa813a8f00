package dev.meterflow.api.statements;

import dev.meterflow.api.ApiException;
import io.javalin.http.Context;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /api/v1/accounts/{accountId}/statements?from=yyyy-mm-dd&to=yyyy-mm-dd&format=json|csv|html|pdf},
 * once the route's sign-in and account checks passed.
 */
public final class StatementHandler {

    private final StatementQueries queries;

    public StatementHandler(StatementQueries queries) {
        this.queries = queries;
    }

    public void handle(Context ctx, String accountId) {
        String format = ctx.queryParam("format") == null ? "json" : ctx.queryParam("format");
        if (!java.util.List.of("json", "csv", "html", "pdf").contains(format)) {
            throw ApiException.badRequest("bad_format", "format must be json, csv, html or pdf, was '" + format
                    + "'.");
        }
        Statement statement = queries.statement(accountId, StatementPeriod.parse(ctx.queryParam("from"),
                ctx.queryParam("to")));
        answer(ctx, statement, format);
    }

    private static void answer(Context ctx, Statement statement, String format) {
        switch (format) {
            case "csv" -> {
                ctx.contentType("text/csv; charset=utf-8");
                attachment(ctx, statement, "csv");
                try (Writer out = new BufferedWriter(new OutputStreamWriter(ctx.outputStream(),
                        StandardCharsets.UTF_8))) {
                    StatementCsv.write(statement, out);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot send the statement", e);
                }
            }
            case "html" -> ctx.html(StatementHtml.render(statement));
            case "pdf" -> {
                ctx.contentType("application/pdf");
                attachment(ctx, statement, "pdf");
                ctx.result(StatementPdf.render(statement));
            }
            default -> ctx.json(statement);
        }
    }

    private static void attachment(Context ctx, Statement statement, String extension) {
        ctx.header("Content-Disposition", "attachment; filename=\"" + fileName(statement) + "." + extension + "\"");
    }

    /** {@code statement-<account>-<from>-<to>}, the account id reduced to characters safe in a header. */
    public static String fileName(Statement statement) {
        return "statement-" + statement.accountId().replaceAll("[^A-Za-z0-9._-]", "_") + "-"
                + statement.period().from() + "-" + statement.period().to();
    }
}
