package dev.meterflow.local.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.local.faults.FaultSuite.Fault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The short version of the fault suite ({@code meterflow faults} runs the long one): the broker, two metering
 * instances and the worker as processes, each fault injected once while usage flows, then every check against
 * the input and the gateway's charge log. A failure prints the whole report.
 */
class FaultSuiteIT {

    private static final int LOAD_THREADS = 1;
    private static final int BROKER_RESTARTS = 3;

    /** Kept after the run (the suite wipes it when it starts): the processes' logs explain a failure. */
    private final Path dataDir = Path.of("target", "fault-suite-it");

    @Test
    void shouldLoseNothingDoubleNothingChargeOnceAndLeakNothingThroughEveryFault() throws InterruptedException {
        // given one cycle per fault, with re-deliveries, late events, unpriceable usage and poison in each, on a
        // machine loaded by a busy thread beside the pipeline, and three broker restarts in a row (issue 17)
        // (16 accounts: one of each payer, two soft-declining among them, and an agency's three sub-accounts)
        FaultSuite.Options options = new FaultSuite.Options(Fault.values().length, 400, 16, 300, 4, dataDir,
                20261126L, List.of(Fault.values()), Duration.ofMinutes(3), LOAD_THREADS, BROKER_RESTARTS);

        // when the suite runs
        FaultReport report = new FaultSuite(options, System.out).run();
        report.print(System.out);

        // then every check held
        assertThat(report.failed()).as(report.text()).isEmpty();
        // and every fault was injected
        assertThat(report.faultsInjected()).as(report.text())
                .containsOnlyKeys(Arrays.stream(Fault.values()).map(Fault::name).toList());
        // and the run did exercise what the checks are about, so that they could have failed
        assertThat(report.figure("lost")).isZero();
        assertThat(report.figure("doubled")).isZero();
        assertThat(report.figure("duplicate charges")).isZero();
        assertThat(report.figure("debited")).isGreaterThan(1_000);
        assertThat(report.figure("re-deliveries (same event id, other offset)")).isPositive();
        assertThat(report.figure("dead-lettered (metering-dlq, distinct records)"))
                .isEqualTo(report.figure("poison records sent to topics metering reads")).isPositive();
        // issue 16: bad records on every topic either app reads, and valid ones refused, each accounted for
        assertThat(report.checks()).extracting(FaultReport.Check::name).filteredOn(name -> name.startsWith(
                "records in = accounted for, ")).hasSize(BadRecords.TOPICS.size());
        assertThat(report.figure("valid records refused (payment-commands-rejected, FAILED results)")).isPositive();
        assertThat(report.figure("parked (usage-unpriced)")).isPositive();
        assertThat(report.figure("gateway charges succeeded")).isPositive();
        assertThat(report.figure("soft declines at the gateway")).isPositive();
        assertThat(report.figure("cards passed over at their soft-decline limit")).isPositive();
        // and the kills landed where they mean to: inside a metering transaction, with a charge at the gateway
        assertThat(report.faultsAsIntended()).as(report.text())
                .containsEntry(Fault.KILL_METERING.name(), 1).containsEntry(Fault.KILL_WORKER.name(), 1);
        // issue 10: every new flow ran at least once, so its check could fail
        assertThat(report.figure("payments credited")).isPositive();
        assertThat(report.figure("payments declined (one notice each)")).isPositive();
        assertThat(report.figure("bank debits settled")).isPositive();
        assertThat(report.figure("bank debits returned")).isEqualTo(1);
        assertThat(report.figure("plan fees charged directly")).isPositive();
        assertThat(report.figure("plan fees debited after every card declined")).isPositive();
        assertThat(report.figure("plan fees charged to a bank account (ACH)")).isPositive();
        // the month before the run was taxed by record time, once per taxed account, its bank plan fee included
        assertThat(report.figure("accounts taxed for the month before the run")).isEqualTo(3);
        assertThat(report.figure("TAX entries")).isEqualTo(3);
        assertThat(report.figure("exempt accounts with taxable usage that month")).isPositive();
        assertThat(report.figure("sub-account events debited on their agency")).isPositive();
        // the agency paused and, with its new card, resumed: each of its three sub-accounts followed both
        assertThat(report.figure("sub-account status changes (the agency's cascade)")).isGreaterThanOrEqualTo(6);
        assertThat(report.figure("records scanned for secrets")).isPositive();
        assertThat(report.figure("log lines scanned for secrets")).isPositive();
    }
}
