package dev.meterflow.local.bench;

import dev.meterflow.embedded.EmbeddedKafka;
import dev.meterflow.gatewaysim.GatewaySimulator;
import dev.meterflow.gatewaysim.SimulatorSettings;
import dev.meterflow.local.stack.ConsumerLag;
import dev.meterflow.local.stack.SeedData;
import dev.meterflow.local.stack.UsageGenerator;
import dev.meterflow.local.topics.ProvisionTopics;
import dev.meterflow.local.topics.TopicDefinitions;
import dev.meterflow.metering.MeteringService;
import dev.meterflow.metering.config.MeteringConfig;
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
import dev.meterflow.topics.TopicReader;
import dev.meterflow.topics.Topics;
import dev.meterflow.worker.RechargeWorkerService;
import dev.meterflow.worker.config.WorkerConfig;
import dev.meterflow.worker.gateway.stripe.StripeGateway;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The benchmark harness: on one machine, against one broker, in one run — the broker's own ceiling (a plain
 * transactional consume-produce copy of the same records), the metering topology's throughput catching up
 * on pre-loaded usage, latency at half that rate, the recharge worker against the simulator, and state
 * size and restore time. Prints a table and writes JSON; measures, never judges.
 */
public final class Bench {

    /** How the benchmark is run. */
    public record Options(int events, int accounts, int partitions, int streamThreads, int commitIntervalMs,
                          Duration latencyDuration, int latencyAccounts, int workerRequests, long gatewayLatencyMs,
                          int gatewayRateLimit, Path dataDir, Path json) {
    }

    private static final String BASELINE_OUT = "bench-baseline-out";
    private static final String BASELINE_GROUP = "bench-baseline";
    private static final String METERING_APP = "bench-metering";
    private static final String LATENCY_PREFIX = "lat-";

    private final Options options;
    private final PrintStream out;
    private final BenchReport report = new BenchReport();

