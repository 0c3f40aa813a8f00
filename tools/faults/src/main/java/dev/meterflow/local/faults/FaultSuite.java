package dev.meterflow.local.faults;

import static dev.meterflow.local.faults.Pacing.awaitCondition;
import static dev.meterflow.local.faults.Pacing.pause;

import dev.meterflow.embedded.EmbeddedKafkaMain;
import dev.meterflow.gatewaysim.GatewaySimulator;
import dev.meterflow.gatewaysim.SimulatorSettings;
import dev.meterflow.local.deadletter.DeadLetter;
import dev.meterflow.local.faults.Workload.Account;
import dev.meterflow.local.faults.Workload.Kind;
import dev.meterflow.local.faults.Workload.Payer;
import dev.meterflow.local.faults.Workload.Send;
import dev.meterflow.local.reconcile.ChargeSource;
import dev.meterflow.local.reconcile.Check;
import dev.meterflow.local.reconcile.Difference;
import dev.meterflow.local.reconcile.Reconciliation;
import dev.meterflow.local.reconcile.ReconciliationReport;
import dev.meterflow.local.scan.ScanReport;
import dev.meterflow.local.scan.SecretScan;
import dev.meterflow.local.stack.ConsumerLag;
import dev.meterflow.local.topics.ProvisionTopics;
import dev.meterflow.local.topics.TopicDefinitions;
import dev.meterflow.local.topics.TopicDefinitions.TopicDefinition;
import dev.meterflow.metering.MeteringApp;
import dev.meterflow.schemas.AccountSettings;
import dev.meterflow.schemas.NotificationType;
import dev.meterflow.schemas.PaymentResult;
import dev.meterflow.schemas.PaymentStatus;
import dev.meterflow.schemas.RechargeReason;
import dev.meterflow.schemas.RechargeRequest;
import dev.meterflow.schemas.TaxRate;
import dev.meterflow.topics.Topics;
import dev.meterflow.worker.RechargeWorkerApp;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Runs the pipeline as real processes (the broker, two metering instances so that tasks migrate, the recharge
 * worker), feeds it a workload whose outcome follows from the input alone, injects one fault per cycle while
 * usage flows, and at the end checks what came out against the input and the gateway simulator's charge log.
 *
 * <p>Every cycle also carries re-deliveries, late and reordered events, unpriceable usage and poison records;
 * accounts with slow, soft-declining, hard-declining and declining cards are charged throughout. The suite
 * owns its data directory: it is wiped at the start.
 */
public final class FaultSuite {

    /** The faults injected, one per cycle, in turn. */
    public enum Fault {
        /** SIGKILL a metering instance, preferably while its transaction is open; restart it. */
        KILL_METERING,
        /** SIGSTOP a metering instance past its session timeout until its tasks have moved; SIGCONT (a zombie). */
        STALL_METERING,
        /** SIGKILL the broker while usage flows; start it again on the same data (repeatedly, if asked). */
        RESTART_BROKER,
        /** Wipe a metering instance's state, kill it while it restores, and again just after it restored. */
        CRASH_DURING_RESTORE,
        /**
         * SIGKILL the recharge worker while a charge is at the gateway, restart it; then SIGKILL it just after a
         * transaction with results committed (the refusal of a reused request id among them), restart it.
         */
        KILL_WORKER
    }

    /**
     * How a run is sized. {@code loadThreads} busy threads run beside the pipeline for the whole run (0: none);
     * {@code brokerRestarts} is how many times in a row a {@code RESTART_BROKER} cycle kills and restarts the broker,
     * each time while the metering instances restore what the previous restart made them re-initialise.
     */
    public record Options(int cycles, int eventsPerCycle, int accounts, int ratePerSecond, int partitions,
                          Path dataDir, long seed, List<Fault> faults, Duration settleTimeout, int loadThreads,
                          int brokerRestarts) {
        public Options {
            if (cycles < 1 || eventsPerCycle < 10 || accounts < Payer.dealt().size() || ratePerSecond < 1
                    || loadThreads < 0 || brokerRestarts < 1) {
                throw new IllegalArgumentException("need cycles >= 1, events per cycle >= 10, accounts >= "
                        + Payer.dealt().size() + " (one of each payer), rate >= 1, load >= 0, broker restarts >= 1");
            }
            faults = List.copyOf(faults);
            if (faults.isEmpty()) {
                throw new IllegalArgumentException("choose at least one fault");
            }
        }
    }

    static final String APPLICATION_ID = "meterflow-faults-metering";
    static final String WORKER_GROUP = "meterflow-faults-worker";
    static final int MAX_SOFT_DECLINES_PER_DAY = 2;
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(6);
    private static final Duration CATCH_UP = Duration.ofMinutes(3);
    /**
     * How long a bank debit (ACH) stays processing at the gateway simulator: longer than it takes from a cycle's first
     * sends to its worker kill, so the kill lands while bank payments are parked (issue 10 §2).
     */
    static final Duration ACH_SETTLEMENT = Duration.ofSeconds(20);
    /**
     * The metering instances' stall watchdog: short enough that a stuck instance exits (code 75) and is restarted
     * well within {@link #CATCH_UP}, long enough for a restore on a loaded machine to show progress.
     */
    private static final Duration STALL_TIMEOUT = Duration.ofSeconds(60);
    /** A bound on the CPU load, whatever happens to the run: the busy threads stop by themselves after it. */
    private static final Duration MAX_LOAD = Duration.ofHours(3);
    /** What a metering instance logs when Kafka refuses a zombie's transactional write or commit. */
    private static final List<String> ZOMBIE_FENCED = List.of("ProducerFencedException",
            "InvalidProducerEpochException", "TaskMigratedException");
    /** The figure of the usage sent beyond the cycles' to keep a transaction open for {@code KILL_METERING}. */
    static final String MORE_USAGE = "usage events sent beyond the cycles' until a metering kill landed";

