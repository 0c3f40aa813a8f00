package dev.meterflow.worker;

import dev.meterflow.schemas.RechargeRequest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;

/**
 * The parked requests this worker polls: bank debits that answered {@code processing} (issue 10 §2), parked in the
 * attempt log so the consumer's offset moved on. The owner of the {@code recharge-requests} partition a request was
 * read from polls it every interval until it settles; a partition given up drops its requests, and its next owner
 * takes them from the attempt log. Changed by the poll thread only.
 */
final class SettlementPolls {

    /**
     * One parked request. A poll's answer is applied only while its {@code Parked} is still the current one: after the
     * partition went away (and maybe came back), the answer belongs to nobody.
     */
    static final class Parked {
        private final RechargeRequest request;
        private final TopicPartition partition;
        private long dueAtMillis;
        private boolean polling;

        private Parked(RechargeRequest request, TopicPartition partition, long dueAtMillis) {
            this.request = request;
            this.partition = partition;
            this.dueAtMillis = dueAtMillis;
        }

        RechargeRequest request() {
            return request;
        }

        TopicPartition partition() {
            return partition;
        }
    }

    private final long intervalMillis;
    /** Concurrent only for {@link #size}, which the metrics scrape reads. */
    private final Map<String, Parked> byRequestId = new ConcurrentHashMap<>();

    SettlementPolls(long intervalMillis) {
        this.intervalMillis = intervalMillis;
    }

    /** Polls this request from {@code firstPollAtMillis} on, unless it is polled already. */
    void add(RechargeRequest request, TopicPartition partition, long firstPollAtMillis) {
        byRequestId.putIfAbsent(request.getRequestId(), new Parked(request, partition, firstPollAtMillis));
    }

    /** The requests whose poll is due and not running, now marked running. */
    List<Parked> takeDue(long nowMillis) {
        List<Parked> due = new ArrayList<>();
        for (Parked parked : byRequestId.values()) {
            if (!parked.polling && parked.dueAtMillis <= nowMillis) {
                parked.polling = true;
                due.add(parked);
            }
        }
        return due;
    }

    /** Whether a poll's answer still belongs to this worker. */
    boolean isCurrent(Parked parked) {
        return byRequestId.get(parked.request.getRequestId()) == parked;
    }

    /** Still processing at the bank: poll again after the interval (or {@code laterMillis}, if later). */
    void pollAgain(Parked parked, long nowMillis, long laterMillis) {
        parked.polling = false;
        parked.dueAtMillis = nowMillis + Math.max(intervalMillis, laterMillis);
    }

    /** Settled and its result committed (or nothing left to do): stop polling it. */
    void done(Parked parked) {
        byRequestId.remove(parked.request.getRequestId(), parked);
    }

    /** The partitions went to another worker: it polls their parked requests now. */
    void forget(Collection<TopicPartition> partitions) {
        byRequestId.values().removeIf(parked -> partitions.contains(parked.partition));
    }

    int size() {
        return byRequestId.size();
    }
}
