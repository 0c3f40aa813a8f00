package dev.meterflow.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class CursorAndDateRangeTest {

    @Test
    void shouldReadBackTheCursorItGaveOut() {
        Cursor cursor = new Cursor(Instant.parse("2026-11-29T10:15:30.123Z"), "rr-a:b-1");

        assertThat(Cursor.decode(cursor.encode())).isEqualTo(cursor);
        assertThat(Cursor.decode(null)).isEqualTo(Cursor.START);
        assertThatThrownBy(() -> Cursor.decode("%%%")).isInstanceOf(ApiException.class)
                .hasMessageContaining("start again without it");
    }

    @Test
    void shouldTakeWholeUtcDaysUpToTwoYears() {
        DateRange range = DateRange.parse("2026-01-01", "2026-01-31");

        assertThat(range.startInclusive()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(range.endExclusive()).isEqualTo(Instant.parse("2026-02-01T00:00:00Z"));
        assertThat(DateRange.parse("2024-01-01", "2025-12-31").to()).isEqualTo(LocalDate.of(2025, 12, 31));
    }

    @Test
    void shouldRefuseReversedTooLongAndMalformedRanges() {
        assertThatThrownBy(() -> DateRange.parse("2026-02-01", "2026-01-01")).hasMessageContaining("swap");
        assertThatThrownBy(() -> DateRange.parse("2024-01-01", "2026-01-01")).hasMessageContaining("at most 731");
        assertThatThrownBy(() -> DateRange.parse("01/02/2026", null)).hasMessageContaining("yyyy-mm-dd");
    }
}