    public Bench(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public BenchReport run() throws Exception {
        describeMachine();
        deleteRecursively(options.dataDir());
        try (EmbeddedKafka kafka = EmbeddedKafka.start(options.dataDir().resolve("kafka"));
             Admin admin = kafka.admin()) {
            new ProvisionTopics(admin).apply(TopicDefinitions.all(options.partitions(), (short) 1));
            admin.createTopics(List.of(new NewTopic(BASELINE_OUT, options.partitions(), (short) 1))).all().get();
            preload(kafka.bootstrapServers());
            baseline(kafka.bootstrapServers(), admin);
            Path stateDir = options.dataDir().resolve("metering-state");
            MeteringService metering = meteringThroughput(kafka.bootstrapServers(), admin, stateDir);
            try {
                latency(kafka.bootstrapServers(), admin);
                state(stateDir);
            } finally {
                metering.close();
            }
            restore(kafka.bootstrapServers(), stateDir);
        }
        worker();
        report.print(out);
        report.writeJson(options.json());
        out.println("figures written to " + options.json());
        return report;
    }

    private void describeMachine() {
        report.setting("machine", System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", "
                + Runtime.getRuntime().availableProcessors() + " cores, max heap "
                + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB");
        report.setting("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        report.setting("broker", "embedded single-node KRaft, Kafka " + kafkaVersion());
        report.setting("date", Instant.now().toString());
        report.setting("partitions", options.partitions());
        report.setting("stream threads", options.streamThreads());
        report.setting("processing.guarantee", "exactly_once_v2 (baseline: transactions)");
        report.setting("commit.interval.ms", options.commitIntervalMs());
        report.setting("usage events", options.events());
        report.setting("accounts", options.accounts());
    }

    /** Rate card, settings for every account, then the usage, as fast as the producer goes. */
    private void preload(String bootstrap) {
        Instant now = Instant.now().minusSeconds(60);
        long start = System.nanoTime();
        long bytes = 0;
        try (KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
            send(producer, Topics.RATE_CARDS.name(), SeedData.RATE_PLAN,
                    Topics.RATE_CARDS.valueSerde().serializer().serialize(null, SeedData.rateCard(now)));
            for (AccountSettings settings : SeedData.accounts(options.accounts(), now)) {
                send(producer, Topics.ACCOUNT_SETTINGS.name(), settings.getAccountId(),
                        Topics.ACCOUNT_SETTINGS.valueSerde().serializer().serialize(null, settings));
            }
            for (int i = 1; i <= options.latencyAccounts(); i++) {
                AccountSettings settings = latencyAccount(latencyAccountId(i), now);
                send(producer, Topics.ACCOUNT_SETTINGS.name(), settings.getAccountId(),
                        Topics.ACCOUNT_SETTINGS.valueSerde().serializer().serialize(null, settings));
            }
            UsageGenerator usage = new UsageGenerator(options.accounts(), "bench", 42);
            for (int i = 0; i < options.events(); i++) {
                UsageEvent event = usage.next(now.plusMillis(1));
                byte[] value = Topics.USAGE_EVENTS.valueSerde().serializer().serialize(null, event);
                bytes += value.length;
                send(producer, Topics.USAGE_EVENTS.name(), event.getAccountId(), value);
                if ((i + 1) % 200_000 == 0) {
                    out.printf("  pre-loading: %,d of %,d usage events%n", i + 1, options.events());
                }
            }
            producer.flush();
        }
        requireAllSent("pre-load");
        double seconds = (System.nanoTime() - start) / 1e9;
        report.setting("usage record size (bytes, avg)", options.events() == 0 ? 0 : bytes / options.events());
        report.figure("preload", "events/s (producer, acks=all)", Math.round(options.events() / seconds));
        out.printf("pre-loaded %,d usage events in %.1f s%n", options.events(), seconds);
    }

    /** The ceiling: read the usage and write it back out, transactionally, at the same commit interval. */
    private void baseline(String bootstrap, Admin admin) {
        out.println("baseline: transactional consume -> produce copy of the usage ...");
        Properties consumerProps = new Properties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, BASELINE_GROUP);
        consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerProps.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1000");
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        producerProps.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "bench-baseline-copy");
        long copied = 0;
        long start = 0;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer());
             KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            consumer.subscribe(List.of(Topics.USAGE_EVENTS.name()));
            long nextProgress = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (copied < options.events()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("baseline copied " + copied + " of " + options.events()
                            + " events in 30 minutes");
                }
                producer.beginTransaction();
                long commitAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.commitIntervalMs());
                Map<TopicPartition, OffsetAndMetadata> offsets = new java.util.HashMap<>();
                do {
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(20));
                    if (start == 0 && !records.isEmpty()) {
                        start = System.nanoTime(); // like the topology's figure: from the first record
                    }
                    for (ConsumerRecord<byte[], byte[]> record : records) {
                        producer.send(new ProducerRecord<>(BASELINE_OUT, record.key(), record.value()));
                        offsets.put(new TopicPartition(record.topic(), record.partition()),
                                new OffsetAndMetadata(record.offset() + 1));
                        copied++;
                    }
                } while (System.nanoTime() < commitAt);
                producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
                producer.commitTransaction();
                if (System.nanoTime() > nextProgress) {
                    out.printf("  baseline: %,d of %,d copied%n", copied, options.events());
                    nextProgress += TimeUnit.SECONDS.toNanos(5);
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        report.figure("baseline", "events/s", Math.round(copied / seconds));
        report.figure("baseline", "seconds", round(seconds));
        out.printf("baseline: %,d events in %.1f s%n", copied, seconds);
    }

    /** The metering topology catching up from the earliest offset on everything pre-loaded. */
    private MeteringService meteringThroughput(String bootstrap, Admin admin, Path stateDir)
            throws InterruptedException {
        out.println("metering: catching up on the pre-loaded usage (exactly_once_v2) ...");
        MeteringService metering = new MeteringService(meteringConfig(bootstrap, stateDir));
        long start = System.nanoTime();
        metering.start();
        long firstProgress = 0;
        long nextProgress = start + TimeUnit.SECONDS.toNanos(5);
        long deadline = start + TimeUnit.MINUTES.toNanos(60);
        while (true) {
            if (metering.state() == KafkaStreams.State.ERROR || metering.state() == KafkaStreams.State.NOT_RUNNING
                    || System.nanoTime() > deadline) {
                metering.close();
                throw new IllegalStateException("the metering topology stopped catching up (state "
                        + metering.state() + ")");
            }
            long lag = ConsumerLag.of(admin, METERING_APP, Topics.USAGE_EVENTS.name());
            long now = System.nanoTime();
            if (firstProgress == 0 && lag >= 0 && lag < options.events()) {
                firstProgress = now;
            }
            if (lag == 0) {
                break;
            }
            if (now > nextProgress) {
                out.printf("  metering: %,d events to go%n", lag);
                nextProgress += TimeUnit.SECONDS.toNanos(5);
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        long end = System.nanoTime();
        double seconds = (end - start) / 1e9;
        double processing = (end - (firstProgress == 0 ? start : firstProgress)) / 1e9;
        long rate = Math.round(options.events() / processing);
        report.figure("metering", "events/s", rate);
        report.figure("metering", "seconds (processing)", round(processing));
        report.figure("metering", "seconds (incl. start-up)", round(seconds));
        Object baseline = report.figure("baseline", "events/s");
        if (baseline instanceof Long baselineRate && baselineRate > 0) {
            report.figure("metering", "ratio to baseline", round((double) rate / baselineRate));
        }
        out.printf("metering: %,d events in %.1f s (%,d events/s)%n", options.events(), processing, rate);
        return metering;
    }

    /**
     * Usage at half the measured rate for a while; the time from each event's timestamp to its ledger entry,
     * and from a threshold-crossing event to its recharge request, as a read_committed consumer sees them. The
     * harness answers the latency accounts' requests at once, so their balances keep crossing.
     */
    private void latency(String bootstrap, Admin admin) throws Exception {
        long measured = report.figure("metering", "events/s") instanceof Long rate ? rate : 1_000;
        int ratePerSecond = (int) Math.max(10, measured / 2);
        out.printf("latency: %,d events/s for %d s ...%n", ratePerSecond, options.latencyDuration().toSeconds());
        Histogram ledger = new Histogram();
        Histogram requests = new Histogram();
        AtomicBoolean running = new AtomicBoolean(true);
        long phaseStart = System.currentTimeMillis();
        Thread watcher = new Thread(() -> watchLatency(bootstrap, phaseStart, ledger, requests, running),
                "bench-latency-watcher");
        watcher.start();
        try (KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
            UsageGenerator usage = new UsageGenerator(options.latencyAccounts(), Bench::latencyAccountId,
                    "latency", 43);
            long start = System.nanoTime();
            long end = start + options.latencyDuration().toNanos();
            long period = TimeUnit.SECONDS.toNanos(1) / ratePerSecond;
            long next = start;
            while (System.nanoTime() < end) {
                UsageEvent event = usage.next(Instant.now());
                send(producer, Topics.USAGE_EVENTS.name(), event.getAccountId(),
                        Topics.USAGE_EVENTS.valueSerde().serializer().serialize(null, event));
                next += period;
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    TimeUnit.NANOSECONDS.sleep(sleep);
                }
            }
            producer.flush();
        }
        // let what was sent arrive before the watcher stops
        long settleUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (ConsumerLag.of(admin, METERING_APP, Topics.USAGE_EVENTS.name()) != 0 && System.nanoTime() < settleUntil) {
            TimeUnit.MILLISECONDS.sleep(200);
        }
        TimeUnit.MILLISECONDS.sleep(options.commitIntervalMs() * 3L);
        running.set(false);
        watcher.join(10_000);
        report.figure("latency", "rate (events/s)", ratePerSecond);
        report.figure("latency", "usage -> ledger entry p50 ms", ledger.percentile(50));
        report.figure("latency", "usage -> ledger entry p99 ms", ledger.percentile(99));
        report.figure("latency", "usage -> ledger entry p99.9 ms", ledger.percentile(99.9));
        report.figure("latency", "ledger entries measured", ledger.count());
        report.figure("latency", "crossing -> request p50 ms", requests.percentile(50));
        report.figure("latency", "crossing -> request p99 ms", requests.percentile(99));
        report.figure("latency", "crossing -> request p99.9 ms", requests.percentile(99.9));
        report.figure("latency", "recharge requests measured", requests.count());
    }

    /** Reads the ledger and the requests as they commit; answers the latency accounts' requests at once. */
    private void watchLatency(String bootstrap, long phaseStart, Histogram ledger, Histogram requests,
                              AtomicBoolean running) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, byte[]> consumer =
                     new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
             KafkaProducer<String, byte[]> answers = producer(bootstrap)) {
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
                    if (record.key() == null || !record.key().startsWith(LATENCY_PREFIX)) {
                        continue;
                    }
                    if (record.topic().equals(Topics.RECHARGE_REQUESTS.name())) {
                        RechargeRequest request = Topics.RECHARGE_REQUESTS.valueSerde().deserializer()
                                .deserialize(record.topic(), record.value());
                        answers.send(new ProducerRecord<>(Topics.PAYMENT_RESULTS.name(), record.key(),
                                Topics.PAYMENT_RESULTS.valueSerde().serializer().serialize(null, succeeded(request))));
                        if (record.timestamp() >= phaseStart) {
                            requests.record(seenAt - record.timestamp());
                        }
                    } else if (record.timestamp() >= phaseStart) {
                        ledger.record(seenAt - record.timestamp());
                    }
                }
            }
        }
    }

    /** Disk and heap of the metering state for the accounts loaded, per million accounts. */
    private void state(Path stateDir) {
        long bytes = directorySize(stateDir);
        int accounts = options.accounts() + options.latencyAccounts();
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        report.figure("state", "state dir MiB", round(bytes / 1048576.0));
        report.figure("state", "state dir MiB per million accounts", round(bytes / 1048576.0 / accounts * 1_000_000));
        report.figure("state", "JVM heap used after GC MiB (broker + apps)", round(heap / 1048576.0));
    }

    /** The state directory is lost: how long until the topology runs again from its changelogs. */
    private void restore(String bootstrap, Path stateDir) throws InterruptedException {
        deleteRecursively(stateDir);
        out.println("restore: state directory deleted, restarting the topology ...");
        long start = System.nanoTime();
        try (MeteringService metering = new MeteringService(meteringConfig(bootstrap, stateDir)).start()) {
            while (metering.state() != KafkaStreams.State.RUNNING) {
                if (System.nanoTime() - start > TimeUnit.MINUTES.toNanos(10) || metering.state() == KafkaStreams.State.ERROR) {
                    throw new IllegalStateException("the topology did not restore (state " + metering.state() + ")");
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
            report.figure("state", "restore after losing the state dir (s)", round((System.nanoTime() - start) / 1e9));
        }
    }

    /** The worker against the simulator at its latency and a rate limit, on a broker of its own. */
    private void worker() throws InterruptedException {
        out.printf("worker: %,d requests, gateway latency %d ms, rate limit %d/s ...%n", options.workerRequests(),
                options.gatewayLatencyMs(), options.gatewayRateLimit());
        try (EmbeddedKafka kafka = EmbeddedKafka.start(options.dataDir().resolve("kafka-worker"));
             Admin admin = kafka.admin();
             GatewaySimulator gateway = GatewaySimulator.start(0, SimulatorSettings.defaults().toBuilder()
                     .latencyMs(options.gatewayLatencyMs()).build())) {
            new ProvisionTopics(admin).apply(TopicDefinitions.all(options.partitions(), (short) 1));
            try (KafkaProducer<String, byte[]> producer = producer(kafka.bootstrapServers())) {
                for (int i = 1; i <= options.workerRequests(); i++) {
                    RechargeRequest request = workerRequest(i);
                    send(producer, Topics.RECHARGE_REQUESTS.name(), request.getAccountId(),
                            Topics.RECHARGE_REQUESTS.valueSerde().serializer().serialize(null, request));
                }
            }
            requireAllSent("recharge requests");
            Properties props = new Properties();
            props.setProperty(WorkerConfig.BOOTSTRAP_SERVERS.name(), kafka.bootstrapServers());
            props.setProperty(WorkerConfig.GATEWAY_BASE_URL.name(), gateway.baseUrl());
            props.setProperty(WorkerConfig.GATEWAY_API_KEY.name(), "sk_test_meterflow_bench");
            props.setProperty(WorkerConfig.GATEWAY_RATE_LIMIT.name(), Integer.toString(options.gatewayRateLimit()));
            props.setProperty(WorkerConfig.MAX_IN_FLIGHT.name(), "32");
            WorkerConfig config = WorkerConfig.from(props);
            long start = System.nanoTime();
            try (RechargeWorkerService worker = RechargeWorkerService.start(config,
                    new StripeGateway(config.gatewayApiKey(), gateway.baseUrl(), config.gatewayTimeout()))) {
                long deadline = start + TimeUnit.MINUTES.toNanos(30);
                while (ConsumerLag.of(admin, config.get(WorkerConfig.GROUP_ID), Topics.RECHARGE_REQUESTS.name()) != 0
                        && System.nanoTime() < deadline) {
                    TimeUnit.MILLISECONDS.sleep(200);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                Map<String, List<dev.meterflow.gatewaysim.Charge>> charges = gateway.successfulChargesByRequestId();
                long answered = answeredRequests(kafka.bootstrapServers());
                report.figure("worker", "requests/s", round(answered / seconds));
                report.figure("worker", "charges/s", round(charges.size() / seconds));
                report.figure("worker", "requests answered", answered);
                report.figure("worker", "duplicate charges", charges.values().stream().filter(c -> c.size() > 1).count());
            }
        }
    }

    private static String kafkaVersion() {
        Properties version = new Properties();
        try (var in = KafkaProducer.class.getClassLoader().getResourceAsStream("kafka/kafka-version.properties")) {
            if (in != null) {
                version.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        return version.getProperty("version", "unknown");
    }

    /** Distinct requests with a committed payment result. */
    private static long answeredRequests(String bootstrap) {
        return TopicReader.readCommitted(bootstrap, Topics.PAYMENT_RESULTS.name()).stream()
                .map(record -> Topics.PAYMENT_RESULTS.valueSerde().deserializer()
                        .deserialize(record.topic(), record.value()).getRequestId())
                .distinct().count();
    }

    private MeteringConfig meteringConfig(String bootstrap, Path stateDir) {
        Properties props = new Properties();
        props.setProperty(MeteringConfig.BOOTSTRAP_SERVERS.name(), bootstrap);
        props.setProperty(MeteringConfig.APPLICATION_ID.name(), METERING_APP);
        props.setProperty(MeteringConfig.STATE_DIR.name(), stateDir.toString());
        props.setProperty(MeteringConfig.COMMIT_INTERVAL_MS.name(), Integer.toString(options.commitIntervalMs()));
        props.setProperty(MeteringConfig.NUM_STREAM_THREADS.name(), Integer.toString(options.streamThreads()));
        return MeteringConfig.from(props);
    }

    private static String latencyAccountId(int index) {
        return LATENCY_PREFIX + String.format("%05d", index);
    }

    /** Crosses its $15 threshold every few events and asks to be topped up to $16. */
    private static AccountSettings latencyAccount(String accountId, Instant now) {
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

    private static RechargeRequest workerRequest(int index) {
        String account = String.format("bench-w-%05d", index);
        AccountSettings settings = SeedData.accounts(1, Instant.now()).get(0);
        return RechargeRequest.newBuilder()
                .setRequestId("rr-" + account + "-1")
                .setAccountId(account)
                .setReason(RechargeReason.AUTO_RECHARGE)
                .setAmountCents(3_500)
                .setCurrency("USD")
                .setPaymentMethods(settings.getPaymentMethods())
                .setBalanceMicros(Money.dollarsToMicros(14))
                .setThresholdMicros(Money.dollarsToMicros(15))
                .setTargetMicros(Money.dollarsToMicros(49))
                .setRequestedAt(Instant.now())
                .setBillingEmails(settings.getBillingEmails())
                .build();
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, "65536");
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    private final java.util.concurrent.atomic.AtomicLong failedSends = new java.util.concurrent.atomic.AtomicLong();

    private void send(KafkaProducer<String, byte[]> producer, String topic, String key, byte[] value) {
        producer.send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
            if (error != null) {
                failedSends.incrementAndGet();
            }
        });
    }

    private void requireAllSent(String what) {
        if (failedSends.get() > 0) {
            throw new IllegalStateException(failedSends.get() + " records of the " + what + " were not written");
        }
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private static long directorySize(Path dir) {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
