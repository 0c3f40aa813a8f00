package dev.meterflow.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Issue 10 §6: a card's expiry, judged the same way everywhere; no clock, no I/O. */
class CardExpiryTest {

    private static final long LAST_INSTANT_OF_NOVEMBER = Instant.parse("2026-11-30T23:59:59.999Z").toEpochMilli();
    private static final long FIRST_INSTANT_OF_DECEMBER = Instant.parse("2026-12-01T00:00:00Z").toEpochMilli();

    @Test
    void shouldKeepACardValidThroughTheLastDayOfItsExpiryMonthInUtc() {
        assertThat(CardExpiry.expiredAt(11, 2026, LAST_INSTANT_OF_NOVEMBER)).isFalse();
        assertThat(CardExpiry.expiredAt(11, 2026, FIRST_INSTANT_OF_DECEMBER)).isTrue();
        assertThat(CardExpiry.expiredAt(12, 2025, LAST_INSTANT_OF_NOVEMBER)).isTrue();
        assertThat(CardExpiry.expiredAt(1, 2027, FIRST_INSTANT_OF_DECEMBER)).isFalse();
    }

    @Test
    void shouldNeverCallAnUnknownOrImpossibleExpiryExpired() {
        assertThat(CardExpiry.expiredAt(null, null, FIRST_INSTANT_OF_DECEMBER)).isFalse();
        assertThat(CardExpiry.expiredAt(13, 2020, FIRST_INSTANT_OF_DECEMBER)).isFalse();
    }

    @Test
    void shouldNameWhatIsImpossibleInAnExpiry() {
        assertThat(CardExpiry.problem(null, null)).isEmpty();
        assertThat(CardExpiry.problem(1, 2020)).isEmpty();
        assertThat(CardExpiry.problem(12, 9999)).isEmpty();
        assertThat(CardExpiry.problem(0, 2028)).contains("The expiry month 0 is not a month: it must be 1 to 12.");
        assertThat(CardExpiry.problem(13, 2028)).contains("The expiry month 13 is not a month: it must be 1 to 12.");
        assertThat(CardExpiry.problem(12, 28)).contains("The expiry year 28 must have four digits, like 2028.");
        assertThat(CardExpiry.problem(null, 2028)).contains("A card's expiry needs both its month and its year.");
        assertThat(CardExpiry.problem(12, null)).contains("A card's expiry needs both its month and its year.");
    }
}
