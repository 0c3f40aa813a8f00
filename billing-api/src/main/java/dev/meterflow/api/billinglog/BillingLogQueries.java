package dev.meterflow.api.billinglog;

import dev.meterflow.api.ApiException;
import dev.meterflow.api.Cursor;
import dev.meterflow.api.DateRange;
import dev.meterflow.api.access.Principal;
import dev.meterflow.api.accounts.AccountAccess;
import dev.meterflow.api.billinglog.BillingLogDao.LogLine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.jdbi.v3.core.Jdbi;

/** Billing log search (text, kind, UTC date range) by page, and its CSV export without a row limit. */
public final class BillingLogQueries {

    public static final Set<String> KINDS = Set.of("SETTINGS_CHANGED", "PAYMENT_REQUESTED", "PAYMENT_SUCCEEDED",
            "PAYMENT_DECLINED", "PAYMENT_FAILED", "ACCOUNT_PAUSED", "ACCOUNT_RESUMED", "LOW_BALANCE",
            "STATEMENT_READY", "SETTINGS_REFUSED", "PAYMENT_REFUSED");
    public static final int MAX_PAGE = 200;
    private static final String[] CSV_HEADER = {"at", "kind", "summary", "actor", "log_id"};

    private final Jdbi jdbi;
    private final AccountAccess access;

    public BillingLogQueries(Jdbi jdbi, AccountAccess access) {
        this.jdbi = jdbi;
        this.access = access;
    }

    public LogPage search(Principal user, String accountId, Filter filter, String cursorText, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw ApiException.badRequest("bad_limit", "limit must be between 1 and " + MAX_PAGE + ", was " + limit);
        }
        access.toRead(user, accountId);
        Cursor cursor = Cursor.decode(cursorText);
        List<LogLine> lines = jdbi.withExtension(BillingLogDao.class, dao -> dao.search(accountId, filter.pattern(),
                filter.kind(), filter.range().startInclusive(), filter.range().endExclusive(), cursor.at(),
                cursor.id(), limit + 1));
        boolean more = lines.size() > limit;
        List<LogLine> page = lines.stream().limit(limit).toList();
        String next = more ? new Cursor(page.get(limit - 1).at(), page.get(limit - 1).logId()).encode() : null;
        return new LogPage(page, next);
    }

    /**
     * Writes every matching line as CSV to {@code out}, newest first, streaming from the database: memory does
     * not grow with the number of rows. Checks access before writing anything.
     */
    public void export(Principal user, String accountId, Filter filter, Writer out) {
        access.toRead(user, accountId);
        try {
            jdbi.useTransaction(handle -> {
                try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setHeader(CSV_HEADER).get());
                     var lines = handle.attach(BillingLogDao.class).export(accountId, filter.pattern(),
                             filter.kind(), filter.range().startInclusive(), filter.range().endExclusive()).stream()) {
                    lines.forEach(line -> print(csv, line));
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("the CSV export's client went away", e);
        }
    }

    private static void print(CSVPrinter csv, LogLine line) {
        try {
            csv.printRecord(line.at(), line.kind(), line.summary(), line.actor(), line.logId());
        } catch (IOException e) {
            throw new UncheckedIOException("the CSV export's client went away", e);
        }
    }

    public record LogPage(List<LogLine> lines, String nextCursor) {
    }

    /** What to search for; {@code text} and {@code kind} may be null (any). */
    public record Filter(String pattern, String kind, DateRange range) {

        public static Filter of(String text, String kind, String from, String to) {
            if (kind != null && !kind.isBlank() && !KINDS.contains(kind)) {
                throw ApiException.badRequest("bad_kind", "kind must be one of " + KINDS.stream().sorted().toList()
                        + ", was '" + kind + "'.");
            }
            String pattern = text == null || text.isBlank() ? null
                    : "%" + text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            return new Filter(pattern, kind == null || kind.isBlank() ? null : kind, DateRange.parse(from, to));
        }
    }
}
