package dev.meterflow.api.page;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.YearMonth;
import org.junit.jupiter.api.Test;

/** Issue 12: the add-card form's expiry month and year, read before the pipeline's rules see them. */
class ExpiryInputTest {

    private static final YearMonth NOVEMBER = YearMonth.of(2026, 11);

    @Test
    void shouldReadAMonthAndAFourOrTwoDigitYear() {
        assertThat(ExpiryInput.of("03", "2029", false, NOVEMBER)).isEqualTo(new ExpiryInput(3, 2029, null));
        assertThat(ExpiryInput.of(" 3 ", "29", false, NOVEMBER)).isEqualTo(new ExpiryInput(3, 2029, null));
    }

    @Test
    void shouldTakeNoExpiryWhenBothAreEmpty() {
        assertThat(ExpiryInput.of("", " ", false, NOVEMBER)).isEqualTo(new ExpiryInput(null, null, null));
        assertThat(ExpiryInput.of(null, null, true, NOVEMBER)).isEqualTo(new ExpiryInput(null, null, null));
    }

    @Test
    void shouldKeepACardValidThroughItsExpiryMonth() {
        assertThat(ExpiryInput.of("11", "2026", false, NOVEMBER).problem()).isNull();
    }

    @Test
    void shouldRefuseACardThatHasExpired() {
        assertThat(ExpiryInput.of("10", "2026", false, NOVEMBER).problem())
                .isEqualTo("This card expired at the end of 10/2026: add a card that is still valid.");
    }

    @Test
    void shouldRefuseAnImpossibleMonth() {
        assertThat(ExpiryInput.of("13", "2029", false, NOVEMBER).problem())
                .isEqualTo("The expiry month 13 is not a month: it must be 1 to 12.");
        assertThat(ExpiryInput.of("0", "2029", false, NOVEMBER).problem())
                .isEqualTo("The expiry month 0 is not a month: it must be 1 to 12.");
        assertThat(ExpiryInput.of("May", "2029", false, NOVEMBER).problem())
                .isEqualTo("The expiry month must be a number from 1 to 12, such as 03.");
    }

    @Test
    void shouldRefuseAYearThatIsNotOne() {
        assertThat(ExpiryInput.of("5", "202", false, NOVEMBER).problem())
                .isEqualTo("The expiry year must be a year such as 2029.");
    }

    @Test
    void shouldAskForBothOrNeither() {
        assertThat(ExpiryInput.of("5", "", false, NOVEMBER).problem())
                .isEqualTo("Enter both the expiry month and year, or neither.");
    }

    @Test
    void shouldRefuseAnExpiryForABankAccount() {
        assertThat(ExpiryInput.of("5", "2029", true, NOVEMBER).problem())
                .isEqualTo("A bank account has no expiry: leave the month and year empty.");
    }
}
