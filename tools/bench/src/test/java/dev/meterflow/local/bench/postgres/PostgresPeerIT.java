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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 §3: the PostgreSQL peer debits each event once, as the topology does, whatever is delivered twice. One
 * server for the class (each start costs seconds); every test uses accounts and event ids of its own and compares
 * what changed.
 */
class PostgresPeerIT {

    private static final Instant NOW = Instant.parse("2026-11-30T00:00:00Z");
    private static final long THRESHOLD_MICROS = 60_000_000;

    private static final List<BillingSettings> ACCOUNTS = SeedData.accounts(6, NOW).stream()
            .map(AvroMapping::settings).toList();
    private static final RatePlan PLAN = AvroMapping.ratePlan(SeedData.rateCard(NOW));
    private static PostgresPeer peer;

    @BeforeAll
    static void startPeer(@TempDir Path dir) throws Exception {
        // every account opens at its $60 threshold, so its first debit crosses it
        peer = PostgresPeer.start(dir.resolve("pg"), ACCOUNTS, List.of(PLAN), THRESHOLD_MICROS, 2, 100);
    }

    @AfterAll
    static void stopPeer() {
        peer.close();
    }

    @Test
    void shouldDebitEachEventOnceWhenABatchIsDeliveredTwice() throws Exception {
        List<Usage> batch = List.of(call("once-1", 1, 600), call("once-2", 2, 300), call("once-1", 1, 600),
                call("once-3", 1, 60));
        long rowsBefore = peer.ledgerRows();
        long balancesBefore = peer.balancesMicros();

        int first = peer.meterBatch(batch);
        int second = peer.meterBatch(batch);

        assertThat(first).as("once-1 twice in the batch is debited once").isEqualTo(3);
        assertThat(second).as("nothing debited again").isZero();
        assertThat(peer.ledgerRows() - rowsBefore).isEqualTo(3);
        assertThat(balancesBefore - peer.balancesMicros())
                .isEqualTo(price(batch.get(0)) + price(batch.get(1)) + price(batch.get(3)));
    }

    @Test
    void shouldAskForOneRechargeWhenADebitCrossesTheThresholdAndNoneOnTheRepeat() throws Exception {
        long requestsBefore = peer.rechargeRequests();
        List<Usage> batch = List.of(call("cross-1", 4, 600));

        peer.meterBatch(batch);
        peer.meterBatch(batch);
        peer.meterBatch(List.of(call("cross-2", 4, 600)));

        assertThat(peer.rechargeRequests() - requestsBefore).as("one crossing, below the threshold after it")
                .isEqualTo(1);
    }

    @Test
    void shouldMeterEveryEventOfAThroughputAndALatencyRun() throws Exception {
        long rowsBefore = peer.ledgerRows();
        List<Usage> events = new ArrayList<>();
        for (int i = 1; i <= 1_000; i++) {
            events.add(call("run-" + i, 5 + i % 2, 60 + i));
        }

        assertThat(peer.throughput(events)).isPositive();
        AtomicLong next = new AtomicLong();
        var latencies = peer.latency(200, Duration.ofSeconds(1),
                at -> new Usage("late-" + next.incrementAndGet(), SeedData.accountId(5), "call.minutes.local", 60, at));

        assertThat(peer.ledgerRows() - rowsBefore).isEqualTo(1_000 + next.get());
        assertThat(latencies.count()).isEqualTo((int) next.get());
    }

    private static Usage call(String eventId, int account, long seconds) {
        return new Usage(eventId, SeedData.accountId(account), "call.minutes.local", seconds, NOW.toEpochMilli());
    }

    private static long price(Usage usage) {
        var outcome = UsagePricer.price(usage.accountId(), usage, ACCOUNTS.get(0), id -> Optional.of(PLAN));
        return ((PricingOutcome.Priced) outcome).amountMicros();
    }
}
