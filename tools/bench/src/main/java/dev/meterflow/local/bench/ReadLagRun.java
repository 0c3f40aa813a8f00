package dev.meterflow.local.bench;

import dev.meterflow.api.readmodel.ReadModel;
import dev.meterflow.api.readmodel.ReadModelDao;
import dev.meterflow.schemas.AccountBalance;
import dev.meterflow.schemas.AccountStatus;
import dev.meterflow.schemas.LedgerEntryKind;
import dev.meterflow.topics.Topic;
import dev.meterflow.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jdbi.v3.core.Jdbi;

/**
 * The read model under the metering topology's output rate: for each usage event the topology writes a ledger
 * entry, the account's balance and its day's rollup, in transactions committed every {@code commitInterval}. The
 * lag of one transaction is the time from its commit (its records visible to {@code read_committed} readers) to
 * the read model storing offsets past all of them with their rows, polled every 20 ms; records behind the ends
 * (the read model's own {@code lag()}) are sampled as well.
 */
final class ReadLagRun {

    private static final Duration POLL = Duration.ofMillis(20);

    private final String bootstrap;
    private final Jdbi jdbi;
    private final ReadModel readModel;
    private final int accounts;
    private final Deque<Commit> pending = new ArrayDeque<>();
    private final List<Long> lagMicros = new ArrayList<>();
    private final List<Long> recordsBehind = new ArrayList<>();

    /** One committed transaction: when, and the last offset it wrote to each topic-partition. */
    private record Commit(long nanos, Map<String, Long> lastOffsets) {
    }

    /** @param notStored transactions the read model had not stored when the run stopped waiting */
    record Result(long events, long records, double secondsProducing, double secondsToCatchUp, int notStored,
                  List<Long> lagMicros, List<Long> recordsBehind) {
    }

    ReadLagRun(String bootstrap, Jdbi jdbi, ReadModel readModel, int accounts) {
        this.bootstrap = bootstrap;
        this.jdbi = jdbi;
        this.readModel = readModel;
        this.accounts = accounts;
    }

    Result run(int eventsPerSecond, Duration duration, Duration commitInterval, Duration catchUpLimit)
            throws InterruptedException {
        long start = System.nanoTime();
        long events = 0;
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            producer.initTransactions();
            SplittableRandom random = new SplittableRandom(42);
            long ticks = duration.toMillis() / commitInterval.toMillis();
            long perTick = Math.max(1, eventsPerSecond * commitInterval.toMillis() / 1000);
            for (long tick = 0; tick < ticks; tick++) {
                events += transaction(producer, random, perTick);
                resolve();
                sleepUntil(start + (tick + 1) * commitInterval.toNanos());
            }
        }
        double producing = (System.nanoTime() - start) / 1e9;
        long deadline = System.nanoTime() + catchUpLimit.toNanos();
        while (!pending.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(POLL.toMillis());
            resolve();
        }
        // a transaction still not stored counts at the time waited, so a read model that fell behind shows as such
        long gaveUp = System.nanoTime();
        pending.forEach(commit -> lagMicros.add((gaveUp - commit.nanos()) / 1_000));
        return new Result(events, events * 3, producing, (gaveUp - start) / 1e9, pending.size(),
                List.copyOf(lagMicros), List.copyOf(recordsBehind));
    }

    private long transaction(KafkaProducer<byte[], byte[]> producer, SplittableRandom random, long events) {
        producer.beginTransaction();
        Instant now = Instant.now();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (long i = 0; i < events; i++) {
            String account = ReadBenchHistory.accountId(random.nextInt(accounts));
            long micros = 1_000 + random.nextLong(100_000);
            long balance = 50_000_000 - micros;
            sent.add(send(producer, Topics.LEDGER_ENTRIES, account, ReadBenchHistory.entry(account,
                    "usage:bench-" + now.toEpochMilli() + "-" + i, LedgerEntryKind.USAGE, ReadBenchHistory.SKU,
                    -micros, balance, now)));
            sent.add(send(producer, Topics.ACCOUNT_BALANCES, account, AccountBalance.newBuilder()
                    .setAccountId(account).setBalanceMicros(balance).setStatus(AccountStatus.ACTIVE)
                    .setPendingRechargeId(null).setUpdatedAt(now).build()));
            sent.add(send(producer, Topics.USAGE_ROLLUPS, Topics.rollupKey(account, today, ReadBenchHistory.SKU),
                    ReadBenchHistory.rollup(account, today, micros)));
        }
        producer.commitTransaction();
        long committed = System.nanoTime();
        Map<String, Long> last = new HashMap<>();
        for (Future<RecordMetadata> future : sent) {
            RecordMetadata metadata = done(future);
            last.merge(metadata.topic() + "-" + metadata.partition(), metadata.offset(), Math::max);
        }
        pending.addLast(new Commit(committed, last));
        return events;
    }

    /** Takes every transaction whose records the read model has stored, oldest first, as a lag sample. */
    private void resolve() {
        Map<String, Long> stored = jdbi.withExtension(ReadModelDao.class, ReadModelDao::storedOffsets);
        long now = System.nanoTime();
        recordsBehind.add(Math.max(0, readModel.lag()));
        while (!pending.isEmpty() && pending.peekFirst().lastOffsets().entrySet().stream()
                .allMatch(last -> stored.getOrDefault(last.getKey(), 0L) > last.getValue())) {
            lagMicros.add((now - pending.removeFirst().nanos()) / 1_000);
        }
    }

    private void sleepUntil(long nanos) throws InterruptedException {
        long left;
        while ((left = nanos - System.nanoTime()) > 0) {
            Thread.sleep(Math.min(POLL.toMillis(), Math.max(1, left / 1_000_000)));
            resolve();
        }
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "read-bench");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static <V> Future<RecordMetadata> send(KafkaProducer<byte[], byte[]> producer, Topic<String, V> topic,
                                                   String key, V value) {
        return producer.send(new ProducerRecord<>(topic.name(), key.getBytes(StandardCharsets.UTF_8),
                topic.valueSerde().serializer().serialize(topic.name(), value)));
    }

    private static RecordMetadata done(Future<RecordMetadata> future) {
        try {
            return future.get();
        } catch (Exception e) {
            throw new IllegalStateException("a committed record has no metadata", e);
        }
    }
}