    private final Options options;
    private final PrintStream out;
    private final Path dataDir;
    private final Path logDir;
    private final String gatewayApiKey = "sk_test_" + randomAlphanumeric(24);
    private final List<ChildJvm> metering = new ArrayList<>();
    private final List<Send> delivered = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> uncertain = ConcurrentHashMap.newKeySet();
    /** Where each record but usage to debit or park landed, by its id: the dead letter queues name it so. */
    private final Map<String, DeadLetter.Location> placed = new ConcurrentHashMap<>();
    private final Map<String, Long> forged = new LinkedHashMap<>();
    private ChildJvm broker;
    private ChildJvm worker;
    private String bootstrap;

    public FaultSuite(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
        this.dataDir = options.dataDir().toAbsolutePath();
        this.logDir = dataDir.resolve("logs");
    }

    /** Runs the whole suite; the report says what was injected, the figures and whether every check held. */
    public FaultReport run() throws InterruptedException {
        Instant startedAt = Instant.now();
        FaultReport report = new FaultReport(startedAt);
        wipe(dataDir);
        Workload workload = new Workload(options.accounts(), options.seed(), startedAt);
        broker = new ChildJvm("broker", EmbeddedKafkaMain.class.getName(),
                List.of(dataDir.resolve("kafka").toString()), Map.of(), logDir.resolve("broker.log"), "768m");
        try (CpuLoad load = CpuLoad.start(options.loadThreads(), MAX_LOAD)) {
            startBroker();
            out.printf("fault suite: broker %s (own process, pid %d), data in %s%s%n", bootstrap, broker.pid(), dataDir,
                    load.threads() == 0 ? "" : "; " + load.threads() + " busy threads load the machine beside it");
            SimulatorSettings gatewaySettings = SimulatorSettings.defaults().toBuilder().latencyMs(100)
                    .timeoutAfterChargeMs(2_500).timeoutAfterChargePaymentMethods(Set.copyOf(workload.slowCards()))
                    .achSettlementDelay(ACH_SETTLEMENT).seed(options.seed()).build();
            try (GatewaySimulator gateway = GatewaySimulator.start(0, gatewaySettings);
                 Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
                 KafkaProducer<String, byte[]> producer = producer()) {
                ClusterProbe probe = new ClusterProbe(admin);
                new ProvisionTopics(admin).apply(usageKeptWhole(TopicDefinitions.all(options.partitions(),
                        (short) 1)));
                seed(producer, workload);
                for (int i = 1; i <= 2; i++) {
                    ChildJvm instance = meteringInstance(i);
                    metering.add(instance);
                    instance.start();
                }
                seedTaxMonthThenAccounts(admin, producer, workload, report);
                worker = workerProcess(gateway);
                worker.start();
                out.printf("gateway simulator %s; metering x2 and the worker started; %d accounts, %d cycles of %d "
                        + "events; bad records on %s, the run's near-1 MB one on %s%n", gateway.baseUrl(),
                        options.accounts(), options.cycles(), options.eventsPerCycle(), BadRecords.TOPICS,
                        workload.nearLimitTopic());
                cycles(admin, probe, producer, workload, gateway, report);
                finale(admin, producer, workload, gateway, report);
                stopApps(report);
                transactions(probe, report);
                new FaultVerifier(bootstrap, workload, MAX_SOFT_DECLINES_PER_DAY)
                        .verify(new FaultVerifier.Sent(List.copyOf(delivered), Map.copyOf(placed),
                                Set.copyOf(uncertain)), forged, gateway.charges(), report);
                reconcile(gateway, report);
                scanForSecrets(report);
            }
        } finally {
            metering.forEach(ChildJvm::kill);
            if (worker != null) {
                worker.kill();
            }
            broker.stop();
        }
        report.finished(Instant.now());
        return report;
    }

