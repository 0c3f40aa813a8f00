package dev.meterflow.local.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.local.stack.SeedData;
import dev.meterflow.local.stack.UsageGenerator;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ActivityShareTest {

    @Test
    void shouldReadAboutTheFractionOnAUniformWorkload() {
        UsageGenerator generator = new UsageGenerator(10_000, SeedData::accountId, "t", 7);
        ActivityShare share = new ActivityShare();

        for (int i = 0; i < 200_000; i++) {
            share.count(generator.next(Instant.EPOCH).getAccountId());
        }

        assertThat(share.busiestShare(10_000, 0.01)).isBetween(0.01, 0.02);
    }

    @Test
    void shouldCountTheBusiestAccountsEvents() {
        ActivityShare share = new ActivityShare();
        for (int i = 0; i < 6; i++) {
            share.count("big");
        }
        share.count("small-1");
        share.count("small-2");
        share.count("small-3");
        share.count("small-4");

        assertThat(share.busiestShare(100, 0.01)).isEqualTo(0.6);
        assertThat(share.busiestShare(100, 0.02)).isEqualTo(0.7);
    }
}
