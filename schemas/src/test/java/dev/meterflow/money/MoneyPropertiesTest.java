package dev.meterflow.money;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

class MoneyPropertiesTest {

    @Property
    void roundingUpToCentsCoversTheAmountByLessThanOneCent(
            @ForAll @LongRange(min = 0, max = 1_000_000_000_000_000L) long micros) {
        // when
        long charged = Money.centsToMicros(Money.toCentsRoundingUp(micros));

        // then
        assertThat(charged).isGreaterThanOrEqualTo(micros);
        assertThat(charged - micros).isLessThan(Money.MICROS_PER_CENT);
    }

    @Property
    void ceilDivIsTheExactQuotientRoundedTowardsPositiveInfinity(
            @ForAll long numerator, @ForAll @LongRange(min = 1) long denominator) {
        // given
        BigInteger expected = new BigDecimal(numerator)
                .divide(new BigDecimal(denominator), 0, RoundingMode.CEILING)
                .toBigIntegerExact();

        // when
        long quotient = Money.ceilDiv(numerator, denominator);

        // then
        assertThat(BigInteger.valueOf(quotient)).isEqualTo(expected);
    }

    @Property
    void formatReadsBackAsTheSameAmount(@ForAll long micros) {
        // when
        String formatted = Money.format(micros);

        // then
        BigDecimal dollars = new BigDecimal(formatted.replace("$", ""));
        assertThat(dollars.movePointRight(6).longValueExact()).isEqualTo(micros);
    }
}