    private void cycles(Admin admin, ClusterProbe probe, KafkaProducer<String, byte[]> producer, Workload workload,
                        GatewaySimulator gateway, FaultReport report) throws InterruptedException {
        out.println("cycle  fault                  took   what happened");
        for (int cycle = 1; cycle <= options.cycles(); cycle++) {
            Fault fault = options.faults().get((cycle - 1) % options.faults().size());
            long start = System.nanoTime();
            if (fault == Fault.KILL_METERING) {
                // on a loaded machine a just-started instance may not hold tasks yet: no transaction of its to kill in
                String victim = victim(cycle).name();
                awaitCondition(Duration.ofMinutes(2), () -> {
                    pause(Duration.ofMillis(250));
                    return !probe.ledgerPartitionsOf(APPLICATION_ID, victim).isEmpty();
                });
            }
            List<Send> sends = workload.cycle(options.eventsPerCycle());
            UsageSender sender = new UsageSender(producer, sends, options.ratePerSecond(), this::delivered,
                    failed -> uncertain.add(failed.eventId()));
            Thread sending = new Thread(sender, "fault-suite-sender");
            sending.start();
            awaitCondition(Duration.ofMinutes(2), () -> sender.sent() >= sends.size() / 2 || !sending.isAlive());
            Injection injection = inject(fault, cycle, probe, gateway, sending,
                    () -> moreUsage(producer, workload), report);
            sending.join();
            report.injected(fault.name(), injection.asIntended(), "cycle " + cycle + " " + fault + ": "
                    + injection.what());
            boolean caughtUp = awaitCaughtUp(admin, gateway, CATCH_UP, report);
            String alive = restartDead(report, cycle);
            report.cycleRun();
            long took = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            out.printf("%5d  %-20s %5ds   %s%s%s%n", cycle, fault, took, injection.what(),
                    caughtUp ? "" : "; DID NOT CATCH UP in " + CATCH_UP.toMinutes() + " min", alive);
            if (!caughtUp) {
                report.check("cycle " + cycle + " (" + fault + ") caught up within " + CATCH_UP.toMinutes() + " min",
                        false, "lag usage-events " + ConsumerLag.of(admin, APPLICATION_ID, Topics.USAGE_EVENTS.name())
                                + ", recharge-requests " + ConsumerLag.of(admin, WORKER_GROUP,
                                Topics.RECHARGE_REQUESTS.name())
                                // the coordinators' view: an empty list beside a stuck restore means a
                                // transaction open on a partition that no coordinator knows of (issue 17)
                                + ", unfinished transactions " + probe.unfinishedTransactions());
            }
        }
    }

    /** What was done, and whether it happened as the fault means it (inside a transaction, while restoring, ...). */
    private record Injection(String what, boolean asIntended) {
    }

    /**
     * @param cycleSends the thread sending the cycle's records
     * @param moreUsage  fresh usage to send once the cycle's records are sent, for a fault that needs usage flowing
     */
    private Injection inject(Fault fault, int cycle, ClusterProbe probe, GatewaySimulator gateway, Thread cycleSends,
                             Supplier<UsageSender> moreUsage, FaultReport report) throws InterruptedException {
        ChildJvm victim = victim(cycle);
        return switch (fault) {
            case KILL_METERING -> killMetering(victim, probe, cycleSends, moreUsage.get(), report);
            case STALL_METERING -> stallMetering(victim, probe, report);
            case RESTART_BROKER -> restartBroker(options.brokerRestarts());
            case CRASH_DURING_RESTORE -> crashDuringRestore(victim);
            case KILL_WORKER -> killWorkerTwice(gateway, report);
        };
    }

    private ChildJvm victim(int cycle) {
        return metering.get(cycle % metering.size());
    }

    /**
     * Freezes the victim when a transaction of its tasks is open, so the kill lands inside it; kills it anyway after
     * a minute. An instance with nothing to process has no transaction open, and on a loaded machine the cycle's sends
     * could all be processed before the probe saw one (FaultSuiteIT failed so): once they are sent, {@code more}
     * fresh usage follows at the cycle's rate until the kill has landed.
     */
    private Injection killMetering(ChildJvm victim, ClusterProbe probe, Thread cycleSends, UsageSender more,
                                   FaultReport report) throws InterruptedException {
        Thread flowing = new Thread(() -> {
            try {
                cycleSends.join();
                more.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "fault-suite-more-usage");
        flowing.start();
        boolean inside;
        try {
            inside = freezeInsideATransaction(victim, probe);
        } finally {
            more.stop();
            flowing.join();
        }
        report.figure(MORE_USAGE, report.figures().getOrDefault(MORE_USAGE, 0L) + more.sent());
        victim.kill();
        victim.start();
        return new Injection(victim.name() + " SIGKILLed " + (inside ? "inside an open transaction"
                : "(no open transaction seen)") + ", restarted" + (more.sent() == 0 ? ""
                : " (" + more.sent() + " more usage events sent until then)"), inside);
    }

    /** Fresh usage beyond the cycle's, at its rate, accounted for like the cycle's (it is debited). */
    private UsageSender moreUsage(KafkaProducer<String, byte[]> producer, Workload workload) {
        return new UsageSender(producer, () -> Stream.generate(workload::extraUsage).iterator(),
                options.ratePerSecond(), this::delivered, failed -> uncertain.add(failed.eventId()));
    }

    /** Whether the victim is frozen inside an open transaction on its ledger partitions, tried for a minute. */
    private static boolean freezeInsideATransaction(ChildJvm victim, ClusterProbe probe) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        boolean inside = false;
        while (System.nanoTime() < deadline && !inside) {
            Set<TopicPartition> ledger = probe.ledgerPartitionsOf(APPLICATION_ID, victim.name());
            if (!ledger.isEmpty() && probe.openTransaction(ledger)) {
                victim.freeze();
                // anything already on its way (a commit) lands or not within this; a frozen process sends nothing new
                pause(Duration.ofMillis(300));
                inside = probe.openTransaction(ledger);
                if (!inside) {
                    victim.thaw();
                }
            } else {
                pause(Duration.ofMillis(20));
            }
        }
        return inside;
    }

    /** SIGSTOP past the session timeout, until the group has moved its tasks to the other instance; then SIGCONT. */
    private Injection stallMetering(ChildJvm victim, ClusterProbe probe, FaultReport report) {
        victim.freeze();
        long frozenAt = System.nanoTime();
        // moved: the session timed out, and a stable group has members, none of them the victim's
        boolean moved = awaitCondition(Duration.ofSeconds(90), () -> {
            pause(Duration.ofMillis(250));
            ConsumerGroupDescription group = probe.group(APPLICATION_ID);
            return System.nanoTime() - frozenAt > SESSION_TIMEOUT.toNanos() && group != null
                    && group.groupState() == GroupState.STABLE && !group.members().isEmpty()
                    && group.members().stream().noneMatch(m -> m.clientId().startsWith(victim.name()));
        });
        long stalled = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - frozenAt);
        long mark = victim.logSize();
        victim.thaw();
        // the zombie's first transactional call after waking must be refused: its producer epoch is stale
        boolean fenced = awaitCondition(Duration.ofSeconds(30), () -> {
            pause(Duration.ofMillis(100));
            return ZOMBIE_FENCED.stream().anyMatch(sign -> victim.countSince(mark, sign) > 0);
        });
        if (fenced) {
            report.count("zombies fenced on waking");
        }
        if (!moved) {
            report.check("a metering instance stalled past its session timeout loses its tasks", false,
                    victim.name() + " was still a member, or the group not stable, after " + stalled + " s");
        }
        return new Injection(victim.name() + " SIGSTOPped " + stalled + " s (session timeout "
                + SESSION_TIMEOUT.toSeconds() + " s), " + (moved ? "its tasks moved" : "its tasks had NOT moved")
                + ", SIGCONT: a zombie, " + (fenced ? "fenced on waking" : "no fencing seen in its log within 30 s"),
                moved);
    }

