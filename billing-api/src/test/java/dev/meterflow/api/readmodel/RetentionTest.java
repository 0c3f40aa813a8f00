package dev.meterflow.api.readmodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.YearMonth;
import org.junit.jupiter.api.Test;

class RetentionTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 11, 29);

    @Test
    void shouldKeepTheCurrentMonthAndTheRetainedMonthsBeforeIt() {
        Retention retention = new Retention(25);

        assertThat(retention.oldestKept(TODAY)).isEqualTo(YearMonth.of(2024, 10));
        assertThat(retention.keeps(LocalDate.of(2024, 10, 1), TODAY)).isTrue();
        assertThat(retention.keeps(LocalDate.of(2024, 9, 30), TODAY)).isFalse();
    }

    @Test
    void shouldNameAPartitionByItsMonthAndReadTheMonthBack() {
        String name = Retention.partitionName("daily_usage", YearMonth.of(2026, 1));

        assertThat(name).isEqualTo("daily_usage_2026_01");
        assertThat(Retention.monthOf(name)).hasValue(YearMonth.of(2026, 1));
        assertThat(Retention.monthOf("daily_usage")).isEmpty();
    }

    @Test
    void shouldRefuseARetentionOfLessThanAMonth() {
        assertThatThrownBy(() -> new Retention(0)).hasMessageContaining("at least 1 month");
    }
}
