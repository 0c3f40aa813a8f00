package dev.meterflow.local.bench;

import dev.meterflow.local.stack.ConsumerLag;
import dev.meterflow.local.stack.SeedData;
import dev.meterflow.local.stack.UsageGenerator;
import dev.meterflow.money.Money;
import dev.meterflow.schemas.AccountSettings;
import dev.meterflow.schemas.AttemptOutcome;
import dev.meterflow.schemas.AutoRecharge;
import dev.meterflow.schemas.PaymentAttempt;
import dev.meterflow.schemas.PaymentMethodRef;
import dev.meterflow.schemas.PaymentResult;
import dev.meterflow.schemas.PaymentStatus;
import dev.meterflow.schemas.RechargeReason;
import dev.meterflow.schemas.RechargeRequest;
import dev.meterflow.schemas.UsageEvent;
import dev.meterflow.topics.Topics;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Latency at a fixed rate on the running topology: the time from each event's timestamp to its ledger entry, and
 * from a threshold-crossing event to its recharge request, as a read_committed consumer sees them. The latency
 * accounts cross a $15 threshold every few events, and the probe answers their requests at once, so they keep
 * crossing.
 */
final class LatencyProbe {

    private static final String PREFIX = "lat-";

    private final String bootstrap;
    private final Admin admin;
    private final String meteringApp;
    private final Duration duration;
    private final int commitIntervalMs;
    private final PrintStream out;

    LatencyProbe(String bootstrap, Admin admin, String meteringApp, Duration duration, int commitIntervalMs,
                 PrintStream out) {
        this.bootstrap = bootstrap;
        this.admin = admin;
        this.meteringApp = meteringApp;
        this.duration = duration;
        this.commitIntervalMs = commitIntervalMs;
        this.out = out;
    }

