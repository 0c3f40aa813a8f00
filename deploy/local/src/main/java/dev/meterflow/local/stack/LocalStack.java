package dev.meterflow.local.stack;

import dev.meterflow.embedded.EmbeddedKafka;
import dev.meterflow.gatewaysim.GatewaySimulator;
import dev.meterflow.gatewaysim.SimulatorSettings;
import dev.meterflow.local.topics.ProvisionTopics;
import dev.meterflow.local.topics.TopicDefinitions;
import dev.meterflow.metering.MeteringService;
import dev.meterflow.metering.config.MeteringConfig;
import dev.meterflow.schemas.AccountSettings;
import dev.meterflow.schemas.TaxRate;
import dev.meterflow.schemas.UsageEvent;
import dev.meterflow.topics.Topics;
import dev.meterflow.worker.RechargeWorkerService;
import dev.meterflow.worker.config.WorkerConfig;
import dev.meterflow.worker.gateway.stripe.StripeGateway;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The whole pipeline on one machine: a real KRaft broker (or an existing cluster), the topics, the gateway
 * simulator, the metering topology, the recharge worker, seeded accounts and a rate card, and a usage
 * generator. Shows a live view once a second; at the end (duration or Ctrl-C) lets the pipeline settle and
 * checks the invariants against what was sent.
 */
public final class LocalStack {

    /** How the stack is run; {@code apiPort} is the billing API's, 0 for a free one. */
    public record Options(int accounts, int ratePerSecond, Duration duration, String bootstrapServers, Path dataDir,
                          int partitions, long gatewayLatencyMs, int apiPort) {

        /** With the billing API on a free port. */
        public Options(int accounts, int ratePerSecond, Duration duration, String bootstrapServers, Path dataDir,
                       int partitions, long gatewayLatencyMs) {
            this(accounts, ratePerSecond, duration, bootstrapServers, dataDir, partitions, gatewayLatencyMs, 0);
        }
    }

    private static final String APPLICATION_ID = "meterflow-local-metering";

    private final Options options;
    private final PrintStream out;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final Instant startedAt = Instant.now();
    private final String runId = Long.toString(startedAt.toEpochMilli(), 36);
    private final Set<String> eventIdsSent = new HashSet<>();
    private long eventsSent;

    public LocalStack(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** Ends the run early (Ctrl-C): the stack settles, checks and reports as at the end of its duration. */
    public void requestStop() {
        stopRequested.countDown();
    }

    /** Runs the stack; returns the summary, whose {@code ok()} says whether every invariant held. */
    public Summary run() throws InterruptedException {
        EmbeddedKafka kafka = options.bootstrapServers() == null
                ? EmbeddedKafka.start(options.dataDir().resolve("kafka")) : null;
        String bootstrap = kafka != null ? kafka.bootstrapServers() : options.bootstrapServers();
        out.printf("meterflow local: broker %s (%s)%n", bootstrap, kafka != null ? "embedded, data in "
                + options.dataDir().resolve("kafka") : "existing cluster");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
             GatewaySimulator gateway = GatewaySimulator.start(0, SimulatorSettings.defaults().toBuilder()
                     .latencyMs(options.gatewayLatencyMs()).build());
             KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
            if (kafka == null) {
                ExistingData.refusal(bootstrap, ExistingData.records(admin)).ifPresent(refusal -> {
                    throw new IllegalArgumentException(refusal);
                });
            }
            ProvisionTopics.Report topics = new ProvisionTopics(admin)
                    .apply(TopicDefinitions.all(options.partitions(), (short) 1));
            out.printf("topics: %d created, %d already there%s%n", topics.created().size(),
                    topics.unchanged().size(), topics.ok() ? "" : ", drift: " + topics.drift());
            OutputsMonitor monitor = new OutputsMonitor(bootstrap);
            seed(producer, options.accounts());
            out.printf("gateway simulator %s; %d accounts seeded on rate plan %s, and agency %s paying for %s%n",
                    gateway.baseUrl(), options.accounts(), SeedData.RATE_PLAN, SeedData.AGENCY,
                    String.join(", ", SeedData.SUB_ACCOUNTS));

            MeteringService metering = new MeteringService(meteringConfig(bootstrap)).start();
            RechargeWorkerService worker = startWorker(bootstrap, gateway);
            ReadSide readSide;
            try {
                readSide = ReadSide.start(bootstrap, APPLICATION_ID, options.apiPort(),
                        SeedData.accountIds(options.accounts()));
            } catch (RuntimeException e) {
                worker.close();
                metering.close();
                throw e;
            }
            readSide.printWhereToLook(out, SeedData.accountId(1));
            Thread monitorThread = new Thread(monitor, "meterflow-local-monitor");
            monitorThread.start();
            try {
                generate(producer, admin, monitor);
                out.println("settling: waiting for the pipeline to finish what was sent ...");
                boolean settled = settle(admin, monitor);
                return Summary.check(runId, startedAt, eventsSent, eventIdsSent, monitor,
                        gateway.successfulChargesByRequestId(), settled)
                        .with(ReadSideChecks.awaitAndCheck(readSide, monitor, startedAt, out));
            } finally {
                monitor.close();
                monitorThread.join(5_000);
                readSide.close();
                worker.close();
                metering.close();
            }
        } finally {
            if (kafka != null) {
                kafka.close();
            }
        }
    }