    /**
     * Kills and restarts the broker {@code times} times in a row; after each restart but the last, waits (up to 30 s)
     * until a metering instance restores a store, so the next kill lands during the restore (issue 17).
     */
    private Injection restartBroker(int times) {
        List<Long> took = new ArrayList<>();
        int duringRestore = 0;
        for (int i = 1; i <= times; i++) {
            List<Long> marks = metering.stream().map(ChildJvm::logSize).toList();
            long start = System.nanoTime();
            broker.kill();
            startBroker();
            took.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            if (i < times && awaitCondition(Duration.ofSeconds(30), () -> {
                pause(Duration.ofMillis(20));
                return restoring(marks);
            })) {
                duringRestore++;
            }
        }
        String what = times == 1 ? "broker SIGKILLed and started again on its data in " + took.get(0) + " ms"
                : "broker SIGKILLed and started again on its data " + times + " times in a row, " + duringRestore
                        + " of the next kills while a metering instance restored (ms each " + took + ")";
        return new Injection(what, times == 1 || duringRestore > 0);
    }

    /** Whether a metering instance has started a restore since its log was at {@code marks} and not finished it. */
    private boolean restoring(List<Long> marks) {
        for (int i = 0; i < metering.size(); i++) {
            ChildJvm instance = metering.get(i);
            if (instance.countSince(marks.get(i), "restore started")
                    > instance.countSince(marks.get(i), "restore finished")) {
                return true;
            }
        }
        return false;
    }

    private Injection crashDuringRestore(ChildJvm victim) {
        victim.kill();
        wipe(stateDir(victim));
        long mark = victim.logSize();
        victim.start();
        awaitCondition(Duration.ofSeconds(90), () -> {
            pause(Duration.ofMillis(5));
            return victim.countSince(mark, "restore started") > 0 || !victim.isAlive();
        });
        boolean restoring = victim.countSince(mark, "restore started") > victim.countSince(mark, "restore finished");
        victim.kill();
        long again = victim.logSize();
        victim.start();
        boolean restored = awaitCondition(Duration.ofSeconds(90), () -> {
            pause(Duration.ofMillis(5));
            return victim.countSince(again, "restore finished") > 0 || !victim.isAlive();
        });
        victim.kill();
        victim.start();
        return new Injection(victim.name() + " state wiped, SIGKILLed " + (restoring ? "while a store was restoring"
                : "(no store was restoring at the kill)") + ", again " + (restored ? "just after a store restored"
                : "(no restore seen)") + ", restarted", restoring && restored);
    }

    /** Both windows of a worker crash: with a charge in flight, and just after its outcome was published. */
    private Injection killWorkerTwice(GatewaySimulator gateway, FaultReport report) {
        Injection inFlight = killWorker(gateway, report);
        Injection afterCommit = killWorkerAfterACommit(report);
        return new Injection(inFlight.what() + "; " + afterCommit.what(),
                inFlight.asIntended() && afterCommit.asIntended());
    }

    private Injection killWorker(GatewaySimulator gateway, FaultReport report) {
        boolean inFlight = awaitCondition(Duration.ofSeconds(20), () -> {
            pause(Duration.ofMillis(5));
            return gateway.paymentsInProgress() > 0;
        });
        worker.kill();
        worker.start();
        long parked = countParked(report);
        return new Injection("worker SIGKILLed " + (inFlight ? "with a charge in flight at the gateway"
                : "(no charge in flight)") + " and " + parked + " bank payments parked, restarted", inFlight);
    }

