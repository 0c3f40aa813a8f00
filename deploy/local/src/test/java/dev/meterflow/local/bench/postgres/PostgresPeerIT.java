package dev.meterflow.local.bench.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.local.stack.SeedData;
import dev.meterflow.metering.ledger.BillingSettings;
import dev.meterflow.metering.pricing.PricingOutcome;
import dev.meterflow.metering.pricing.RatePlan;
import dev.meterflow.metering.pricing.Usage;
import dev.meterflow.metering.pricing.UsagePricer;
import dev.meterflow.metering.topology.AvroMapping;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 13 §3: the PostgreSQL peer debits each event once, as the topology does, whatever is delivered twice. */
class PostgresPeerIT {

    private static final Instant NOW = Instant.parse("2026-11-30T00:00:00Z");
    private static final long THRESHOLD_MICROS = 60_000_000;

    @TempDir
    Path dir;

    private final List<BillingSettings> accounts = SeedData.accounts(3, NOW).stream().map(AvroMapping::settings)
            .toList();
    private final RatePlan plan = AvroMapping.ratePlan(SeedData.rateCard(NOW));
    private PostgresPeer peer;

    @BeforeEach
    void startPeer() throws Exception {
        // every account opens at its $60 threshold, so its first debit crosses it
        peer = PostgresPeer.start(dir.resolve("pg"), accounts, List.of(plan), THRESHOLD_MICROS, 2, 100);
    }

    @AfterEach
    void stopPeer() {
        peer.close();
    }

    @Test
    void shouldDebitEachEventOnceWhenABatchIsDeliveredTwice() throws Exception {
        List<Usage> batch = List.of(call("e1", 1, 600), call("e2", 2, 300), call("e1", 1, 600), call("e3", 1, 60));

        int first = peer.meterBatch(batch);
        int second = peer.meterBatch(batch);

        assertThat(first).as("e1 twice in the batch is debited once").isEqualTo(3);
        assertThat(second).as("nothing debited again").isZero();
        assertThat(peer.ledgerRows()).isEqualTo(3);
        assertThat(peer.balancesMicros()).isEqualTo(3 * THRESHOLD_MICROS
                - (price(batch.get(0)) + price(batch.get(1)) + price(batch.get(3))));
    }

    @Test
    void shouldAskForOneRechargeWhenADebitCrossesTheThresholdAndNoneOnTheRepeat() throws Exception {
        List<Usage> batch = List.of(call("e1", 1, 600));

        peer.meterBatch(batch);
        peer.meterBatch(batch);
        peer.meterBatch(List.of(call("e2", 1, 600)));

        assertThat(peer.rechargeRequests()).as("one crossing, below the threshold after it").isEqualTo(1);
    }

    @Test
    void shouldMeterEveryEventOfAThroughputAndALatencyRun() throws Exception {
        List<Usage> events = new ArrayList<>();
        for (int i = 1; i <= 1_000; i++) {
            events.add(call("t" + i, 1 + i % 3, 60 + i));
        }

        assertThat(peer.throughput(events)).isPositive();
        AtomicLong next = new AtomicLong();
        var latencies = peer.latency(200, Duration.ofSeconds(1),
                at -> new Usage("l" + next.incrementAndGet(), SeedData.accountId(1), "call.minutes.local", 60, at));

        assertThat(peer.ledgerRows()).isEqualTo(1_000 + next.get());
        assertThat(latencies.count()).isEqualTo((int) next.get());
    }

    private Usage call(String eventId, int account, long seconds) {
        return new Usage(eventId, SeedData.accountId(account), "call.minutes.local", seconds, NOW.toEpochMilli());
    }

    private long price(Usage usage) {
        var outcome = UsagePricer.price(usage.accountId(), usage, accounts.get(0), id -> Optional.of(plan));
        return ((PricingOutcome.Priced) outcome).amountMicros();
    }
}