    private void seed(KafkaProducer<String, byte[]> producer, int accounts) {
        Instant now = Instant.now();
        producer.send(new ProducerRecord<>(Topics.RATE_CARDS.name(), SeedData.RATE_PLAN,
                Topics.RATE_CARDS.valueSerde().serializer().serialize(Topics.RATE_CARDS.name(),
                        SeedData.rateCard(now))));
        for (TaxRate rate : SeedData.taxRates()) {
            producer.send(new ProducerRecord<>(Topics.TAX_RATES.name(), rate.getJurisdiction(),
                    Topics.TAX_RATES.valueSerde().serializer().serialize(Topics.TAX_RATES.name(), rate)));
        }
        List<AccountSettings> settingsToSeed = new ArrayList<>(SeedData.accounts(accounts, now));
        settingsToSeed.addAll(SeedData.agencyFamily(now));
        for (AccountSettings settings : settingsToSeed) {
            producer.send(new ProducerRecord<>(Topics.ACCOUNT_SETTINGS.name(), settings.getAccountId(),
                    Topics.ACCOUNT_SETTINGS.valueSerde().serializer().serialize(Topics.ACCOUNT_SETTINGS.name(),
                            settings)));
        }
        producer.flush();
    }

    /** Sends usage at the configured rate, printing the live view once a second, until the end or Ctrl-C. */
    private void generate(KafkaProducer<String, byte[]> producer, Admin admin, OutputsMonitor monitor)
            throws InterruptedException {
        UsageGenerator generator = new UsageGenerator(SeedData.usageAccounts(options.accounts()),
                SeedData.usageAccountIds(options.accounts()), runId, runId.hashCode());
        // settings first: the topology parks usage of an account whose settings it has not seen yet
        long settingsDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (monitor.balances.size() < SeedData.payingAccounts(options.accounts())
                && System.nanoTime() < settingsDeadline
                && stopRequested.getCount() > 0) {
            stopRequested.await(100, TimeUnit.MILLISECONDS);
        }
        payOpeningBalances(producer, monitor);
        long start = System.nanoTime();
        long end = options.duration() == null ? Long.MAX_VALUE : start + options.duration().toNanos();
        long nextView = start + TimeUnit.SECONDS.toNanos(1);
        long sentAtLastView = 0;
        long periodNanos = TimeUnit.SECONDS.toNanos(1) / Math.max(1, options.ratePerSecond());
        long nextSend = start;
        out.println("  time   events/s   ledger  recharges: asked   ok  declined  failed  paused resumed  parked  dlq   lag");
        while (System.nanoTime() < end && stopRequested.getCount() > 0) {
            long now = System.nanoTime();
            if (now >= nextSend) {
                UsageEvent event = generator.next(Instant.now());
                nextSend += periodNanos;
                if (monitor.paused(SeedData.payerOf(event.getAccountId()))) {
                    // the platform connects no calls of a paused account (it reads account-status); a
                    // sub-account is paused with its agency
                    continue;
                }
                producer.send(new ProducerRecord<>(Topics.USAGE_EVENTS.name(), event.getAccountId(),
                        Topics.USAGE_EVENTS.valueSerde().serializer().serialize(Topics.USAGE_EVENTS.name(), event)));
                eventsSent++;
                eventIdsSent.add(event.getEventId());
            }
            if (now >= nextView) {
                view(now - start, eventsSent - sentAtLastView, monitor, lag(admin));
                sentAtLastView = eventsSent;
                nextView += TimeUnit.SECONDS.toNanos(1);
            }
            long sleepNanos = Math.min(nextSend, nextView) - System.nanoTime();
            if (sleepNanos > 0) {
                stopRequested.await(sleepNanos, TimeUnit.NANOSECONDS);
            }
        }
        producer.flush();
    }

