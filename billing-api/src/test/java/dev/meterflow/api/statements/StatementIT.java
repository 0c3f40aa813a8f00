package dev.meterflow.api.statements;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meterflow.api.advice.TestHttp;
import dev.meterflow.api.db.DatabaseStack;
import dev.meterflow.api.readmodel.Projection;
import dev.meterflow.api.readmodel.ReadModelFixture;
import dev.meterflow.api.readmodel.ReadModelRow;
import dev.meterflow.api.readmodel.ReadModelRow.BalanceRow;
import dev.meterflow.api.readmodel.ReadModelRow.PaymentRow;
import dev.meterflow.api.readmodel.ReadModelRow.ReceiptRow;
import dev.meterflow.api.readmodel.Retention;
import dev.meterflow.schemas.LedgerEntry;
import dev.meterflow.schemas.LedgerEntryKind;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 11: statements over HTTP as JSON, CSV, HTML and PDF from a real PostgreSQL read model, and its refusals. */
class StatementIT {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-30T09:00:00Z"), ZoneOffset.UTC);
    private static final String NOVEMBER = "/api/v1/accounts/st-1/statements?from=2026-11-01&to=2026-11-30";

    @RegisterExtension
    static final DatabaseStack postgres = DatabaseStack.perClass(2);
    private static TestHttp http;

    @BeforeAll
    static void start() {
        StatementHandler handler = new StatementHandler(new StatementQueries(postgres.jdbi(), new Retention(25),
                CLOCK));
        http = new TestHttp(Map.of("/api/v1/accounts/{accountId}/statements",
                ctx -> handler.handle(ctx, ctx.pathParam("accountId"))));
        ReadModelFixture.write(postgres.jdbi(), CLOCK, history());
    }

    @AfterAll
    static void stop() {
        http.close();
    }

    @Test
    void shouldAnswerTheMonthAsJsonWithEveryLineAddingUpToTheClosingBalance() throws Exception {
        var response = http.get(NOVEMBER);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode statement = new ObjectMapper().readTree(response.body());
        assertThat(statement.get("openingBalanceMicros").asLong()).isEqualTo(48_000_000);
        assertThat(statement.get("closingBalanceMicros").asLong()).isEqualTo(78_000_000);
        JsonNode totals = statement.get("totals");
        assertThat(totals.get("usageMicros").asLong()).isEqualTo(-4_600_000);
        assertThat(totals.get("taxMicros").asLong()).isEqualTo(-400_000);
        assertThat(totals.get("creditsMicros").asLong()).isEqualTo(35_000_000);
        assertThat(statement.get("days")).hasSize(2);
        assertThat(statement.get("days").get(0).get("closingBalanceMicros").asLong()).isEqualTo(78_600_000);
        assertThat(statement.get("usageByCategory").get(0).get("sku").asText()).isEqualTo("call.minutes");
        JsonNode payments = statement.get("payments");
        assertThat(payments).hasSize(2);
        assertThat(payments.get(0).get("method").asText()).isEqualTo("visa ending 4242");
        assertThat(payments.get(1).get("outcome").asText()).isEqualTo("Declined: the card has insufficient funds.");
    }

