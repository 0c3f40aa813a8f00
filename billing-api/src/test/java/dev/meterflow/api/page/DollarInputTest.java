package dev.meterflow.api.page;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Issue 12: amounts as people type them in the page's forms. */
class DollarInputTest {

    @Test
    void shouldReadWholeDollarsCentsSignsAndThousandsSeparators() {
        assertThat(DollarInput.cents("25")).contains(2_500L);
        assertThat(DollarInput.cents(" 25.5 ")).contains(2_550L);
        assertThat(DollarInput.cents("$1,250.05")).contains(125_005L);
        assertThat(DollarInput.cents("0.50")).contains(50L);
    }

    @Test
    void shouldRefuseWhatIsNotADollarAmount() {
        assertThat(DollarInput.cents("")).isEmpty();
        assertThat(DollarInput.cents(null)).isEmpty();
        assertThat(DollarInput.cents("-5")).isEmpty();
        assertThat(DollarInput.cents("ten")).isEmpty();
        assertThat(DollarInput.cents("2.505")).isEmpty();
        assertThat(DollarInput.cents("1,25")).isEmpty();
        assertThat(DollarInput.cents("9999999999")).as("past what a form may ask").isEmpty();
    }

    @Test
    void shouldShowCentsAsTheFieldTakesThem() {
        assertThat(DollarInput.text(2_500)).isEqualTo("25");
        assertThat(DollarInput.text(2_550)).isEqualTo("25.50");
        assertThat(DollarInput.text(5)).isEqualTo("0.05");
    }
}
