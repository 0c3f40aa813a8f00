package dev.meterflow.api.advice;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meterflow.api.db.DatabaseStack;
import dev.meterflow.api.readmodel.ReadModelFixture;
import dev.meterflow.api.readmodel.ReadModelRow;
import dev.meterflow.api.readmodel.ReadModelRow.BalanceRow;
import dev.meterflow.api.readmodel.ReadModelRow.ClosingBalanceRow;
import dev.meterflow.api.readmodel.ReadModelRow.DailyUsageRow;
import dev.meterflow.api.readmodel.ReadModelRow.PaymentRow;
import dev.meterflow.api.readmodel.ReadModelRow.SettingsRow;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 11: {@code GET /api/v1/accounts/{id}/advice} over a real PostgreSQL read model. */
class AdviceIT {

    private static final LocalDate TODAY = LocalDate.of(2026, 11, 30);
    private static final Clock CLOCK = Clock.fixed(TODAY.atTime(9, 0).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);

    @RegisterExtension
    static final DatabaseStack postgres = DatabaseStack.perClass(2);
    private static TestHttp http;

    @BeforeAll
    static void start() {
        AdviceHandler handler = new AdviceHandler(new AdviceQueries(postgres.jdbi(), CLOCK));
        http = new TestHttp(Map.of("/api/v1/accounts/{accountId}/advice",
                ctx -> handler.handle(ctx, ctx.pathParam("accountId"))));
    }

    @AfterAll
    static void stop() {
        http.close();
    }

    @Test
    void shouldAdviseFromTheLastThirtyDaysOfUsageAndForecastTheRunway() throws Exception {
        List<ReadModelRow> rows = new ArrayList<>();
        rows.add(new SettingsRow("adv-1", "plan", null, true, "TOP_UP_TO_TARGET", 20_000_000L, 50_000_000L, 0L,
                "[]", "[]", null, false, null, false, Instant.parse("2026-09-01T00:00:00Z")));
        rows.add(new BalanceRow("adv-1", 45_000_000, "ACTIVE", null, CLOCK.instant()));
        rows.add(new ClosingBalanceRow("adv-1", TODAY.minusDays(31), 50_000_000, Instant.parse("2026-10-30T23:00:00Z"),
                "e-0"));
        for (int day = 1; day <= 40; day++) {
            // $6 and $4 a day on two SKUs, the days before the window too
            rows.add(new DailyUsageRow("adv-1", TODAY.minusDays(day), "call-minutes", 100, 6_000_000, 10));
            rows.add(new DailyUsageRow("adv-1", TODAY.minusDays(day), "tracking-numbers", 2, 4_000_000, 2));
        }
        rows.add(new PaymentRow("rr-1", Instant.parse("2026-11-10T08:00:00Z"), "adv-1", "AUTO_RECHARGE", "SUCCEEDED",
                4000, "pm_card_visa", "ch_1", ""));
        rows.add(new PaymentRow("rr-2", Instant.parse("2026-11-14T08:00:00Z"), "adv-1", "AUTO_RECHARGE", "DECLINED",
                4000, null, null, "insufficient_funds"));
        ReadModelFixture.write(postgres.jdbi(), CLOCK, rows);

        var response = http.get("/api/v1/accounts/adv-1/advice");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode advice = new ObjectMapper().readTree(response.body());
        assertThat(advice.get("averageDailySpendMicros").asLong()).isEqualTo(10_000_000);
        assertThat(advice.get("daysCounted").asInt()).isEqualTo(30);
        assertThat(advice.get("currentSettingsCharges").asInt()).isEqualTo(7);
        assertThat(advice.get("automaticRechargesCharged").asInt()).isEqualTo(1);
        assertThat(advice.get("recommendedThresholdMicros").asLong()).isEqualTo(30_000_000);
        assertThat(advice.get("recommendedTargetMicros").asLong()).isEqualTo(330_000_000);
        assertThat(advice.get("sentence").asText()).startsWith("Your last 30 days: about $10.00 a day. Recharge to"
                + " $330 when below $30");
        // $45 at $10 a day, today included: below $20 at the end of the third day, zero at the end of the fifth
        assertThat(advice.get("runwayWeekdayPattern").asBoolean()).isTrue();
        assertThat(advice.get("runwayBelowThreshold").asText()).isEqualTo(TODAY.plusDays(2).toString());
        assertThat(advice.get("runwayZero").asText()).isEqualTo(TODAY.plusDays(4).toString());
    }

    @Test
    void shouldAnswerAnUnknownAccountWithA404ThatSaysSo() throws Exception {
        var response = http.get("/api/v1/accounts/nobody/advice");

        assertThat(response.statusCode()).isEqualTo(404);
        JsonNode error = new ObjectMapper().readTree(response.body());
        assertThat(error.get("error").asText()).isEqualTo("unknown_account");
        assertThat(error.get("message").asText()).contains("nobody");
    }
}