    /** One run: {@code usage} at {@code ratePerSecond} for the duration; its percentiles and counts by name. */
    Map<String, Long> run(UsageGenerator usage, int ratePerSecond) throws Exception {
        Histogram ledger = new Histogram();
        Histogram requests = new Histogram();
        AtomicBoolean running = new AtomicBoolean(true);
        long phaseStart = System.currentTimeMillis();
        Thread watcher = new Thread(() -> watch(phaseStart, ledger, requests, running),
                "bench-latency-watcher");
        watcher.start();
        AtomicLong failed = new AtomicLong();
        try (KafkaProducer<String, byte[]> producer = Bench.producer(bootstrap)) {
            long start = System.nanoTime();
            long end = start + duration.toNanos();
            long period = TimeUnit.SECONDS.toNanos(1) / ratePerSecond;
            long next = start;
            while (System.nanoTime() < end) {
                UsageEvent event = usage.next(Instant.now());
                producer.send(new ProducerRecord<>(Topics.USAGE_EVENTS.name(), event.getAccountId(),
                        Topics.USAGE_EVENTS.valueSerde().serializer().serialize(null, event)), (metadata, error) -> {
                            if (error != null) {
                                failed.incrementAndGet();
                            }
                        });
                next += period;
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    TimeUnit.NANOSECONDS.sleep(sleep);
                }
            }
            producer.flush();
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " usage records of the latency run were not written");
        }
        // let what was sent arrive before the watcher stops
        long settleUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (ConsumerLag.of(admin, meteringApp, Topics.USAGE_EVENTS.name()) != 0 && System.nanoTime() < settleUntil) {
            TimeUnit.MILLISECONDS.sleep(200);
        }
        TimeUnit.MILLISECONDS.sleep(commitIntervalMs * 3L);
        running.set(false);
        watcher.join(10_000);
        Map<String, Long> figures = new LinkedHashMap<>();
        figures.put("usage -> ledger entry p50 ms", ledger.percentile(50));
        figures.put("usage -> ledger entry p99 ms", ledger.percentile(99));
        figures.put("usage -> ledger entry p99.9 ms", ledger.percentile(99.9));
        figures.put("ledger entries measured", (long) ledger.count());
        figures.put("crossing -> request p50 ms", requests.percentile(50));
        figures.put("crossing -> request p99 ms", requests.percentile(99));
        figures.put("crossing -> request p99.9 ms", requests.percentile(99.9));
        figures.put("recharge requests measured", (long) requests.count());
        out.printf("  usage -> ledger p99 %d ms, crossing -> request p99 %d ms%n",
                figures.get("usage -> ledger entry p99 ms"), figures.get("crossing -> request p99 ms"));
        return figures;
    }

    /** Reads the ledger and the requests as they commit; answers the latency accounts' requests at once. */
    private void watch(long phaseStart, Histogram ledger, Histogram requests, AtomicBoolean running) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, byte[]> consumer =
                     new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
             KafkaProducer<String, byte[]> answers = Bench.producer(bootstrap)) {
            List<TopicPartition> ledgerPartitions = new ArrayList<>();
            List<TopicPartition> requestPartitions = new ArrayList<>();
            consumer.partitionsFor(Topics.LEDGER_ENTRIES.name()).forEach(p ->
                    ledgerPartitions.add(new TopicPartition(p.topic(), p.partition())));
            consumer.partitionsFor(Topics.RECHARGE_REQUESTS.name()).forEach(p ->
                    requestPartitions.add(new TopicPartition(p.topic(), p.partition())));
            List<TopicPartition> partitions = new ArrayList<>(ledgerPartitions);
            partitions.addAll(requestPartitions);
            consumer.assign(partitions);
            // the ledger from now on (the throughput run left millions of entries behind); every request, since
            // the latency accounts' opening requests are waiting to be answered
            consumer.seekToEnd(ledgerPartitions);
            consumer.seekToBeginning(requestPartitions);
            while (running.get()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                    long seenAt = System.currentTimeMillis();
                    if (record.key() == null || !record.key().startsWith(PREFIX)) {
                        continue;
                    }
                    if (record.topic().equals(Topics.RECHARGE_REQUESTS.name())) {
                        RechargeRequest request = Topics.RECHARGE_REQUESTS.valueSerde().deserializer()
                                .deserialize(record.topic(), record.value());
                        answers.send(new ProducerRecord<>(Topics.PAYMENT_RESULTS.name(), record.key(),
                                Topics.PAYMENT_RESULTS.valueSerde().serializer().serialize(null, succeeded(request))));
                        // the request's record time is when metering wrote it; requestedAt is the time of the
                        // usage event that crossed the threshold, which the probe's producer stamped when it sent it
                        long crossedAt = request.getRequestedAt().toEpochMilli();
                        if (crossedAt >= phaseStart) {
                            requests.record(seenAt - crossedAt);
                        }
                    } else if (record.timestamp() >= phaseStart) {
                        ledger.record(seenAt - record.timestamp());
                    }
                }
            }
        }
    }

    static String accountId(int index) {
        return PREFIX + String.format("%05d", index);
    }

    /** Crosses its $15 threshold every few events and asks to be topped up to $16. */
    static AccountSettings account(String accountId, Instant now) {
        AccountSettings settings = SeedData.accounts(1, now).get(0);
        return AccountSettings.newBuilder(settings)
                .setAccountId(accountId)
                .setAutoRecharge(AutoRecharge.newBuilder(settings.getAutoRecharge())
                        .setThresholdMicros(Money.dollarsToMicros(15)).setTargetMicros(Money.dollarsToMicros(16))
                        .build())
                .build();
    }

    private static PaymentResult succeeded(RechargeRequest request) {
        PaymentMethodRef card = request.getPaymentMethods().get(0);
        return PaymentResult.newBuilder()
                .setRequestId(request.getRequestId())
                .setAccountId(request.getAccountId())
                .setReason(RechargeReason.AUTO_RECHARGE)
                .setStatus(PaymentStatus.SUCCEEDED)
                .setAmountCents(request.getAmountCents())
                .setPaymentMethodId(card.getPaymentMethodId())
                .setGatewayChargeId("ch_bench_" + request.getRequestId())
                .setAttempts(List.of(PaymentAttempt.newBuilder().setPaymentMethodId(card.getPaymentMethodId())
                        .setOutcome(AttemptOutcome.SUCCEEDED).setAt(Instant.now()).build()))
                .setCompletedAt(Instant.now())
                .build();
    }
}
