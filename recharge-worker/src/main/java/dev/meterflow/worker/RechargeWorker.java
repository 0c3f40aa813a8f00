package dev.meterflow.worker;

import dev.meterflow.schemas.BillingNotification;
import dev.meterflow.schemas.RechargeRequest;
import dev.meterflow.topics.Topics;
import dev.meterflow.worker.PartitionProgress.Commit;
import dev.meterflow.worker.PartitionProgress.FinishedBeyond;
import dev.meterflow.worker.attempts.AttemptLogEntry;
import dev.meterflow.worker.attempts.KafkaAttemptStore;
import dev.meterflow.worker.recharge.RechargeOutputs;
import dev.meterflow.worker.recharge.RechargeProcessor;
import dev.meterflow.worker.recharge.RequestCheck;
import dev.meterflow.worker.recharge.RequestRefusal;
import dev.meterflow.worker.recharge.Step;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer loop. One thread polls {@code recharge-requests} (read_committed) all the time, so a slow
 * gateway never expires the poll interval; requests run on a bounded pool, one account's requests in order,
 * different accounts at once; when {@code maxInFlight} requests are open, the partitions are paused. Each
 * finished request's {@code PaymentResult}, {@code Receipt} and notifications are written in one Kafka
 * transaction together with its completion mark on the attempt log and the consumed offsets, which only advance
 * over requests that are finished (the ones finished behind an open request are named in the offsets' metadata),
 * so a crash redelivers exactly the unfinished ones — and they resume from the attempt log with the same keys.
 * A bank debit that answers {@code processing} is parked instead (issue 10 §2): its parking mark, its
 * PAYMENT_PROCESSING notice and the offset past it are one transaction, and {@link SettlementPolls} asks the gateway
 * every interval until it settles; its result and completion mark are then a transaction of their own.
 */
public final class RechargeWorker implements Runnable, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RechargeWorker.class);
    private static final Duration POLL = Duration.ofMillis(100);
    /** At most this many fenced producers replaced within {@link #FENCED_WINDOW}; more means a live twin. */
    private static final int MAX_FENCED = 3;
    private static final Duration FENCED_WINDOW = Duration.ofMinutes(10);

    private final Consumer<String, byte[]> consumer;
    /** Replaced by {@link #newProducer} when the transaction coordinator fenced it (see {@link #replaceFenced}). */
    private volatile Producer<String, byte[]> producer;
    private final Supplier<Producer<String, byte[]>> newProducer;
    private final Deque<Long> fencedAt = new ArrayDeque<>();
    private final RechargeProcessor processor;
    private final RequestCheck requestCheck;
    private final KafkaAttemptStore attempts;
    private final Runnable onAssignment;
    private final int maxInFlight;
    private final Duration reconcileInterval;
    private final SettlementPolls settlements;
    private final BlockingQueue<Settled> settled = new LinkedBlockingQueue<>();
    private final Duration shutdownTimeout;
    private final Clock clock;
    private final ExecutorService pool;
    private final BlockingQueue<Completion> completions = new LinkedBlockingQueue<>();
    private final Map<TopicPartition, PartitionProgress> progress = new HashMap<>();
    /** What the committed offsets of the assigned partitions say finished behind them. */
    private final Map<TopicPartition, FinishedBeyond> finishedBefore = new HashMap<>();
    private final Map<String, CompletableFuture<Void>> accountTails = new HashMap<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile boolean halted;
    private volatile Throwable failure;
    private volatile Runnable afterCommit = () -> { };
    private volatile WorkerMonitor monitor = WorkerMonitor.unobserved();
    private final PatientTransactions transactions;
    /**
     * A transaction was begun and has not ended (committed or aborted): set when an error left it so. No other may
     * begin until its producer is replaced; in particular not in the rebalance listener while the worker stops.
     */
    private boolean transactionUnfinished;
    /** Epochs of the partitions this worker owns now; a request whose epoch is gone belongs to another owner. */
    private final Set<Long> liveEpochs = ConcurrentHashMap.newKeySet();
    private long epochs;

    /**
     * @param producer     a transactional producer, its {@code initTransactions} done (before the attempt log was
     *                     read, so a predecessor's open transaction is aborted and no longer hides anything)
     * @param onAssignment runs before new partitions are worked on (the attempt log catches up)
     */
    public RechargeWorker(Consumer<String, byte[]> consumer, Producer<String, byte[]> producer,
                          RechargeProcessor processor, RequestCheck requestCheck, KafkaAttemptStore attempts,
                          Runnable onAssignment, int maxInFlight,
                          Duration reconcileInterval, Duration settlementPollInterval, Duration shutdownTimeout,
                          Clock clock) {
        this(consumer, producer, null, processor, requestCheck, attempts, onAssignment, maxInFlight,
                reconcileInterval, settlementPollInterval, shutdownTimeout, clock);
    }

    /**
     * @param newProducer makes a transactional producer with the same {@code transactional.id} (the worker calls its
     *                    {@code initTransactions}), to replace one the transaction coordinator fenced;
     *                    {@code null}: a fenced producer stops the worker
     */
    public RechargeWorker(Consumer<String, byte[]> consumer, Producer<String, byte[]> producer,
                          Supplier<Producer<String, byte[]>> newProducer,
                          RechargeProcessor processor, RequestCheck requestCheck, KafkaAttemptStore attempts,
                          Runnable onAssignment, int maxInFlight,
                          Duration reconcileInterval, Duration settlementPollInterval, Duration shutdownTimeout,
                          Clock clock) {
        this.consumer = consumer;
        this.producer = producer;
        this.newProducer = newProducer;
        this.processor = processor;
        this.requestCheck = requestCheck;
        this.attempts = attempts;
        this.onAssignment = onAssignment;
        this.maxInFlight = maxInFlight;
        this.reconcileInterval = reconcileInterval;
        this.settlements = new SettlementPolls(settlementPollInterval.toMillis());
        this.shutdownTimeout = shutdownTimeout;
        this.clock = clock;
        this.transactions = new PatientTransactions(() -> running, clock);
        this.pool = Executors.newFixedThreadPool(maxInFlight, runnable -> {
            Thread thread = new Thread(runnable, "recharge-" + Integer.toHexString(runnable.hashCode()));
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(Topics.RECHARGE_REQUESTS.name()), new Rebalance());
            while (running) {
                for (ConsumerRecord<String, byte[]> record : poll()) {
                    dispatch(record);
                }
                pollSettlements();
                commitFinished();
                applyBackPressure();
            }
            if (!halted) {
                drainInFlight();
            }
            if (failure != null && !halted) {
                throw new IllegalStateException("a recharge request failed unexpectedly; unfinished requests will "
                        + "be redelivered", failure);
            }
        } catch (RuntimeException e) {
            if (!halted) {
                log.error("recharge worker stopped by an error; unfinished requests will be redelivered", e);
                throw e;
            }
        } finally {
            pool.shutdownNow();
            if (!halted) {
                consumer.close();
                producer.close(Duration.ofSeconds(10));
            }
            monitor.stopped();
            stopped.countDown();
        }
    }

    /** Stops polling, lets requests in flight finish (up to the shutdown timeout), commits them, and closes. */
    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        awaitStopped();
    }

    /**
     * Stops at once, as a crash would: nothing more is committed and the clients are closed without a flush.
     * For tests and fault drills.
     */
    public void halt() {
        halted = true;
        running = false;
        pool.shutdownNow();
        producer.close(Duration.ZERO);
        consumer.wakeup();
        awaitStopped();
        consumer.close(Duration.ZERO);
    }

    /**
     * For tests and fault drills: runs on the poll thread right after each transaction that carried results has
     * committed. A hook that throws stops the worker at that point, as a crash would.
     */
    public void afterEachCommit(Runnable hook) {
        this.afterCommit = hook;
    }

    /** Where readiness, the open requests and their outcomes are reported; set before {@link #run()}. */
    public void monitor(WorkerMonitor workerMonitor) {
        this.monitor = workerMonitor;
        workerMonitor.awaitingSettlement(settlements::size);
        workerMonitor.transactionsBlocked(transactions::blockedReason);
    }

    private void awaitStopped() {
        try {
            stopped.await(shutdownTimeout.toMillis() + 10_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Iterable<ConsumerRecord<String, byte[]>> poll() {
        try {
            return consumer.poll(POLL);
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
            return List.of();
        }
    }

    private void dispatch(ConsumerRecord<String, byte[]> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        PartitionProgress tracking = progress.computeIfAbsent(partition, p -> {
            PartitionProgress fresh = new PartitionProgress(++epochs,
                    finishedBefore.getOrDefault(p, FinishedBeyond.none(-1)));
            liveEpochs.add(fresh.epoch());
            return fresh;
        });
        tracking.open(record.offset());
        if (tracking.finishedBefore(record.offset())) {
            log.info("recharge request already finished and published, skipped partition={} offset={}", partition,
                    record.offset());
            tracking.close(record.offset());
            return;
        }
        monitor.started(partition, record.offset());
        long epoch = tracking.epoch();
        String account = record.key() == null ? "" : record.key();
        // an account's next request starts only once this one's result is committed and its attempts are
        // marked completed, so a duplicate of it finds it completed instead of publishing its result again
        CompletableFuture<Void> committed = new CompletableFuture<>();
        CompletableFuture<Void> tail = accountTails.getOrDefault(account, CompletableFuture.completedFuture(null));
        tail.thenComposeAsync(ignored -> handle(record, epoch), pool)
                .thenAccept(outputs -> completions.add(
                        new Completion(partition, epoch, record.offset(), outputs, committed)))
                .exceptionally(error -> {
                    if (!halted) {
                        log.error("request failed unexpectedly partition={} offset={}; stopping so that it is "
                                + "redelivered", partition, record.offset(), error);
                        failure = error;
                        running = false;
                    }
                    committed.complete(null);
                    return null;
                });
        accountTails.put(account, committed);
        committed.whenComplete((ignored, error) -> completions.add(Completion.tailDone(account, committed)));
    }

    /**
     * Works one request to an end; a held request is tried again after the reconcile interval. Work stops once
     * the partition is revoked: the next owner resumes the request from its attempts.
     */
    private CompletableFuture<Outputs> handle(ConsumerRecord<String, byte[]> record, long epoch) {
        if (!liveEpochs.contains(epoch)) {
            return CompletableFuture.completedFuture(null);
        }
        RechargeRequest request;
        try {
            request = Topics.RECHARGE_REQUESTS.valueSerde().deserializer().deserialize(record.topic(), record.value());
        } catch (SerializationException e) {
            return CompletableFuture.completedFuture(undecodable(record, e.getMessage()));
        }
        if (request == null) {
            return CompletableFuture.completedFuture(undecodable(record, "a recharge request without a value"));
        }
        Optional<RequestRefusal> refusal = requestCheck.check(record.key(), request);
        if (refusal.isPresent() && !alreadyAtTheGateway(request)) {
            return CompletableFuture.completedFuture(refused(record, request, refusal.get()));
        }
        try {
            RechargeProcessor.Result result = processor.process(request);
            if (result instanceof RechargeProcessor.Result.Held held) {
                log.warn("recharge held requestId='{}' paymentMethod='{}': {}; checking again in {}",
                        request.getRequestId(), held.paymentMethodId(), held.reason(), reconcileInterval);
                return CompletableFuture.supplyAsync(() -> record, CompletableFuture.delayedExecutor(
                        reconcileInterval.toMillis(), TimeUnit.MILLISECONDS, pool))
                        .thenCompose(again -> handle(again, epoch));
            }
            return CompletableFuture.completedFuture(outputs(request, result, record.partition()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Whether the request went to the gateway before (a worker without these checks took it): its charge may have
     * happened, so it is finished from its attempts like any other, never refused half-way.
     */
    private boolean alreadyAtTheGateway(RechargeRequest request) {
        return attempts.find(request.getRequestId()).map(entry -> !entry.attempts().isEmpty()).orElse(false);
    }

    private Outputs outputs(RechargeRequest request, RechargeProcessor.Result result, int partition) {
        long now = clock.millis();
        if (result instanceof RechargeProcessor.Result.Processing processing) {
            log.info("bank debit processing, request parked requestId='{}' account='{}' paymentMethod='{}' "
                    + "amountCents={}", request.getRequestId(), request.getAccountId(), processing.paymentMethodId(),
                    request.getAmountCents());
            monitor.outcome("PROCESSING");
            BillingNotification notice = RechargeOutputs.processing(request, processing.paymentMethodId(), now);
            return new Outputs(request.getRequestId(), List.of(record(Topics.BILLING_NOTIFICATIONS.name(),
                    request.getAccountId(), Topics.BILLING_NOTIFICATIONS.valueSerde().serializer()
                            .serialize(Topics.BILLING_NOTIFICATIONS.name(), notice))), null,
                    processing.entry().parked(request, partition));
        }
        if (result instanceof RechargeProcessor.Result.AlreadyParked) {
            log.info("recharge request already parked while its bank debit settles, nothing to do requestId='{}'",
                    request.getRequestId());
            monitor.outcome("ALREADY_PARKED");
            return new Outputs(request.getRequestId(), List.of(), null);
        }
        if (result instanceof RechargeProcessor.Result.Finished finished) {
            log.info("recharge finished requestId='{}' account='{}' status={} amountCents={}",
                    request.getRequestId(), request.getAccountId(), finished.finish().status(),
                    request.getAmountCents());
            monitor.outcome(finished.finish().status().name());
            return new Outputs(request.getRequestId(), records(request.getAccountId(),
                    RechargeOutputs.of(request, finished.finish(), now)),
                    finished.entry().completed(finished.finish().status().name()));
        }
        if (result instanceof RechargeProcessor.Result.Refused refused) {
            log.error("recharge refused requestId='{}' account='{}': {}", request.getRequestId(),
                    request.getAccountId(), refused.reason());
            monitor.outcome("REFUSED");
            return new Outputs(request.getRequestId(), records(request.getAccountId(),
                    RechargeOutputs.of(request, refused.finish(), now)), null);
        }
        RechargeProcessor.Result.AlreadyCompleted done = (RechargeProcessor.Result.AlreadyCompleted) result;
        log.info("recharge already completed, nothing to do requestId='{}' status={}", request.getRequestId(),
                done.status());
        monitor.outcome("ALREADY_COMPLETED");
        return new Outputs(request.getRequestId(), List.of(), null);
    }

    private static List<ProducerRecord<String, byte[]>> records(String accountId, RechargeOutputs outputs) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        records.add(record(Topics.PAYMENT_RESULTS.name(), accountId,
                Topics.PAYMENT_RESULTS.valueSerde().serializer().serialize(Topics.PAYMENT_RESULTS.name(),
                        outputs.result())));
        outputs.receipt().ifPresent(receipt -> records.add(record(Topics.RECEIPTS.name(), accountId,
                Topics.RECEIPTS.valueSerde().serializer().serialize(Topics.RECEIPTS.name(), receipt))));
        outputs.notifications().forEach(notice -> records.add(record(Topics.BILLING_NOTIFICATIONS.name(), accountId,
                Topics.BILLING_NOTIFICATIONS.valueSerde().serializer()
                        .serialize(Topics.BILLING_NOTIFICATIONS.name(), notice))));
        return records;
    }

    private static ProducerRecord<String, byte[]> record(String topic, String key, byte[] value) {
        return new ProducerRecord<>(topic, key, value);
    }

    private Outputs undecodable(ConsumerRecord<String, byte[]> record, String reason) {
        log.error("undecodable recharge request parked partition={} offset={}: {}", record.partition(),
                record.offset(), reason);
        monitor.outcome("UNDECODABLE");
        return new Outputs(null, List.of(deadLetter(record, "UNDECODABLE", reason)), null);
    }

    /**
     * A request refused before the gateway: dead-lettered with the reason, nothing charged; answered with a FAILED
     * result when its ids allow, so the account's pending recharge is released instead of waiting for ever.
     */
    private Outputs refused(ConsumerRecord<String, byte[]> record, RechargeRequest request, RequestRefusal refusal) {
        boolean answerable = RequestCheck.answerable(record.key(), request);
        log.error("recharge request refused before the gateway partition={} offset={} requestId='{}' reason={} "
                + "answeredFailed={}: {}", record.partition(), record.offset(), shorten(request.getRequestId()),
                refusal.reason(), answerable, refusal.detail());
        monitor.outcome("REFUSED_BEFORE_GATEWAY");
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        records.add(deadLetter(record, refusal.reason().name(), refusal.detail()));
        if (answerable) {
            records.addAll(records(request.getAccountId(), RechargeOutputs.of(request,
                    new Step.Finish(Step.Status.FAILED, null, null, List.of()), clock.millis())));
        }
        return new Outputs(shorten(request.getRequestId()), records, null);
    }

    /**
     * The request as received, with the reason in headers; its key is the account id as received. A record too
     * large to copy with the headers (it was already near the limit) goes without its value and headers: the
     * source header says where to read it.
     */
    private ProducerRecord<String, byte[]> deadLetter(ConsumerRecord<String, byte[]> record, String reason,
                                                      String detail) {
        String source = record.topic() + "/" + record.partition() + "/" + record.offset();
        boolean fits = record.serializedKeySize() + record.serializedValueSize() + headerBytes(record)
                + detail.length() + source.length() < requestCheck.recordBudget();
        RecordHeaders headers = fits ? new RecordHeaders(record.headers().toArray()) : new RecordHeaders();
        headers.add(Topics.REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(Topics.DETAIL_HEADER, detail.getBytes(StandardCharsets.UTF_8));
        headers.add("meterflow.source", source.getBytes(StandardCharsets.UTF_8));
        if (!fits) {
            headers.add("meterflow.omitted", ("the value (" + record.serializedValueSize() + " bytes) and headers: "
                    + "too large to copy; read them at meterflow.source").getBytes(StandardCharsets.UTF_8));
        }
        String key = fits || record.serializedKeySize() <= RequestCheck.MAX_ID_LENGTH ? record.key() : null;
        return new ProducerRecord<>(Topics.RECHARGE_REQUESTS_DLQ.name(), null, key, fits ? record.value() : null,
                headers);
    }

    private static int headerBytes(ConsumerRecord<String, byte[]> record) {
        int bytes = 0;
        for (var header : record.headers()) {
            bytes += header.key().length() + (header.value() == null ? 0 : header.value().length);
        }
        return bytes;
    }

    private static String shorten(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }

    /**
     * Commits, in one transaction, the outputs of finished requests, their completion marks on the attempt log and
     * the offsets they free: a request is published and marked completed together, or neither.
     */
    private void commitFinished() {
        if (transactionUnfinished) {
            // the worker is stopping on the error that left it open: the producer refuses a new one, and the
            // transaction coordinator ends the open one; the requests are read again by the next owner
            log.warn("not committing finished requests: the worker's last transaction did not end");
            return;
        }
        List<Completion> done = new ArrayList<>();
        completions.drainTo(done);
        List<ProducerRecord<String, byte[]>> outputs = new ArrayList<>();
        List<AttemptLogEntry> marked = new ArrayList<>();
        List<Completion> published = new ArrayList<>();
        List<AttemptLogEntry> parkedNow = new ArrayList<>();
        List<CompletableFuture<Void>> toRelease = new ArrayList<>();
        for (Completion completion : done) {
            if (completion.tailOf() != null) {
                accountTails.remove(completion.tailOf(), completion.tail());
                continue;
            }
            toRelease.add(completion.tail());
            PartitionProgress tracking = progress.get(completion.partition());
            if (tracking == null || tracking.epoch() != completion.epoch() || completion.outputs() == null) {
                continue;
            }
            tracking.close(completion.offset());
            monitor.finished(completion.partition(), completion.offset());
            outputs.addAll(completion.outputs().records());
            if (!completion.outputs().records().isEmpty()) {
                published.add(completion);
            }
            if (completion.outputs().markCompleted() != null) {
                marked.add(completion.outputs().markCompleted());
                outputs.add(attempts.completionRecord(completion.outputs().markCompleted()));
            }
            if (completion.outputs().markParked() != null) {
                parkedNow.add(completion.outputs().markParked());
                outputs.add(attempts.parkingRecord(completion.outputs().markParked()));
            }
        }
        List<SettlementPolls.Parked> settledNow = takeSettled(outputs, marked);
        Map<TopicPartition, Commit> commits = new HashMap<>();
        progress.forEach((partition, tracking) -> tracking.committable(positionIfAssigned(partition))
                .ifPresent(commit -> commits.put(partition, commit)));
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        commits.forEach((partition, commit) -> offsets.put(partition,
                new OffsetAndMetadata(commit.offset(), commit.metadata())));
        // a settled result carries no offset of its own; its partition's current one goes with it, so a worker
        // that lost the partition without knowing yet is refused by the group coordinator instead of publishing
        settledNow.forEach(parked -> fencingOffset(parked.partition()).ifPresent(
                offset -> offsets.putIfAbsent(parked.partition(), offset)));
        if (outputs.isEmpty() && offsets.isEmpty()) {
            settledNow.forEach(settlements::done);
            toRelease.forEach(committed -> committed.complete(null));
            return;
        }
        if (!publish(outputs, offsets)) {
            toRelease.forEach(committed -> committed.complete(null));
            return;
        }
        long now = clock.millis();
        parkedNow.forEach(parked -> {
            attempts.committed(parked);
            settlements.add(parked.parkedRequest(), new TopicPartition(Topics.RECHARGE_REQUESTS.name(),
                    parked.parkedPartition()), now + 1);
        });
        settledNow.forEach(settlements::done);
        published.forEach(completion -> log.info("recharge outputs published requestId='{}' partition={} offset={}",
                completion.outputs().requestId(), completion.partition().partition(), completion.offset()));
        if (!outputs.isEmpty()) {
            afterCommit.run();
        }
        commits.forEach((partition, commit) -> progress.get(partition).committed(commit));
        marked.forEach(attempts::committed);
        toRelease.forEach(committed -> committed.complete(null));
    }

    /**
     * One transaction: the outputs, the offsets they free, the commit, which is called again for as long as it times
     * out ({@link PatientTransactions}). Returns {@code false} when the transaction was aborted instead and the
     * partitions are read again from their committed offsets: the group coordinator refused the offsets, the producer
     * was fenced, or a write timed out while the broker was away. The requests it held are then done again from the
     * attempt log, with the same idempotency keys. Any other error is thrown, and stops the worker.
     */
    private boolean publish(List<ProducerRecord<String, byte[]>> outputs,
                            Map<TopicPartition, OffsetAndMetadata> offsets) {
        try {
            producer.beginTransaction();
            transactionUnfinished = true;
            outputs.forEach(producer::send);
            if (!offsets.isEmpty()) {
                producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            }
            transactions.commit(producer);
            transactionUnfinished = false;
            return true;
        } catch (CommitFailedException | RebalanceInProgressException e) {
            rewindAfterRefusedCommit(e);
        } catch (KafkaException e) {
            if (fenced(e)) {
                replaceFenced(e);
            } else if (timedOut(e)) {
                abortAfterTimeout(e);
            } else {
                throw e;
            }
        }
        return false;
    }

    /**
     * The polls of parked requests that came back: a settled one's outputs and completion mark join this
     * transaction; one still processing (or held) is polled again later. Returns the settled ones still this
     * worker's, to stop polling once the transaction committed.
     */
    private List<SettlementPolls.Parked> takeSettled(List<ProducerRecord<String, byte[]>> outputs,
                                                      List<AttemptLogEntry> marked) {
        List<Settled> done = new ArrayList<>();
        settled.drainTo(done);
        List<SettlementPolls.Parked> settledNow = new ArrayList<>();
        long now = clock.millis();
        for (Settled poll : done) {
            if (!settlements.isCurrent(poll.parked())) {
                continue;
            }
            if (poll.outputs() == null) {
                settlements.pollAgain(poll.parked(), now, poll.held() ? reconcileInterval.toMillis() : 0);
                continue;
            }
            outputs.addAll(poll.outputs().records());
            if (poll.outputs().markCompleted() != null) {
                marked.add(poll.outputs().markCompleted());
                outputs.add(attempts.completionRecord(poll.outputs().markCompleted()));
            }
            settledNow.add(poll.parked());
        }
        return settledNow;
    }

    /** The offset this worker last committed on the partition, to commit again as proof it still owns it. */
    private Optional<OffsetAndMetadata> fencingOffset(TopicPartition partition) {
        PartitionProgress tracking = progress.get(partition);
        Optional<Commit> last = tracking == null ? Optional.empty() : tracking.lastCommitted();
        if (last.isEmpty() && finishedBefore.containsKey(partition)) {
            FinishedBeyond inherited = finishedBefore.get(partition);
            last = Optional.of(new Commit(inherited.committedOffset(), inherited.encode()));
        }
        return last.map(commit -> new OffsetAndMetadata(commit.offset(), commit.metadata()));
    }

    /** Asks the gateway about every parked request whose poll is due, on the pool. */
    private void pollSettlements() {
        for (SettlementPolls.Parked parked : settlements.takeDue(clock.millis())) {
            CompletableFuture.supplyAsync(() -> settle(parked), pool).whenComplete((poll, error) -> {
                if (error != null) {
                    log.error("settlement poll failed requestId='{}'; it is polled again",
                            parked.request().getRequestId(), error);
                }
                settled.add(error == null ? poll : new Settled(parked, null, false));
            });
        }
    }

    private Settled settle(SettlementPolls.Parked parked) {
        RechargeRequest request = parked.request();
        try {
            RechargeProcessor.Result result = processor.settle(request);
            if (result instanceof RechargeProcessor.Result.Processing) {
                return new Settled(parked, null, false);
            }
            if (result instanceof RechargeProcessor.Result.Held held) {
                log.warn("parked request held requestId='{}' paymentMethod='{}': {}; checking again in {}",
                        request.getRequestId(), held.paymentMethodId(), held.reason(), reconcileInterval);
                return new Settled(parked, null, true);
            }
            return new Settled(parked, outputs(request, result, parked.partition().partition()), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Settled(parked, null, false);
        }
    }

    /**
     * Polls the parked requests of newly assigned partitions, from the attempt log just caught up: a request parked
     * by this worker's predecessor (or by itself before a crash) is settled here, never charged again.
     */
    private void resumeParked(Set<TopicPartition> assigned) {
        long now = clock.millis();
        for (AttemptLogEntry entry : attempts.parked()) {
            TopicPartition partition = new TopicPartition(Topics.RECHARGE_REQUESTS.name(), entry.parkedPartition());
            if (assigned.contains(partition)) {
                settlements.add(entry.parkedRequest(), partition, now);
            }
        }
    }

    /**
     * The group coordinator refused this member's offsets: after a broker restart it no longer knows the member,
     * or a rebalance is under way. The results of this transaction are aborted, not lost: the requests are read
     * again from the committed offsets (by this worker once it has rejoined, or by the partition's next owner)
     * and finish from their attempt log, with the same idempotency keys, so nothing is charged twice.
     */
    private void rewindAfterRefusedCommit(RuntimeException refusal) {
        log.warn("the group coordinator refused the commit ({}); aborting it and reading the uncommitted requests "
                + "again from the committed offsets", refusal.getMessage());
        transactions.abort(producer);
        transactionUnfinished = false;
        rewindToCommittedOffsets("the group coordinator refused this member's offsets");
    }

    /**
     * A write of the transaction timed out while the broker was away: offsets not acknowledged within
     * {@code max.block.ms}, or a send that expired, after which the producer can only abort. The abort waits for the
     * broker like a commit; then the partitions are read again from their committed offsets, as after a refused
     * commit. An abort that fences the producer replaces it; one the producer refuses otherwise stops the worker.
     */
    private void abortAfterTimeout(KafkaException timeout) {
        log.warn("a transaction timed out waiting for the broker ({}); aborting it and reading the uncommitted "
                + "requests again from the committed offsets", timeout.getMessage());
        try {
            transactions.abort(producer);
        } catch (KafkaException e) {
            if (!fenced(e)) {
                e.addSuppressed(timeout);
                throw e;
            }
            replaceFenced(e);
            return;
        }
        transactionUnfinished = false;
        rewindToCommittedOffsets("a transaction timed out and was aborted");
    }

    /**
     * Forgets what is in flight and reads the assigned partitions again from their committed offsets: what the
     * aborted transaction held is done again from the attempt log, with the same idempotency keys.
     */
    private void rewindToCommittedOffsets(String why) {
        Set<TopicPartition> assigned = consumer.assignment();
        forget(List.copyOf(progress.keySet()));
        Map<TopicPartition, OffsetAndMetadata> committed;
        try {
            committed = transactions.read(() -> consumer.committed(assigned), "committed offsets");
        } catch (KafkaException e) {
            throw new IllegalStateException("cannot read the committed offsets to go back to after a refused commit; "
                    + "stopping, the uncommitted requests are redelivered", e);
        }
        rememberFinishedBefore(assigned, committed);
        List<TopicPartition> fromTheStart = new ArrayList<>();
        for (TopicPartition partition : assigned) {
            OffsetAndMetadata offset = committed.get(partition);
            if (offset == null) {
                fromTheStart.add(partition);
            } else {
                consumer.seek(partition, offset);
            }
        }
        if (!fromTheStart.isEmpty()) {
            consumer.seekToBeginning(fromTheStart); // an empty collection would mean every assigned partition
        }
        // rejoin now rather than at the next heartbeat: until then every commit would be refused again
        consumer.enforceRebalance(why);
    }

    /**
     * The transaction coordinator fenced this worker's producer. After a broker outage longer than
     * {@code transaction.timeout.ms} it aborts the transaction that was open (its epoch bumped), and the producer's
     * next call fails with {@code ProducerFencedException} or {@code InvalidProducerEpochException}: fatal for that
     * producer, not for the worker. A new producer with the same {@code transactional.id} takes over
     * ({@code initTransactions} aborts whatever was left open), and the partitions are read again from their
     * committed offsets, as after a refused commit, so nothing is published twice or lost. A worker fenced again
     * and again has a live twin with its {@code transactional.id}: it stops rather than take turns fencing it.
     */
    private void replaceFenced(KafkaException fencing) {
        long now = clock.millis();
        fencedAt.addLast(now);
        while (!fencedAt.isEmpty() && fencedAt.peekFirst() < now - FENCED_WINDOW.toMillis()) {
            fencedAt.removeFirst();
        }
        if (newProducer == null) {
            throw new IllegalStateException("the producer was fenced and this worker has none to replace it", fencing);
        }
        if (fencedAt.size() > MAX_FENCED) {
            throw new IllegalStateException("the producer was fenced " + fencedAt.size() + " times within "
                    + FENCED_WINDOW + ": is another worker running with this transactional.id?", fencing);
        }
        log.warn("the transaction coordinator fenced this worker's producer ({}); replacing it and reading the "
                + "uncommitted requests again from the committed offsets", fencing.getMessage());
        producer.close(Duration.ZERO);
        Producer<String, byte[]> replacement = newProducer.get();
        try {
            transactions.init(replacement);
        } catch (RuntimeException e) {
            replacement.close(Duration.ZERO);
            throw e;
        }
        producer = replacement;
        transactionUnfinished = false;
        rewindToCommittedOffsets("the producer was fenced and replaced");
    }

    private static boolean fenced(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof ProducerFencedException || cause instanceof InvalidProducerEpochException) {
                return true;
            }
        }
        return false;
    }

    /** Whether the broker's absence is the cause: a call or a send that timed out (see {@link #publish}). */
    private static boolean timedOut(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** Keeps what each committed offset's metadata says finished behind it, to skip those requests. */
    private void rememberFinishedBefore(Set<TopicPartition> partitions,
                                        Map<TopicPartition, OffsetAndMetadata> committed) {
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata offset = committed.get(partition);
            if (offset == null) {
                finishedBefore.remove(partition);
                continue;
            }
            try {
                finishedBefore.put(partition, FinishedBeyond.decode(offset.offset(), offset.metadata()));
            } catch (IllegalArgumentException e) {
                // not written by this worker's rules: the requests behind the offset run again from their attempts
                log.error("committed offset metadata not understood partition={} offset={}: {}", partition,
                        offset.offset(), e.getMessage());
                finishedBefore.remove(partition);
            }
        }
    }

    /**
     * A request in the middle of a gateway call finishes that call (its attempts are on record) and its result is
     * dropped; requests not started yet, and held ones, stop.
     */
    private void forget(Collection<TopicPartition> partitions) {
        settlements.forget(partitions);
        for (TopicPartition partition : partitions) {
            finishedBefore.remove(partition);
            monitor.forgot(partition);
            PartitionProgress tracking = progress.remove(partition);
            if (tracking != null) {
                liveEpochs.remove(tracking.epoch());
                if (tracking.openCount() > 0) {
                    log.info("partition given up partition={} requestsInFlight={}; they are read again", partition,
                            tracking.openCount());
                }
            }
        }
    }

    /**
     * Where the consumer stands on a partition, or -1 if it is not assigned. Past the last record it handed out
     * there can be transaction markers (the topology writes requests in transactions): committing the position,
     * not the last record + 1, moves the group's offset past them, so a caught-up worker shows a lag of 0.
     */
    private long positionIfAssigned(TopicPartition partition) {
        return consumer.assignment().contains(partition) ? consumer.position(partition) : -1;
    }

    private void applyBackPressure() {
        long open = progress.values().stream().mapToLong(PartitionProgress::openCount).sum();
        if (open >= maxInFlight) {
            consumer.pause(consumer.assignment());
        } else if (!consumer.paused().isEmpty()) {
            consumer.resume(consumer.paused());
        }
    }

    private void drainInFlight() {
        long deadline = System.nanoTime() + shutdownTimeout.toNanos();
        while (progress.values().stream().anyMatch(p -> p.openCount() > 0) && System.nanoTime() < deadline) {
            try {
                Completion next = completions.poll(POLL.toMillis(), TimeUnit.MILLISECONDS);
                if (next != null) {
                    completions.add(next);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            commitFinished();
        }
        commitFinished();
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (halted) {
                return;
            }
            commitFinished();
            forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            monitor.left();
            forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                onAssignment.run();
                Set<TopicPartition> assigned = Set.copyOf(partitions);
                resumeParked(assigned);
                try {
                    rememberFinishedBefore(assigned, consumer.committed(assigned));
                } catch (KafkaException e) {
                    throw new IllegalStateException("cannot read the committed offsets of the assigned partitions "
                            + assigned + "; stopping, the uncommitted requests are redelivered", e);
                }
            }
            monitor.joined();
        }
    }

    /**
     * What a finished request writes, and the attempt log entry to mark completed in the same transaction.
     *
     * @param requestId the request's id, {@code null} for an undecodable record
     */
    private record Outputs(String requestId, List<ProducerRecord<String, byte[]>> records,
                           AttemptLogEntry markCompleted, AttemptLogEntry markParked) {
        Outputs(String requestId, List<ProducerRecord<String, byte[]>> records, AttemptLogEntry markCompleted) {
            this(requestId, records, markCompleted, null);
        }
    }

    /**
     * A poll of a parked request came back: the outputs of its settled result ({@code null} while it is still
     * processing), or {@code held} when a later method's outcome is unknown.
     */
    private record Settled(SettlementPolls.Parked parked, Outputs outputs, boolean held) {
    }

    /**
     * A finished request, with the future that releases its account's next request once it is committed (or
     * the end of an account's chain, to forget it).
     */
    private record Completion(TopicPartition partition, long epoch, long offset, Outputs outputs, String tailOf,
                              CompletableFuture<Void> tail) {
        Completion(TopicPartition partition, long epoch, long offset, Outputs outputs,
                   CompletableFuture<Void> committed) {
            this(partition, epoch, offset, outputs, null, committed);
        }

        static Completion tailDone(String account, CompletableFuture<Void> tail) {
            return new Completion(null, 0, 0, null, account, tail);
        }
    }
}