    /** A dead worker publishes nothing: a bank payment still without a result after its restart was parked. */
    private long countParked(FaultReport report) {
        long parked = bankPaymentsProcessing().size();
        report.figure("bank payments parked when the worker was killed", report.figures()
                .getOrDefault("bank payments parked when the worker was killed", 0L) + parked);
        return parked;
    }

    /** The requests whose bank debit the worker parked (PAYMENT_PROCESSING sent) and that have no result yet. */
    private Set<String> bankPaymentsProcessing() {
        Set<String> processing = new HashSet<>();
        FaultVerifier.decodable(bootstrap, Topics.BILLING_NOTIFICATIONS).stream()
                .filter(notice -> notice.getType() == NotificationType.PAYMENT_PROCESSING)
                .forEach(notice -> processing.add(notice.getAttributes().get("requestId")));
        FaultVerifier.decodable(bootstrap, Topics.PAYMENT_RESULTS)
                .forEach(result -> processing.remove(result.getRequestId()));
        return processing;
    }

    /**
     * Re-sends a request id that succeeded with another amount, and SIGKILLs the worker within milliseconds after the
     * transaction carrying its refusal commits (the worker logs each request it published right after the commit):
     * the refusal, and the results committed with it, must not be published again by the restarted worker.
     */
    private Injection killWorkerAfterACommit(FaultReport report) {
        long mark = worker.logSize();
        Optional<String> reused = reuseARequestId();
        String published = "recharge outputs published requestId='" + reused.orElse("");
        boolean committed = awaitCondition(Duration.ofSeconds(60), () -> {
            pause(Duration.ofMillis(2));
            return worker.countSince(mark, published) > 0;
        });
        worker.kill();
        worker.start();
        long parked = countParked(report);
        return new Injection("worker SIGKILLed " + (committed ? "just after a commit" : "(no commit seen in 60 s)")
                + reused.map(id -> " with the refusal of reused " + id).orElse(" (no request id to reuse)")
                + " and " + parked + " bank payments parked, restarted", committed && reused.isPresent());
    }

    /** Sends a request id that succeeded again with another amount (one not reused yet): it must be refused. */
    private Optional<String> reuseARequestId() {
        Set<String> succeeded = new HashSet<>();
        FaultVerifier.decodable(bootstrap, Topics.PAYMENT_RESULTS).forEach(result -> {
            if (result.getStatus() == PaymentStatus.SUCCEEDED) {
                succeeded.add(result.getRequestId());
            }
        });
        Optional<RechargeRequest> original = FaultVerifier.decodable(bootstrap, Topics.RECHARGE_REQUESTS).stream()
                .filter(request -> request.getReason() == RechargeReason.AUTO_RECHARGE)
                .filter(request -> succeeded.contains(request.getRequestId())
                        && !forged.containsKey(request.getRequestId()))
                .max(Comparator.comparing(RechargeRequest::getRequestedAt));
        original.ifPresent(request -> {
            RechargeRequest reused = RechargeRequest.newBuilder(request)
                    .setAmountCents(request.getAmountCents() + 100).build();
            forged.put(reused.getRequestId(), reused.getAmountCents());
            try (KafkaProducer<String, byte[]> producer = producer()) {
                send(producer, reusedRequestId(reused));
            }
        });
        return original.map(RechargeRequest::getRequestId);
    }

    /**
     * After the cycles: the accounts whose cards all declined get a working card; a request id is re-sent with
     * another amount; then the pipeline settles.
     */
    private void finale(Admin admin, KafkaProducer<String, byte[]> producer, Workload workload,
                        GatewaySimulator gateway, FaultReport report) throws InterruptedException {
        Instant now = Instant.now();
        for (Account account : workload.accounts()) {
            if (account.cardsDecline()) {
                send(producer, settings(workload.settingsWithReplacementCard(account, now), "new-card"));
            }
        }
        awaitCaughtUp(admin, gateway, CATCH_UP, report);
        // the last cycles' bank payments settle after the cycles: their results must be in before the checks
        Set<String> processing = new HashSet<>();
        boolean bankSettled = awaitCondition(ACH_SETTLEMENT.multipliedBy(6), () -> {
            pause(Duration.ofSeconds(1));
            processing.clear();
            processing.addAll(bankPaymentsProcessing());
            return processing.isEmpty();
        });
        report.check("every bank payment settled within " + ACH_SETTLEMENT.multipliedBy(6).toSeconds()
                + " s after the last cycle", bankSettled, "still processing: " + processing);
        Map<String, PaymentResult> succeeded = new HashMap<>();
        FaultVerifier.decodable(bootstrap, Topics.PAYMENT_RESULTS).forEach(result -> {
            if (result.getStatus() == PaymentStatus.SUCCEEDED) {
                succeeded.put(result.getRequestId(), result);
            }
        });
        FaultVerifier.decodable(bootstrap, Topics.RECHARGE_REQUESTS).stream()
                .filter(request -> request.getReason() == RechargeReason.AUTO_RECHARGE)
                .filter(request -> succeeded.containsKey(request.getRequestId())
                        && !forged.containsKey(request.getRequestId()))
                .min(Comparator.comparing(RechargeRequest::getRequestId))
                .ifPresent(request -> {
                    RechargeRequest reused = RechargeRequest.newBuilder(request)
                            .setAmountCents(request.getAmountCents() + 100).build();
                    forged.put(reused.getRequestId(), reused.getAmountCents());
                    send(producer, reusedRequestId(reused));
                });
        producer.flush();
        boolean settled = awaitCaughtUp(admin, gateway, options.settleTimeout(), report);
        report.check("the pipeline settled within " + options.settleTimeout().toSeconds() + " s after the last "
                + "cycle", settled, "still lagging: usage-events " + ConsumerLag.of(admin, APPLICATION_ID,
                Topics.USAGE_EVENTS.name()) + ", payment-results " + ConsumerLag.of(admin, APPLICATION_ID,
                Topics.PAYMENT_RESULTS.name()) + ", recharge-requests " + ConsumerLag.of(admin, WORKER_GROUP,
                Topics.RECHARGE_REQUESTS.name()));
        out.printf("finale: %d accounts got a working card, request %s re-sent with another amount, %s%n",
                workload.accounts().stream().filter(Account::cardsDecline).count(), forged.keySet(),
                settled ? "settled" : "DID NOT SETTLE");
    }