    /**
     * The accounts without automatic recharge pay their opening balance by hand before their usage starts (the
     * others' first automatic recharge tops them up as soon as their settings arrive); waits (at most 30 seconds)
     * until each payment has its result.
     */
    private void payOpeningBalances(KafkaProducer<String, byte[]> producer, OutputsMonitor monitor)
            throws InterruptedException {
        Instant now = Instant.now();
        List<String> payers = SeedData.accountIds(options.accounts()).stream()
                .filter(accountId -> !SeedData.autoRecharges(accountId)).toList();
        long requestsBefore = monitor.requestIds.size();
        for (String accountId : payers) {
            producer.send(new ProducerRecord<>(Topics.PAYMENT_COMMANDS.name(), accountId, Topics.PAYMENT_COMMANDS
                    .valueSerde().serializer().serialize(Topics.PAYMENT_COMMANDS.name(),
                            SeedData.openingPayment(accountId, runId, now))));
        }
        producer.flush();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while ((monitor.requestIds.size() - requestsBefore < payers.size() || monitor.openRequests() > 0)
                && System.nanoTime() < deadline && stopRequested.getCount() > 0) {
            stopRequested.await(100, TimeUnit.MILLISECONDS);
        }
        out.printf("%d accounts without automatic recharge paid %s each by hand%n", payers.size(),
                dev.meterflow.money.Money.formatCents(SeedData.OPENING_PAYMENT_CENTS));
    }

    private void view(long elapsedNanos, long sentThisSecond, OutputsMonitor monitor, long lag) {
        out.printf("%5ds %10d %8d %17d %4d %9d %7d %7d %7d %7d %4d %5d%n", TimeUnit.NANOSECONDS.toSeconds(elapsedNanos),
                sentThisSecond, monitor.ledgerEntries.get(), monitor.rechargeRequests.get(),
                monitor.rechargesSucceeded.get(), monitor.rechargesDeclined.get(), monitor.rechargesFailed.get(),
                monitor.paused.get(), monitor.resumed.get(), monitor.parked.get(), monitor.deadLettered.get(), lag);
    }

