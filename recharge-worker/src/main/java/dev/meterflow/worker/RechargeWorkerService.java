package dev.meterflow.worker;

import dev.meterflow.health.AppMetrics;
import dev.meterflow.kafka.HangingTransactionAborter;
import dev.meterflow.topics.Topics;
import dev.meterflow.worker.attempts.KafkaAttemptStore;
import dev.meterflow.worker.config.WorkerConfig;
import dev.meterflow.worker.gateway.MeteredGateway;
import dev.meterflow.worker.gateway.PaymentGateway;
import dev.meterflow.worker.gateway.RateLimiter;
import dev.meterflow.worker.recharge.AttemptPlan;
import dev.meterflow.worker.recharge.RechargeProcessor;
import dev.meterflow.worker.recharge.RequestCheck;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running recharge worker: its Kafka clients, attempt log, gateway and consumer loop, wired from configuration. */
public final class RechargeWorkerService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RechargeWorkerService.class);
    /** As Kafka Streams sets it for exactly-once: seconds, not a minute. */
    static final int DEFAULT_TRANSACTION_TIMEOUT_MS = 10_000;
    /**
     * Beyond the transaction timeout before a standing-still attempt-log read asks about hanging transactions: the
     * coordinator's abort of a timed-out live transaction is checked every few seconds, not at the exact timeout.
     */
    private static final Duration HANGING_ASK_MARGIN = Duration.ofSeconds(5);

    private final RechargeWorker worker;
    private final KafkaAttemptStore attempts;
    private final WorkerMonitor monitor;
    private final List<KafkaClientMetrics> clientMetrics;
    private final ProducerMetrics producerMetrics;
    private final ScheduledExecutorService metricsScheduler;
    private final Thread loop;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private RechargeWorkerService(RechargeWorker worker, KafkaAttemptStore attempts, WorkerMonitor monitor,
                                  List<KafkaClientMetrics> clientMetrics, ProducerMetrics producerMetrics,
                                  ScheduledExecutorService metricsScheduler) {
        this.worker = worker;
        this.attempts = attempts;
        this.monitor = monitor;
        this.clientMetrics = clientMetrics;
        this.producerMetrics = producerMetrics;
        this.metricsScheduler = metricsScheduler;
        this.loop = new Thread(() -> {
            try {
                worker.run();
            } catch (RuntimeException e) {
                failure.set(e);
            }
        }, "recharge-worker-loop");
    }

    /**
     * The attempt log, with the aborter of hanging transactions on it unless switched off: a transaction no
     * coordinator will end otherwise stops every read of the log for good (RELIABILITY.md).
     */
    private static KafkaAttemptStore openAttemptLog(WorkerConfig config, Map<String, Object> clients,
            Map<String, Object> producerProps) {
        Duration transactionTimeout = Duration.ofMillis(Long.parseLong(
                String.valueOf(producerProps.get(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG)).strip()));
        Optional<HangingTransactionAborter> aborter = config.abortHangingTransactions()
                ? Optional.of(new HangingTransactionAborter(() -> Admin.create(clients), transactionTimeout,
                        Clock.systemUTC()))
                : Optional.empty();
        return KafkaAttemptStore.open(clients, Topics.RECHARGE_ATTEMPTS.name(), aborter,
                transactionTimeout.plus(HANGING_ASK_MARGIN));
    }

    public static RechargeWorkerService start(WorkerConfig config, PaymentGateway gateway) {
        return start(config, gateway, new CompositeMeterRegistry());
    }

    /** Started with its Kafka clients, gateway calls, readiness and open requests reported to {@code registry}. */
    public static RechargeWorkerService start(WorkerConfig config, PaymentGateway gateway, MeterRegistry registry) {
        Map<String, Object> clients = config.kafkaClientProperties();

        Map<String, Object> consumerProps = new HashMap<>(clients);
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, config.get(WorkerConfig.GROUP_ID));
        consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerProps.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.max(config.maxInFlight(), 10));
        Map<String, Object> producerProps = new HashMap<>(clients);
        producerProps.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, config.get(WorkerConfig.TRANSACTIONAL_ID));
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        // a transaction holds only outputs and offsets (milliseconds); one left open by a dead worker blocks the
        // read_committed readers of its topics until the broker aborts it, so not the producer's 60 s default
        producerProps.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, DEFAULT_TRANSACTION_TIMEOUT_MS);
        KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(producerProps, new StringSerializer(), new ByteArraySerializer());
        ProducerMetrics producerMetrics = new ProducerMetrics(registry, AppMetrics.KAFKA_METRICS_REFRESH);
        // a fenced producer is replaced by one with the same transactional.id (RechargeWorker.replaceFenced, which
        // calls its initTransactions for as long as the broker is away), and its metrics with it
        Supplier<Producer<String, byte[]>> newProducer = () -> {
            KafkaProducer<String, byte[]> replacement =
                    new KafkaProducer<>(producerProps, new StringSerializer(), new ByteArraySerializer());
            producerMetrics.bind(replacement);
            return replacement;
        };
        // before the attempt log is read: a transaction a crashed predecessor left open (its completion marks
        // among it) is aborted now, instead of hiding the attempts written after it until it times out
        KafkaAttemptStore attempts;
        try {
            producer.initTransactions();
            attempts = openAttemptLog(config, clients, producerProps);
        } catch (RuntimeException e) {
            producer.close(Duration.ZERO);
            throw e;
        }

        AttemptPlan plan = new AttemptPlan(config.unknownMaxTries(), config.softDeclineLimits());
        WorkerMonitor monitor = new WorkerMonitor(registry, Clock.systemUTC());
        monitor.attemptLogBlocked(attempts::writeBlockedReason);
        RechargeProcessor processor = new RechargeProcessor(new MeteredGateway(gateway, registry), attempts, plan,
                new RateLimiter(config.gatewayRateLimit()), config.unknownRetryBackoff(), 5, Clock.systemUTC());
        // the same limit the producer applies to what the worker publishes
        int maxRecordBytes = Integer.parseInt(String.valueOf(producerProps.getOrDefault(
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1_048_576)));
        RequestCheck check = new RequestCheck(config.minAmountCents(), config.maxAmountCents(), maxRecordBytes);
        processor.onPassedOver(monitor::softDeclineLimitHit);
        KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(consumerProps, new StringDeserializer(), new ByteArrayDeserializer());
        ScheduledExecutorService metricsScheduler = AppMetrics.kafkaMetricsScheduler();
        List<KafkaClientMetrics> clientMetrics = List.of(
                new KafkaClientMetrics(consumer, List.of(), metricsScheduler, AppMetrics.KAFKA_METRICS_REFRESH));
        clientMetrics.forEach(binder -> binder.bindTo(registry));
        producerMetrics.bind(producer);
        RechargeWorker worker = new RechargeWorker(consumer, producer, newProducer, processor, check, attempts, attempts::catchUp, config.maxInFlight(),
                config.reconcileInterval(), config.achPollInterval(), config.shutdownTimeout(), Clock.systemUTC());
        worker.monitor(monitor);
        RechargeWorkerService service = new RechargeWorkerService(worker, attempts, monitor, clientMetrics, producerMetrics,
                metricsScheduler);
        log.info("starting recharge worker group.id='{}' transactional.id='{}' gateway='{}' rateLimit={}/s",
                config.get(WorkerConfig.GROUP_ID), config.get(WorkerConfig.TRANSACTIONAL_ID),
                config.get(WorkerConfig.GATEWAY_BASE_URL), config.gatewayRateLimit());
        service.loop.start();
        return service;
    }

    /**
     * For tests and fault drills: runs right after each transaction that carried results has committed; a hook
     * that throws stops the worker there, as a crash would.
     */
    public void afterEachCommit(Runnable hook) {
        worker.afterEachCommit(hook);
    }

    /** Why {@code /health/ready} says no: not in the group yet, its attempt log not caught up, or stopped. */
    public Optional<String> notReadyReason() {
        return monitor.notReadyReason();
    }

    /** Blocks until the loop stops; {@code true} for a clean stop. */
    public boolean awaitStopped() throws InterruptedException {
        loop.join();
        return failure.get() == null;
    }

    /** Finishes requests in flight (up to the shutdown timeout), commits them, and stops. */
    @Override
    public void close() {
        worker.close();
        attempts.close();
        clientMetrics.forEach(KafkaClientMetrics::close);
        producerMetrics.close();
        metricsScheduler.shutdownNow();
    }

    /** Stops at once, as a crash would: nothing more is committed. For tests and fault drills. */
    public void halt() {
        worker.halt();
        attempts.close();
        clientMetrics.forEach(KafkaClientMetrics::close);
        producerMetrics.close();
        metricsScheduler.shutdownNow();
    }
}