    /** SIGTERM: every app closes cleanly; one that needs SIGKILL is a failed check. */
    private void stopApps(FaultReport report) {
        List<String> unclean = new ArrayList<>();
        for (ChildJvm app : Stream.concat(metering.stream(), Stream.of(worker)).toList()) {
            if (!app.isAlive()) {
                unclean.add(app.name() + " was not running");
            } else if (!app.stop()) {
                unclean.add(app.name() + " needed SIGKILL");
            }
        }
        report.check("every app stops cleanly on SIGTERM", unclean.isEmpty(), unclean.toString());
    }

    /**
     * No transaction may stay open once the apps have stopped (the broker aborts a dead producer's at its
     * timeout): none unfinished at the coordinators, and no partition's last stable offset behind its end, which
     * is what shows a hanging transaction, one the coordinators no longer have (issue 17).
     */
    private void transactions(ClusterProbe probe, FaultReport report) {
        List<String> open = new ArrayList<>();
        boolean none = awaitCondition(Duration.ofSeconds(90), () -> {
            pause(Duration.ofMillis(500));
            open.clear();
            open.addAll(probe.unfinishedTransactions());
            open.addAll(probe.partitionsHeldByATransaction());
            return open.isEmpty();
        });
        report.check("no hanging transaction once the apps stopped", none, open.toString());
    }

    /**
     * The operator's {@code reconcile}, as it would run in production: ledger replay = balances, requests =
     * results, receipts = the gateway's charges. The re-sent request id has a second (refusal) result by design.
     */
    private void reconcile(GatewaySimulator gateway, FaultReport report) {
        ReconciliationReport reconciliation = Reconciliation.run(Reconciliation.Options.of(bootstrap)
                .withGateway(ChargeSource.of(gateway)).withGrace(Duration.ZERO));
        List<Difference> unexpected = reconciliation.differences().stream()
                .filter(difference -> !(difference.check() == Check.RESULTS
                        && forged.containsKey(difference.requestId())))
                .toList();
        report.figure("reconcile differences (the re-sent request id's excluded)", unexpected.size());
        // the poison on payment-results and recharge-requests: found in a dead letter queue, never a charge
        report.figure("reconcile: undecodable results and requests found dead-lettered",
                reconciliation.counts().undecodableDeadLettered());
        report.check("reconcile: ledger replay = balances, requests = results, receipts = the gateway's charges",
                unexpected.isEmpty() && reconciliation.gatewayChecked(), unexpected.stream().limit(8)
                        .map(Difference::toString).toList() + (reconciliation.gatewayChecked() ? ""
                        : " (the gateway was not checked)"));
    }

    /** No card number, CVV field or API key in any topic (changelogs and the DLQ included) or process log. */
    private void scanForSecrets(FaultReport report) {
        ScanReport scan = SecretScan.scan(bootstrap, List.of(logDir), List.of(gatewayApiKey));
        report.figure("records scanned for secrets", scan.records());
        report.figure("log lines scanned for secrets", scan.lines());
        report.check("secret scan: no card number, CVV field or API key in topics, changelogs, DLQ or logs",
                scan.ok(), scan.findings().stream().limit(8).map(Object::toString).toList().toString());
    }

    /** Waits until the metering group and the worker have consumed everything and no charge is at the gateway. */
    private boolean awaitCaughtUp(Admin admin, GatewaySimulator gateway, Duration timeout, FaultReport report) {
        AtomicInteger quiet = new AtomicInteger();
        return awaitCondition(timeout, () -> {
            pause(Duration.ofMillis(500));
            restartStuckMetering(report);
            boolean idle = ConsumerLag.of(admin, APPLICATION_ID, Topics.USAGE_EVENTS.name()) == 0
                    && ConsumerLag.of(admin, APPLICATION_ID, Topics.PAYMENT_RESULTS.name()) == 0
                    && ConsumerLag.of(admin, APPLICATION_ID, Topics.ACCOUNT_SETTINGS.name()) == 0
                    && ConsumerLag.of(admin, WORKER_GROUP, Topics.RECHARGE_REQUESTS.name()) == 0
                    && gateway.paymentsInProgress() == 0;
            if (!idle) {
                quiet.set(0);
                return false;
            }
            return quiet.incrementAndGet() >= 4; // two seconds without anything left to do
        });
    }

