package dev.meterflow.local.bench;

import dev.meterflow.api.BillingApi;
import dev.meterflow.api.access.LoginPolicy;
import dev.meterflow.api.db.Database;
import dev.meterflow.api.db.EmbeddedDatabase;
import dev.meterflow.api.readmodel.DirectLoad;
import dev.meterflow.api.readmodel.ReadModelRow;
import dev.meterflow.api.readmodel.Retention;
import dev.meterflow.embedded.EmbeddedKafka;
import dev.meterflow.local.topics.ProvisionTopics;
import dev.meterflow.local.topics.TopicDefinitions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;

/**
 * The read side's figures (issue 11): the read model's lag under the metering topology's output rate, and the
 * API's latency for the summary, the payment history and a one-month statement with {@code accounts} accounts'
 * history loaded. The history goes straight into PostgreSQL through the read model's own projection and writer
 * ({@link DirectLoad}); loading it through Kafka would take the read model longer than the whole run.
 */
public final class ReadBench {

    /**
     * @param eventsPerSecond usage events a second whose outputs (ledger entry, balance, rollup) the lag run writes
     * @param apiAccounts     accounts whose admins sign in for the latency run
     */
    public record Options(int accounts, int days, int partitions, int eventsPerSecond, Duration lagDuration,
                          int apiAccounts, int apiRequests, int pdfRequests, int loadThreads, Path json) {
    }

    private static final int ACCOUNTS_PER_BATCH = 200;
    private static final int READ_MODEL_BATCH = 500;
    private static final Duration COMMIT_INTERVAL = Duration.ofMillis(100);

    private final Options options;
    private final PrintStream out;
    private final BenchReport report = new BenchReport();

