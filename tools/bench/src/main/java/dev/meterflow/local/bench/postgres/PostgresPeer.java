package dev.meterflow.local.bench.postgres;

import dev.meterflow.api.db.EmbeddedDatabase;
import dev.meterflow.local.bench.Histogram;
import dev.meterflow.metering.ledger.BillingSettings;
import dev.meterflow.metering.pricing.RatePlan;
import dev.meterflow.metering.pricing.Usage;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongFunction;
import java.util.stream.Collectors;

/**
 * The benchmark's peer: the same metering done the way a conventional billing system does it, on PostgreSQL
 * (embedded, PostgreSQL's default durability: {@code synchronous_commit} on, {@code fsync} on). Accounts are
 * split over as many connections as the machine has cores, as partitions split them over stream threads, so two
 * connections never update the same balance; each connection meters its accounts' events in batches, one
 * transaction per batch ({@link PeerLedger}).
 */
public final class PostgresPeer implements AutoCloseable {

    private final EmbeddedDatabase database;
    private final Map<String, BillingSettings> settings;
    private final Map<String, RatePlan> ratePlans;
    private final int connections;
    private final int batchSize;

    private PostgresPeer(EmbeddedDatabase database, Map<String, BillingSettings> settings,
                         Map<String, RatePlan> ratePlans, int connections, int batchSize) {
        this.database = database;
        this.settings = settings;
        this.ratePlans = ratePlans;
        this.connections = connections;
        this.batchSize = batchSize;
    }

    /**
     * Starts PostgreSQL in {@code dataDir}, creates the tables and opens every account.
     *
     * @param openingBalanceMicros every account's balance before the first event (the topology starts at zero)
     */
    public static PostgresPeer start(Path dataDir, List<BillingSettings> accounts, List<RatePlan> ratePlans,
                                     long openingBalanceMicros, int connections, int batchSize) throws SQLException {
        if (connections < 1 || batchSize < 1) {
            throw new IllegalArgumentException("connections and batch size must be at least 1, were "
                    + connections + " and " + batchSize);
        }
        PostgresPeer peer = new PostgresPeer(EmbeddedDatabase.start(dataDir),
                accounts.stream().collect(Collectors.toMap(BillingSettings::accountId, s -> s)),
                ratePlans.stream().collect(Collectors.toMap(RatePlan::ratePlanId, p -> p)), connections, batchSize);
        try (Connection connection = peer.connect()) {
            PeerSchema.create(connection);
            PeerSchema.openAccounts(connection, accounts, openingBalanceMicros);
        }
        return peer;
    }

    /** Meters every event, each connection its own accounts', as fast as it goes; events per second. */
    public double throughput(List<Usage> events) throws Exception {
        List<List<Usage>> shares = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            shares.add(new ArrayList<>());
        }
        events.forEach(usage -> shares.get(connectionOf(usage.accountId())).add(usage));
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        try {
            long start = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (List<Usage> share : shares) {
                done.add(pool.submit(() -> meterAll(share)));
            }
            awaitAll(done);
            return events.size() / ((System.nanoTime() - start) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Usage arriving at {@code ratePerSecond} for {@code duration}, each event stamped when it is made: the time
     * from that stamp to the commit of its batch. A threshold check and the request it asks for commit in the
     * same transaction, so this is also the crossing-to-request time.
     *
     * @param nextAt makes the next event, occurring at the given epoch millis
     */
    public Histogram latency(int ratePerSecond, Duration duration, LongFunction<Usage> nextAt) throws Exception {
        Histogram latencies = new Histogram();
        List<BlockingQueue<Usage>> queues = new ArrayList<>();
        AtomicBoolean arriving = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                BlockingQueue<Usage> queue = new LinkedBlockingQueue<>();
                queues.add(queue);
                done.add(pool.submit(() -> meterAsItArrives(queue, arriving, latencies)));
            }
            long start = System.nanoTime();
            long period = TimeUnit.SECONDS.toNanos(1) / Math.max(1, ratePerSecond);
            long next = start;
            while (System.nanoTime() - start < duration.toNanos()) {
                Usage usage = nextAt.apply(System.currentTimeMillis());
                queues.get(connectionOf(usage.accountId())).add(usage);
                next += period;
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    TimeUnit.NANOSECONDS.sleep(sleep);
                }
            }
            arriving.set(false);
            awaitAll(done);
            return latencies;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Ledger rows the peer holds for these events (each debited at most once). */
    public long ledgerRows() throws SQLException {
        return count("SELECT count(*) FROM ledger");
    }

    /** The sum of every balance, in micros: minus what was debited in all. */
    public long balancesMicros() throws SQLException {
        return count("SELECT coalesce(sum(balance_micros), 0) FROM accounts");
    }

    /** Recharge requests the peer asked for. */
    public long rechargeRequests() throws SQLException {
        return count("SELECT count(*) FROM recharge_requests");
    }

    /** Meters one batch on a connection of its own: the test's way to deliver a batch twice. */
    public int meterBatch(List<Usage> batch) throws SQLException {
        try (PeerLedger ledger = ledger()) {
            return ledger.apply(batch);
        }
    }

    private Void meterAll(List<Usage> events) throws SQLException {
        try (PeerLedger ledger = ledger()) {
            for (int from = 0; from < events.size(); from += batchSize) {
                ledger.apply(events.subList(from, Math.min(events.size(), from + batchSize)));
            }
        }
        return null;
    }

    private Void meterAsItArrives(BlockingQueue<Usage> queue, AtomicBoolean arriving, Histogram latencies)
            throws SQLException, InterruptedException {
        try (PeerLedger ledger = ledger()) {
            List<Usage> batch = new ArrayList<>(batchSize);
            while (arriving.get() || !queue.isEmpty()) {
                Usage first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, batchSize - 1);
                ledger.apply(batch);
                long committedAt = System.currentTimeMillis();
                batch.forEach(usage -> latencies.record(committedAt - usage.occurredAtMillis()));
                batch.clear();
            }
        }
        return null;
    }

    private PeerLedger ledger() throws SQLException {
        return new PeerLedger(connect(), settings, id -> Optional.ofNullable(ratePlans.get(id)));
    }

    private Connection connect() throws SQLException {
        Connection connection = DriverManager.getConnection(database.jdbcUrl(), "postgres", "postgres");
        try (Statement statement = connection.createStatement()) {
            // the embedded server starts with it off; a billing database would not run without it
            statement.execute("SET synchronous_commit = on");
        }
        connection.setAutoCommit(false);
        return connection;
    }

    private long count(String sql) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             var result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    private int connectionOf(String accountId) {
        return Math.floorMod(accountId.hashCode(), connections);
    }

    private static void awaitAll(List<Future<?>> done) throws Exception {
        for (Future<?> future : done) {
            try {
                future.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }
    }

    @Override
    public void close() {
        database.close();
    }
}