    /**
     * Acts as the metering instances' supervisor: one whose stall watchdog stopped it (exit 75) is started again at
     * once and counted; the count is a finding to read (a stall happened), the restart is the designed recovery.
     */
    private void restartStuckMetering(FaultReport report) {
        for (ChildJvm instance : metering) {
            if (instance.exitCode().orElse(0) == MeteringApp.EXIT_STUCK) {
                report.count("metering instances stopped by their stall watchdog (exit 75), restarted");
                out.printf("       %s exited %d, its stall watchdog said: %s; restarted%n", instance.name(),
                        MeteringApp.EXIT_STUCK, instance.lastLineWith("metering stuck"));
                instance.start();
            }
        }
    }

    /** An app that died on its own is a finding: recorded, and started again so the run can go on. */
    private String restartDead(FaultReport report, int cycle) {
        restartStuckMetering(report);
        StringBuilder note = new StringBuilder();
        for (ChildJvm app : Stream.concat(metering.stream(), Stream.of(worker, broker)).toList()) {
            if (!app.isAlive()) {
                report.check(app.name() + " stays up through cycle " + cycle, false, "it exited; end of its log:\n"
                        + app.tail(30));
                note.append("; ").append(app.name()).append(" HAD EXITED, restarted");
                if (app == broker) {
                    startBroker();
                } else {
                    app.start();
                }
            }
        }
        return note.toString();
    }