    public ReadBench(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public void run() throws Exception {
        describe();
        Clock clock = Clock.systemUTC();
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        try (EmbeddedKafka kafka = EmbeddedKafka.start(null);
             Admin admin = kafka.admin();
             EmbeddedDatabase postgres = EmbeddedDatabase.start(null);
             Database database = postgres.open(8)) {
            new ProvisionTopics(admin).apply(TopicDefinitions.all(options.partitions(), (short) 1));
            report.setting("postgresql", database.jdbi().withHandle(h -> h.createQuery("SELECT"
                    + " current_setting('server_version') || ', embedded (zonky), fsync ' || current_setting('fsync')"
                    + " || ', synchronous_commit ' || current_setting('synchronous_commit')")
                    .mapTo(String.class).one()));
            load(database, clock, today);
            try (BillingApi api = BillingApi.start(apiOptions(kafka.bootstrapServers()), database, clock)) {
                awaitReady(api);
                apiLatency(api, today);
                lag(kafka.bootstrapServers(), database, api);
            }
        }
        report.setting("load average (1, 5, 15 min) at the end", loadAverage());
        report.print(out);
        report.writeJson(options.json());
        out.println("figures written to " + options.json());
    }

    private void describe() {
        report.setting("machine", System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", "
                + Runtime.getRuntime().availableProcessors() + " cores, max heap "
                + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB");
        report.setting("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        report.setting("date", Instant.now().toString());
        report.setting("load average (1, 5, 15 min) at the start", loadAverage());
        report.setting("accounts", options.accounts());
        report.setting("days of history per account", options.days());
        report.setting("partitions", options.partitions());
        report.setting("lag run: usage events/s (3 records each)", options.eventsPerSecond());
        report.setting("lag run: duration", options.lagDuration().toString());
        report.setting("lag run: commit interval ms", COMMIT_INTERVAL.toMillis());
        report.setting("read model max batch", READ_MODEL_BATCH);
        report.setting("api: signed-in accounts", options.apiAccounts());
        report.setting("api: requests per endpoint (pdf)", options.apiRequests() + " (" + options.pdfRequests() + ")");
    }

    /** Every account's history, {@link #ACCOUNTS_PER_BATCH} accounts a transaction, on a few threads. */
    private void load(Database database, Clock clock, LocalDate today) throws Exception {
        out.printf("loading %,d accounts' history into PostgreSQL%n", options.accounts());
        long start = System.nanoTime();
        AtomicLong rows = new AtomicLong();
        // the first batch alone creates the months' partitions, which concurrent transactions would race to create
        rows.addAndGet(loadBatch(database, clock, today, 0));
        ExecutorService loaders = Executors.newFixedThreadPool(options.loadThreads());
        try {
            List<Future<Integer>> batches = new ArrayList<>();
            for (int from = ACCOUNTS_PER_BATCH; from < options.accounts(); from += ACCOUNTS_PER_BATCH) {
                int first = from;
                batches.add(loaders.submit(() -> loadBatch(database, clock, today, first)));
            }
            for (Future<Integer> batch : batches) {
                rows.addAndGet(batch.get());
            }
        } finally {
            loaders.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        report.figure("load", "rows written", rows.get());
        report.figure("load", "seconds", round(seconds));
        report.figure("load", "rows/s", Math.round(rows.get() / seconds));
        report.figure("load", "database size MiB", database.jdbi().withHandle(h -> h.createQuery(
                "SELECT pg_database_size(current_database()) / 1048576").mapTo(Long.class).one()));
    }

    private int loadBatch(Database database, Clock clock, LocalDate today, int first) {
        List<ReadModelRow> rows = new ArrayList<>(ACCOUNTS_PER_BATCH * 110);
        IntStream.range(first, Math.min(options.accounts(), first + ACCOUNTS_PER_BATCH)).forEach(index -> rows.addAll(
                ReadBenchHistory.of(ReadBenchHistory.accountId(index), today, options.days())));
        new DirectLoad(database.jdbi(), new Retention(25), clock).write(rows);
        return rows.size();
    }

    private void apiLatency(BillingApi api, LocalDate today) throws Exception {
        out.println("measuring the API's latency");
        ApiLatencyRun run = new ApiLatencyRun(api.port());
        int step = Math.max(1, options.accounts() / options.apiAccounts());
        run.signIn(api.authenticator(), IntStream.range(0, options.apiAccounts())
                .mapToObj(i -> ReadBenchHistory.accountId(i * step)).toList());
        Map<String, List<Long>> timings = run.measure(options.apiRequests(), options.pdfRequests(), today,
                options.days());
        timings.forEach((endpoint, micros) -> {
            report.figure("api latency ms", endpoint + " p50", millis(percentile(micros, 50)));
            report.figure("api latency ms", endpoint + " p99", millis(percentile(micros, 99)));
        });
    }

    private void lag(String bootstrap, Database database, BillingApi api) throws InterruptedException {
        out.printf("read model lag at %,d usage events/s for %s%n", options.eventsPerSecond(), options.lagDuration());
        ReadLagRun.Result result = new ReadLagRun(bootstrap, database.jdbi(), api.readModel(), options.accounts())
                .run(options.eventsPerSecond(), options.lagDuration(), COMMIT_INTERVAL, Duration.ofMinutes(10));
        report.figure("read model lag", "events produced", result.events());
        report.figure("read model lag", "records produced", result.records());
        report.figure("read model lag", "records/s produced", Math.round(result.records() / result.secondsProducing()));
        report.figure("read model lag", "seconds until stored (from the start)", round(result.secondsToCatchUp()));
        report.figure("read model lag", "transactions not stored when it stopped waiting", result.notStored());
        report.figure("read model lag", "commit to stored ms p50", millis(percentile(result.lagMicros(), 50)));
        report.figure("read model lag", "commit to stored ms p99", millis(percentile(result.lagMicros(), 99)));
        report.figure("read model lag", "commit to stored ms max", millis(percentile(result.lagMicros(), 100)));
        report.figure("read model lag", "records behind p99", percentile(result.recordsBehind(), 99));
    }

    private static void awaitReady(BillingApi api) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (api.notReady().isPresent()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the billing API is not ready: " + api.notReady().get());
            }
            Thread.sleep(100);
        }
    }

    private BillingApi.Options apiOptions(String bootstrap) {
        Properties kafka = new Properties();
        kafka.put("bootstrap.servers", bootstrap);
        // one client signs every admin in from one address: the per-address sign-in limit would refuse them
        return new BillingApi.Options(kafka, "127.0.0.1", 0, new Retention(25), READ_MODEL_BATCH,
                Duration.ofSeconds(3), new LoginPolicy(5, Duration.ofMinutes(15)), 1_000_000, Duration.ofHours(8));
    }

    static long percentile(List<Long> values, double percentile) {
        if (values.isEmpty()) {
            return -1;
        }
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static double millis(long micros) {
        return Math.round(micros / 100.0) / 10.0;
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + ", " + fields[1] + ", " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
