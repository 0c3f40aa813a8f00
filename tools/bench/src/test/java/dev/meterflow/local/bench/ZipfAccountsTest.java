package dev.meterflow.local.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meterflow.local.stack.SeedData;
import dev.meterflow.local.stack.UsageGenerator;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Issue 13 §1: the skewed workload's busiest accounts carry most of the events, as big customers do. */
class ZipfAccountsTest {

    private static final Instant NOW = Instant.parse("2026-11-30T00:00:00Z");

    @Test
    void shouldGiveTheBusiestOnePercentTheShareTheWeightsPromise() {
        ZipfAccounts zipf = new ZipfAccounts(100_000, 1.1);
        UsageGenerator generator = new UsageGenerator(zipf, SeedData::accountId, "t", 7);
        ActivityShare share = new ActivityShare();

        for (int i = 0; i < 200_000; i++) {
            share.count(generator.next(NOW).getAccountId());
        }

        // 1/k^1.1 over 100,000 accounts: the first 1,000 hold 75 % of the weight
        assertThat(zipf.expectedShareOfBusiest(0.01)).isBetween(0.74, 0.76);
        assertThat(share.busiestShare(100_000, 0.01)).isBetween(0.72, 0.78);
    }

    @Test
    void shouldPickAccountOneMostAndStayWithinTheAccounts() {
        ZipfAccounts zipf = new ZipfAccounts(10, 1.1);
        SplittableRandom random = new SplittableRandom(3);
        int[] picks = new int[11];

        for (int i = 0; i < 10_000; i++) {
            picks[zipf.next(random)]++;
        }

        assertThat(picks[0]).as("no account 0").isZero();
        assertThat(picks[1]).isGreaterThan(picks[2]).isGreaterThan(picks[10]);
        assertThat(picks[10]).as("the quietest account still sends").isPositive();
    }

    @Test
    void shouldRefuseAnExponentThatIsNotPositive() {
        assertThatThrownBy(() -> new ZipfAccounts(10, 0)).hasMessageContaining("Zipf exponent");
    }
}