    /** Waits (at most a minute) until the topology has consumed everything and every request is answered. */
    private boolean settle(Admin admin, OutputsMonitor monitor) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long lastLedger = -1;
        int stableSeconds = 0;
        while (System.nanoTime() < deadline) {
            long ledger = monitor.ledgerEntries.get();
            boolean quiet = lag(admin) == 0 && monitor.openRequests() == 0 && ledger == lastLedger;
            stableSeconds = quiet ? stableSeconds + 1 : 0;
            if (stableSeconds >= 2) {
                return true;
            }
            lastLedger = ledger;
            TimeUnit.SECONDS.sleep(1);
        }
        return false;
    }

    /** Records on usage-events the metering topology has not consumed yet. */
    private static long lag(Admin admin) {
        return ConsumerLag.of(admin, APPLICATION_ID, Topics.USAGE_EVENTS.name());
    }

    private MeteringConfig meteringConfig(String bootstrap) {
        Properties props = new Properties();
        props.setProperty(MeteringConfig.BOOTSTRAP_SERVERS.name(), bootstrap);
        props.setProperty(MeteringConfig.APPLICATION_ID.name(), APPLICATION_ID);
        props.setProperty(MeteringConfig.STATE_DIR.name(), options.dataDir().resolve("metering-state").toString());
        return MeteringConfig.from(props);
    }

    private static RechargeWorkerService startWorker(String bootstrap, GatewaySimulator gateway) {
        Properties props = new Properties();
        props.setProperty(WorkerConfig.BOOTSTRAP_SERVERS.name(), bootstrap);
        props.setProperty(WorkerConfig.TRANSACTIONAL_ID.name(), "meterflow-local-worker");
        props.setProperty(WorkerConfig.GATEWAY_BASE_URL.name(), gateway.baseUrl());
        props.setProperty(WorkerConfig.GATEWAY_API_KEY.name(), "sk_test_meterflow_local_stack");
        props.setProperty(WorkerConfig.GATEWAY_RATE_LIMIT.name(), "50");
        props.setProperty(WorkerConfig.UNKNOWN_RETRY_BACKOFF.name(), "PT0.5S");
        props.setProperty(WorkerConfig.RECONCILE_INTERVAL.name(), "PT5S");
        props.setProperty(WorkerConfig.SHUTDOWN_TIMEOUT.name(), "PT10S");
        WorkerConfig config = WorkerConfig.from(props);
        return RechargeWorkerService.start(config, new StripeGateway(config.gatewayApiKey(), gateway.baseUrl(),
                config.gatewayTimeout()));
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    /** What happened, and whether every invariant held. */
    public record Summary(long eventsSent, int distinctEvents, long debited, long parked, long deadLettered,
                          long requested, long succeeded, long declined, long failed, long paused, long resumed,
                          long charges, long receipts, long undecodable, boolean settled, List<Check> checks) {

        public boolean ok() {
            return settled && checks.stream().allMatch(Check::ok);
        }

        static Summary check(String runId, Instant startedAt, long eventsSent, Set<String> eventIds,
                             OutputsMonitor monitor, Map<String, List<dev.meterflow.gatewaysim.Charge>> charges,
                             boolean settled) {
            List<Check> checks = new ArrayList<>();
            List<String> wrongBalances = monitor.balances.entrySet().stream()
                    .filter(e -> e.getValue().getBalanceMicros() != monitor.ledgerSum.getOrDefault(e.getKey(), 0L))
                    .map(Map.Entry::getKey).sorted().toList();
            checks.add(new Check("every account's balance equals the sum of its ledger entries ("
                    + monitor.balances.size() + " accounts)", wrongBalances.isEmpty(), "differ: " + wrongBalances));
            String prefix = "evt-" + runId + "-";
            long debitedThisRun = monitor.debitedEvents.keySet().stream().filter(id -> id.startsWith(prefix)).count();
            List<String> doubled = monitor.debitedEvents.entrySet().stream().filter(e -> e.getValue() > 1)
                    .map(Map.Entry::getKey).limit(10).toList();
            List<String> lost = eventIds.stream().filter(id -> !monitor.debitedEvents.containsKey(id)).limit(10)
                    .toList();
            checks.add(new Check("every usage event debited exactly once (" + eventIds.size() + " distinct)",
                    doubled.isEmpty() && lost.isEmpty(), "doubled " + doubled + ", not debited " + lost));
            List<String> receiptMismatch = charges.entrySet().stream()
                    .filter(e -> monitor.receipts.getOrDefault(e.getKey(), 0) != 1).map(Map.Entry::getKey).toList();
            // this run's receipts (an earlier run's charges were made by an earlier simulator)
            List<String> receiptsWithoutCharge = monitor.receiptChargedAt.entrySet().stream()
                    .filter(e -> !e.getValue().isBefore(startedAt) && !charges.containsKey(e.getKey()))
                    .map(Map.Entry::getKey).toList();
            checks.add(new Check("charges at the gateway equal receipts (" + charges.size() + ")",
                    receiptMismatch.isEmpty() && receiptsWithoutCharge.isEmpty(), "charges without exactly one receipt: "
                    + receiptMismatch + ", receipts without a charge: " + receiptsWithoutCharge));
            List<String> chargedTwice = charges.entrySet().stream().filter(e -> e.getValue().size() > 1)
                    .map(Map.Entry::getKey).toList();
            checks.add(new Check("no request charged twice", chargedTwice.isEmpty(), "charged twice: " + chargedTwice));
            long receipts = charges.keySet().stream().mapToLong(id -> monitor.receipts.getOrDefault(id, 0)).sum();
            return new Summary(eventsSent, eventIds.size(), debitedThisRun, monitor.parked.get(),
                    monitor.deadLettered.get(), monitor.rechargeRequests.get(), monitor.rechargesSucceeded.get(),
                    monitor.rechargesDeclined.get(), monitor.rechargesFailed.get(), monitor.paused.get(),
                    monitor.resumed.get(), charges.values().stream().mapToLong(List::size).sum(), receipts,
                    monitor.undecodable.get(), settled, checks);
        }

        /** This summary with {@code more} checks after its own. */
        public Summary with(List<Check> more) {
            List<Check> all = new ArrayList<>(checks);
            all.addAll(more);
            return new Summary(eventsSent, distinctEvents, debited, parked, deadLettered, requested, succeeded,
                    declined, failed, paused, resumed, charges, receipts, undecodable, settled, List.copyOf(all));
        }

        public void print(PrintStream out) {
            out.println();
            out.printf("summary of this run: events sent %d (%d distinct), debited %d, parked %d, dead-lettered %d%n",
                    eventsSent, distinctEvents, debited, parked, deadLettered);
            out.printf("         recharges requested %d: succeeded %d, declined %d, failed %d%n", requested,
                    succeeded, declined, failed);
            out.printf("         accounts paused %d, resumed %d; gateway charges %d, receipts %d%n", paused, resumed,
                    charges, receipts);
            if (undecodable > 0) {
                out.printf("         %d records on the output topics could not be decoded (counted, passed over)%n",
                        undecodable);
            }
            if (!settled) {
                out.println("  [!!] the pipeline did not settle within a minute; figures may still move");
            }
            for (Check check : checks) {
                out.printf("  [%s] %s%s%n", check.ok() ? "ok" : "FAILED", check.name(),
                        check.ok() ? "" : ": " + check.detail());
            }
            out.println(ok() ? "all invariants hold" : "SOME INVARIANTS FAILED");
        }
    }

    /** One invariant and whether it held. */
    public record Check(String name, boolean ok, String detail) {
    }
}
