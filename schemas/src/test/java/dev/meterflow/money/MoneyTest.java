package dev.meterflow.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MoneyTest {

    @ParameterizedTest(name = "{0} micros -> {1} cents")
    @CsvSource(textBlock = """
            0,        0
            1,        1
            9999,     1
            10000,    1
            10001,    2
            15000,    2
            50012000, 5002
            -1,       0
            -9999,    0
            -10000,   -1
            -10001,   -1
            -15000,   -1
            -20000,   -2
            """)
    void shouldRoundMicrosUpToWholeCents(long micros, long expectedCents) {
        // when
        long cents = Money.toCentsRoundingUp(micros);

        // then
        assertThat(cents).isEqualTo(expectedCents);
    }

    @ParameterizedTest(name = "ceil({0} / {1}) = {2}")
    @CsvSource(textBlock = """
            7,                    2,     4
            6,                    3,     2
            0,                    5,     0
            -7,                   2,     -3
            187,                  60,    4
            180,                  60,    3
            1,                    1,     1
            9223372036854775807,  1,     9223372036854775807
            9223372036854775807,  2,     4611686018427387904
            -9223372036854775808, 1,     -9223372036854775808
            -9223372036854775808, 10000, -922337203685477
            """)
    void shouldDivideRoundingTowardsPositiveInfinity(long numerator, long denominator, long expected) {
        // when
        long quotient = Money.ceilDiv(numerator, denominator);

        // then
        assertThat(quotient).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, -60})
    void shouldRefuseANonPositiveDenominator(long denominator) {
        // when / then
        assertThatThrownBy(() -> Money.ceilDiv(187, denominator))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("denominator must be positive, was " + denominator);
    }

    @Test
    void shouldThrowInsteadOfWrappingAtTheLongLimits() {
        assertThatThrownBy(() -> Money.add(Long.MAX_VALUE, 1)).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> Money.add(Long.MIN_VALUE, -1)).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> Money.subtract(Long.MIN_VALUE, 1)).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> Money.subtract(Long.MAX_VALUE, -1)).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> Money.multiply(Long.MAX_VALUE, 2)).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> Money.multiply(Long.MIN_VALUE, -1)).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> Money.negate(Long.MIN_VALUE)).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> Money.dollarsToMicros(Long.MAX_VALUE / Money.MICROS_PER_DOLLAR + 1))
                .isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> Money.centsToMicros(Long.MIN_VALUE / Money.MICROS_PER_CENT - 1))
                .isInstanceOf(ArithmeticException.class);
    }

    @Test
    void shouldComputeRightUpToTheLongLimits() {
        assertThat(Money.add(Long.MAX_VALUE - 1, 1)).isEqualTo(Long.MAX_VALUE);
        assertThat(Money.add(Long.MIN_VALUE + 1, -1)).isEqualTo(Long.MIN_VALUE);
        assertThat(Money.subtract(-34_000, 12_000)).isEqualTo(-46_000);
        assertThat(Money.multiply(8_500, 4)).isEqualTo(34_000);
        assertThat(Money.multiply(Long.MIN_VALUE, 1)).isEqualTo(Long.MIN_VALUE);
        assertThat(Money.negate(Long.MAX_VALUE)).isEqualTo(-Long.MAX_VALUE);
        assertThat(Money.negate(-34_000)).isEqualTo(34_000);
        assertThat(Money.dollarsToMicros(50)).isEqualTo(50_000_000);
        assertThat(Money.centsToMicros(5_002)).isEqualTo(50_020_000);
    }

    @ParameterizedTest(name = "{0} micros -> {1}")
    @CsvSource(textBlock = """
            15000000,             $15.00
            -1234567,             -$1.234567
            0,                    $0.00
            500000,               $0.50
            10000,                $0.01
            -10000,               -$0.01
            1,                    $0.000001
            -12000,               -$0.012000
            9223372036854775807,  $9223372036854.775807
            -9223372036854775808, -$9223372036854.775808
            """)
    void shouldFormatDollarsWithCentsOrFullMicros(long micros, String expected) {
        // when
        String formatted = Money.format(micros);

        // then
        assertThat(formatted).isEqualTo(expected);
    }

    @Test
    void shouldFormatWholeCents() {
        assertThat(Money.formatCents(3_501)).isEqualTo("$35.01");
        assertThat(Money.formatCents(-5)).isEqualTo("-$0.05");
    }
}