    @Test
    void shouldAnswerCsvHtmlAndPdfWithTheSameBalances() throws Exception {
        var csv = http.get(NOVEMBER + "&format=csv");
        var html = http.get(NOVEMBER + "&format=html");
        var pdf = http.getBytes(NOVEMBER + "&format=pdf");

        assertThat(csv.headers().firstValue("Content-Disposition")).hasValue(
                "attachment; filename=\"statement-st-1-2026-11-01-2026-11-30.csv\"");
        assertThat(csv.body()).startsWith("section,day,kind,sku,description,quantity,amount_micros,amount,balance")
                .contains("opening,2026-11-01,,,Opening balance,,48000000,,$48.00")
                .contains("line,2026-11-01,TAX,,Taxes,0,-400000,-$0.40,")
                .contains("closing,2026-11-30,,,Closing balance,,78000000,,$78.00");
        assertThat(html.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("text/html"));
        assertThat(html.body()).contains("@media print").contains("Closing balance $78.00")
                .contains("Usage: call.minutes");
        assertThat(pdf.statusCode()).isEqualTo(200);
        assertThat(new String(pdf.body(), 0, 5, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
        try (var document = Loader.loadPDF(pdf.body())) {
            assertThat(new PDFTextStripper().getText(document)).contains("Opening balance $48.00")
                    .contains("Closing balance $78.00").contains("rr-2").contains("rr-3");
        }
    }

    @Test
    void shouldRefuseWhatAPersonCanCorrect() throws Exception {
        assertRefused("/api/v1/accounts/st-1/statements?from=2026-11-30&to=2026-11-01", 400, "reversed_range");
        assertRefused("/api/v1/accounts/st-1/statements?from=2024-11-01&to=2026-11-30", 400, "range_too_long");
        assertRefused("/api/v1/accounts/st-1/statements?from=2024-01-01&to=2024-02-01", 400, "range_not_kept");
        assertRefused("/api/v1/accounts/st-1/statements?from=2026-11-01", 400, "missing_to");
        assertRefused(NOVEMBER + "&format=xls", 400, "bad_format");
        assertRefused("/api/v1/accounts/nobody/statements?from=2026-11-01&to=2026-11-30", 404, "unknown_account");
    }

    private static void assertRefused(String path, int status, String code) throws Exception {
        var response = http.get(path);
        assertThat(response.statusCode()).as(path).isEqualTo(status);
        JsonNode error = new ObjectMapper().readTree(response.body());
        assertThat(error.get("error").asText()).as(path).isEqualTo(code);
        assertThat(error.get("message").asText()).isNotBlank();
    }

    /** A $50 recharge on Oct 30, usage on Oct 31, then usage, tax and a $35 recharge on Nov 1, usage on Nov 2. */
    private static List<ReadModelRow> history() {
        List<ReadModelRow> rows = new ArrayList<>();
        rows.add(new BalanceRow("st-1", 78_000_000, "ACTIVE", null, CLOCK.instant()));
        long balance = 0;
        Object[][] entries = {
            {"2026-10-30T10:00:00Z", LedgerEntryKind.RECHARGE, null, 50_000_000L},
            {"2026-10-31T10:00:00Z", LedgerEntryKind.USAGE, "call.minutes", -2_000_000L},
            {"2026-11-01T08:00:00Z", LedgerEntryKind.USAGE, "call.minutes", -3_000_000L},
            {"2026-11-01T09:00:00Z", LedgerEntryKind.USAGE, "tracking.numbers", -1_000_000L},
            {"2026-11-01T09:00:01Z", LedgerEntryKind.TAX, null, -400_000L},
            {"2026-11-01T10:00:00Z", LedgerEntryKind.RECHARGE, null, 35_000_000L},
            {"2026-11-02T23:59:59Z", LedgerEntryKind.USAGE, "call.minutes", -600_000L},
        };
        for (int i = 0; i < entries.length; i++) {
            long amount = (Long) entries[i][3];
            balance += amount;
            Instant at = Instant.parse((String) entries[i][0]);
            rows.addAll(Projection.ledgerEntry("st-1", LedgerEntry.newBuilder().setEntryId("e-" + i)
                    .setAccountId("st-1").setSourceAccountId("st-1").setKind((LedgerEntryKind) entries[i][1])
                    .setSku((String) entries[i][2]).setQuantity(entries[i][2] == null ? 0 : 60)
                    .setAmountMicros(amount).setBalanceAfterMicros(balance).setSourceId("s-" + i).setOccurredAt(at)
                    .setPostedAt(at).build()));
        }
        Instant charged = Instant.parse("2026-11-01T09:59:00Z");
        rows.add(new PaymentRow("rr-2", charged, "st-1", "AUTO_RECHARGE", "SUCCEEDED", 3_500, "pm_card_visa", "ch_2",
                ""));
        rows.add(new ReceiptRow("receipt:rr-2", charged, "rr-2", "st-1", 3_500, "usd", "visa", "4242", "ch_2"));
        rows.add(new PaymentRow("rr-3", Instant.parse("2026-11-01T12:00:00Z"), "st-1", "AUTO_RECHARGE", "DECLINED",
                1_000, null, null, "insufficient_funds"));
        return rows;
    }
}
