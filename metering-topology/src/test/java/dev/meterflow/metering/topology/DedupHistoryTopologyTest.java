package dev.meterflow.metering.topology;

import static dev.meterflow.testdata.AccountSettingsBuilder.settingsFor;
import static dev.meterflow.testdata.PaymentResultBuilder.aPaymentResult;
import static dev.meterflow.testdata.TestData.ACME;
import static dev.meterflow.testdata.TestData.LOCAL_MINUTES;
import static dev.meterflow.testdata.TestData.START;
import static dev.meterflow.testdata.TestData.dollars;
import static dev.meterflow.testdata.UsageEventBuilder.aUsageEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.meterflow.metering.topology.DedupChangelog.Mark;
import dev.meterflow.schemas.LedgerEntry;
import dev.meterflow.schemas.RechargeRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, §2: the dedup history's changelog holds one record per commit with every id marked in it, not one
 * record per id, and a store restored from those records alone remembers what was applied: nothing is debited or
 * applied twice after a restore. (The test driver commits after every input record.)
 */
class DedupHistoryTopologyTest {

    @TempDir
    Path stateDir;

    private final List<MeteringDriver> drivers = new ArrayList<>();

    @AfterEach
    void stopTopology() {
        drivers.forEach(MeteringDriver::close);
    }

    @Test
    void shouldLogTheIdsMarkedInACommitAsOneBatchAndNothingForADuplicateOrAParkedEvent() {
        MeteringDriver metering = start();
        metering.publish(settingsFor(ACME));
        metering.dedupChangelog();

        metering.publish(aUsageEvent().withEventId("call-1").sku(LOCAL_MINUTES).minutes(3));
        List<ConsumerRecord<byte[], byte[]>> afterDebit = metering.dedupChangelog();
        metering.publish(aUsageEvent().withEventId("call-1").sku(LOCAL_MINUTES).minutes(3));
        metering.publish(aUsageEvent().withEventId("call-2").sku("no-such-sku").minutes(3));

        assertThat(afterDebit).singleElement().satisfies(record -> {
            assertThat(DedupChangelog.isBatch(record.key())).isTrue();
            assertThat(DedupChangelog.marks(record.value())).extracting(Mark::key, Mark::value).containsExactly(
                    tuple(Dedup.key('u', ACME, "call-1"), "usage:call-1"));
        });
        assertThat(metering.dedupChangelog()).as("the duplicate and the parked event mark nothing")
                .hasSameSizeAs(afterDebit);
        assertThat(metering.unpriced()).hasSize(1);
    }

    @Test
    void shouldStampTheBatchWithTheWallClockSoThatAnOldInputsIdIsNotDeletedWithItsTime() {
        MeteringDriver metering = start();
        metering.publish(settingsFor(ACME));
        metering.dedupChangelog();

        // a platform's late batch: usage stamped 40 days ago, older than the changelog's retention
        metering.publish(aUsageEvent().withEventId("call-late").sku(LOCAL_MINUTES).minutes(3)
                .at(START.minus(Duration.ofDays(40))));

        assertThat(metering.dedupChangelog()).singleElement()
                .satisfies(record -> assertThat(record.timestamp()).isEqualTo(START.toEpochMilli()));
    }

    @Test
    void shouldNotDebitAReplayedEventTwiceAfterTheStoreIsRestoredFromItsChangelogOnly() {
        MeteringDriver first = start();
        first.publish(settingsFor(ACME));
        var call1 = aUsageEvent().withEventId("call-1").sku(LOCAL_MINUTES).minutes(3);
        var call2 = aUsageEvent().withEventId("call-2").sku(LOCAL_MINUTES).minutes(1);
        first.publish(call1);
        first.publish(call2);
        assertThat(first.ledgerEntries()).hasSize(2);
        MeteringDriver.CommittedState committed = first.committedState();
        stop(first);

        // the state directory is lost: a new instance restores every store, the dedup store from its batches
        MeteringDriver second = start();
        second.restore(committed);
        second.publish(call1);
        second.publish(call2);
        second.publish(aUsageEvent().withEventId("call-3").sku(LOCAL_MINUTES).minutes(2));

        assertThat(second.ledgerEntries()).extracting(LedgerEntry::getEntryId).containsExactly("usage:call-3");
        assertThat(second.meteringMetric("usage-duplicate-total", "task-id", "0_0")).isEqualTo(2.0);
    }

    @Test
    void shouldSkipAReplayedDeclinedResultAfterARestoreThoughItWroteNoLedgerEntry() {
        MeteringDriver first = start();
        first.publish(settingsFor(ACME).topUpTo(dollars(50)).whenBelow(dollars(15)));
        RechargeRequest request = first.theRechargeRequest();
        var declined = aPaymentResult().answering(request).declined().at(START.plusSeconds(5));
        first.publish(declined);
        assertThat(first.ledgerEntries()).isEmpty();
        MeteringDriver.CommittedState committed = first.committedState();
        stop(first);

        MeteringDriver second = start();
        second.restore(committed);
        second.forgetOutputs();
        second.publish(declined);

        assertThat(second.unmatchedPayments()).as("recognised as applied, not parked as unmatched").isEmpty();
        assertThat(second.meteringMetric("payment-result-duplicate-total", "task-id", "0_0")).isEqualTo(1.0);
    }

    @Test
    void shouldRestoreIdsLoggedOneRecordPerIdByTheReleaseBefore() {
        MeteringDriver metering = start();
        metering.publish(settingsFor(ACME));
        metering.forgetOutputs();
        long markedAt = START.minus(Duration.ofDays(3)).toEpochMilli();
        metering.restoreDedup(List.of(DedupChangelogTest.perIdRecord(Dedup.key('u', ACME, "call-old"),
                "usage:call-old", markedAt)));

        metering.publish(aUsageEvent().withEventId("call-old").sku(LOCAL_MINUTES).minutes(3));

        assertThat(metering.ledgerEntries()).isEmpty();
        assertThat(metering.meteringMetric("usage-duplicate-total", "task-id", "0_0")).isEqualTo(1.0);
    }

    private MeteringDriver start() {
        MeteringDriver metering = MeteringDriver.startAt(stateDir, START, new Properties());
        drivers.add(metering);
        return metering;
    }

    private void stop(MeteringDriver metering) {
        metering.close();
        drivers.remove(metering);
    }
}