    private void startBroker() {
        Path ready = dataDir.resolve("kafka").resolve(EmbeddedKafkaMain.BOOTSTRAP_FILE);
        try {
            Files.deleteIfExists(ready); // the file of the broker that was killed says nothing about this one
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + ready, e);
        }
        broker.start();
        boolean up = awaitCondition(Duration.ofSeconds(90), () -> {
            pause(Duration.ofMillis(100));
            return Files.exists(ready) || !broker.isAlive();
        });
        broker.assertAlive();
        if (!up) {
            throw new IllegalStateException("the broker did not become ready in 90 s; end of its log:\n"
                    + broker.tail(40));
        }
        try {
            bootstrap = Files.readString(ready, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void seed(KafkaProducer<String, byte[]> producer, Workload workload) {
        Instant now = Instant.now();
        send(producer, new Send(Topics.RATE_CARDS.name(), Workload.RATE_PLAN, Topics.RATE_CARDS.valueSerde()
                .serializer().serialize(Topics.RATE_CARDS.name(), Workload.rateCard(now)), "rate-card-seed",
                Kind.APPLIED));
        Workload.taxRates().forEach((jurisdiction, ratePpm) -> send(producer, new Send(Topics.TAX_RATES.name(),
                jurisdiction, Topics.TAX_RATES.valueSerde().serializer().serialize(Topics.TAX_RATES.name(),
                TaxRate.newBuilder().setJurisdiction(jurisdiction).setRatePpm(ratePpm).setName("sales tax")
                        .build()), "tax-rate-" + jurisdiction, Kind.APPLIED)));
        workload.taxMonthSettings().forEach(send -> send(producer, send));
        producer.flush();
    }

    /**
     * The topics as production has them, but {@code usage-events} keeps every record. Its records carry the time the
     * platform gives them, and the month before the run is stamped up to two months ago: with the production
     * retention (7 days) a segment of them rolls as soon as one arrives more than {@code segment.ms} newer than its
     * first, and the next retention check deletes it, read or not (RELIABILITY.md, "What it has found so far"). What
     * metering writes for those records is stamped when written, so every other topic keeps its production retention.
     */
    private static List<TopicDefinition> usageKeptWhole(List<TopicDefinition> topics) {
        return topics.stream().map(topic -> !topic.name().equals(Topics.USAGE_EVENTS.name()) ? topic
                : new TopicDefinition(topic.name(), topic.partitions(), topic.replication(), false, -1L,
                        topic.keyedByAccount())).toList();
    }

    /**
     * The month before the run (issue 10 §4), once the metering instances run: its settings applied, then its usage
     * read, before anything stamped in the run's month reaches a task, which begins the month's tax run. Each waits
     * for the one before: a task does not order records of different topics by their time.
     */
    private void seedTaxMonthThenAccounts(Admin admin, KafkaProducer<String, byte[]> producer, Workload workload,
                                          FaultReport report) {
        boolean settingsRead = awaitRead(admin, Topics.ACCOUNT_SETTINGS.name());
        workload.taxMonthUsage().forEach(send -> send(producer, send));
        boolean usageRead = awaitRead(admin, Topics.USAGE_EVENTS.name());
        report.check("the month before the run read before the run's own month (its settings, then its usage)",
                settingsRead && usageRead, "settings read " + settingsRead + ", usage read " + usageRead + " within "
                        + CATCH_UP.toMinutes() + " min");
        Instant now = Instant.now();
        for (Account account : workload.accounts()) {
            send(producer, settings(workload.settings(account, now), "seed"));
        }
        producer.flush();
    }

    private boolean awaitRead(Admin admin, String topic) {
        return awaitCondition(CATCH_UP, () -> {
            pause(Duration.ofMillis(250));
            return ConsumerLag.of(admin, APPLICATION_ID, topic) == 0;
        });
    }

    private static Send settings(AccountSettings settings, String what) {
        return new Send(Topics.ACCOUNT_SETTINGS.name(), settings.getAccountId(), Topics.ACCOUNT_SETTINGS.valueSerde()
                .serializer().serialize(Topics.ACCOUNT_SETTINGS.name(), settings), "settings-"
                + settings.getAccountId() + "-" + what, Kind.APPLIED);
    }

    /** A request id that was charged, sent again with another amount: the worker must answer FAILED, not charge. */
    private static Send reusedRequestId(RechargeRequest reused) {
        return new Send(Topics.RECHARGE_REQUESTS.name(), reused.getAccountId(), Topics.RECHARGE_REQUESTS.valueSerde()
                .serializer().serialize(Topics.RECHARGE_REQUESTS.name(), reused), "reused-" + reused.getRequestId(),
                Kind.REFUSED);
    }

    /** Sends one record and waits for the broker's acknowledgement; it is then accounted for like the cycles'. */
    private void send(KafkaProducer<String, byte[]> producer, Send send) {
        try {
            Long timestamp = send.timestamp() == null ? null : send.timestamp().toEpochMilli();
            delivered(send, producer.send(new ProducerRecord<>(send.topic(), null, timestamp, send.key(),
                    send.value())).get(5, TimeUnit.MINUTES));
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot send to " + send.topic() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending to " + send.topic(), e);
        }
    }

    private void delivered(Send send, RecordMetadata metadata) {
        delivered.add(send);
        if (send.kind() != Kind.DEBIT && send.kind() != Kind.REDELIVERY) {
            placed.put(send.eventId(), new DeadLetter.Location(metadata.topic(), metadata.partition(),
                    metadata.offset()));
        }
    }

    private ChildJvm meteringInstance(int number) {
        String name = "metering-" + number;
        Properties config = new Properties();
        config.setProperty("bootstrap.servers", bootstrap);
        config.setProperty("application.id", APPLICATION_ID);
        config.setProperty("client.id", name);
        config.setProperty("state.dir", dataDir.resolve("state").resolve(name).toString());
        config.setProperty("commit.interval.ms", "500");
        config.setProperty("session.timeout.ms", Long.toString(SESSION_TIMEOUT.toMillis()));
        config.setProperty("heartbeat.interval.ms", "1500");
        config.setProperty("meterflow.shutdown-timeout", "PT20S");
        config.setProperty("meterflow.stall-timeout", STALL_TIMEOUT.toString());
        // every instance may take any task whatever its restore lag, so a wiped instance gets active tasks to restore
        config.setProperty("acceptable.recovery.lag", Long.toString(Long.MAX_VALUE));
        // the month before turns by record time alone: a wall-clock run could begin before its seeded usage is read
        config.setProperty("meterflow.tax.run-interval", "PT1H");
        Path file = writeConfig(name, config);
        return new ChildJvm(name, MeteringApp.class.getName(), List.of("--config", file.toString()), Map.of(),
                logDir.resolve(name + ".log"), "384m");
    }

    private ChildJvm workerProcess(GatewaySimulator gateway) {
        Properties config = new Properties();
        config.setProperty("bootstrap.servers", bootstrap);
        config.setProperty("group.id", WORKER_GROUP);
        config.setProperty("transactional.id", "meterflow-faults-worker-1");
        config.setProperty("session.timeout.ms", Long.toString(SESSION_TIMEOUT.toMillis()));
        config.setProperty("heartbeat.interval.ms", "1500");
        config.setProperty("meterflow.gateway.base-url", gateway.baseUrl());
        config.setProperty("meterflow.gateway.rate-limit", "50");
        config.setProperty("meterflow.gateway.timeout", "PT1S");
        config.setProperty("meterflow.unknown.max-tries", "3");
        config.setProperty("meterflow.unknown.retry-backoff", "PT0.2S");
        config.setProperty("meterflow.reconcile-interval", "PT2S");
        config.setProperty("meterflow.shutdown-timeout", "PT15S");
        config.setProperty("meterflow.soft-decline.max-per-day", Integer.toString(MAX_SOFT_DECLINES_PER_DAY));
        // a parked bank payment is looked up every second, so it is published soon after the simulator settles it
        config.setProperty("meterflow.ach.poll-interval", "PT1S");
        Path file = writeConfig("recharge-worker", config);
        // the key comes from the environment, as in production: the secret scan checks it never reaches a log
        return new ChildJvm("recharge-worker", RechargeWorkerApp.class.getName(), List.of("--config",
                file.toString()), Map.of("METERFLOW_GATEWAY_API_KEY", gatewayApiKey),
                logDir.resolve("recharge-worker.log"), "256m");
    }

    /** The broker's address changes on no restart (same ports), but is only known once it has started. */
    private Path writeConfig(String name, Properties config) {
        try {
            Path dir = Files.createDirectories(dataDir.resolve("config"));
            Path file = dir.resolve(name + ".properties");
            try (Writer writer = Files.newBufferedWriter(file)) {
                config.store(writer, name + " in the fault suite");
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the configuration of " + name, e);
        }
    }

    private Path stateDir(ChildJvm instance) {
        return dataDir.resolve("state").resolve(instance.name());
    }

    private KafkaProducer<String, byte[]> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "300000");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "120000");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "fault-suite-input");
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    static void wipe(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot wipe " + dir, e);
        }
    }

    private static String randomAlphanumeric(int length) {
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        SecureRandom random = new SecureRandom();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }
}
