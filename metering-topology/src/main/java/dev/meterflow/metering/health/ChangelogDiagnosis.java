package dev.meterflow.metering.health;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeProducersResult.PartitionProducerState;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * What the broker says about changelog partitions whose restore stands still: the last stable offset beside the
 * end, and the transactions open on them. Under exactly-once a restore reads committed data up to the end; an open
 * transaction holds the last stable offset, and the restore, below it until the transaction ends (issue 17). The
 * operator can then abort a transaction that never ends ({@code kafka-transactions.sh abort}).
 */
public final class ChangelogDiagnosis {

    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);

    private final Supplier<Admin> admins;

    public ChangelogDiagnosis(Supplier<Admin> admins) {
        this.admins = admins;
    }

    /** One line per partition; never throws (a broker that cannot answer is said so). */
    public String describe(Collection<TopicPartition> changelogs) {
        if (changelogs.isEmpty()) {
            return "";
        }
        try (Admin admin = admins.get()) {
            Map<TopicPartition, Long> stable = offsets(admin, changelogs, IsolationLevel.READ_COMMITTED);
            Map<TopicPartition, Long> end = offsets(admin, changelogs, IsolationLevel.READ_UNCOMMITTED);
            Map<TopicPartition, PartitionProducerState> producers = admin.describeProducers(changelogs).all()
                    .get(ASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            List<String> lines = new ArrayList<>();
            for (TopicPartition changelog : changelogs) {
                lines.add(String.format("changelog=%s lastStableOffset=%d endOffset=%d openTransactions=[%s]",
                        changelog, stable.get(changelog), end.get(changelog),
                        openTransactions(producers.get(changelog))));
            }
            return String.join("; ", lines);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            return "the broker could not be asked about " + changelogs + ": " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while asking the broker about " + changelogs;
        }
    }

    private static Map<TopicPartition, Long> offsets(Admin admin, Collection<TopicPartition> partitions,
            IsolationLevel isolation) throws ExecutionException, InterruptedException, TimeoutException {
        return admin.listOffsets(partitions.stream().collect(Collectors.toMap(Function.identity(),
                        partition -> OffsetSpec.latest())), new ListOffsetsOptions(isolation)).all()
                .get(ASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().offset()));
    }

    private static String openTransactions(PartitionProducerState state) {
        if (state == null) {
            return "";
        }
        return state.activeProducers().stream()
                .filter(producer -> producer.currentTransactionStartOffset().isPresent())
                .map(ChangelogDiagnosis::describe)
                .collect(Collectors.joining(", "));
    }

    private static String describe(ProducerState producer) {
        return String.format("producerId=%d epoch=%d startOffset=%d lastWrite=%s", producer.producerId(),
                producer.producerEpoch(), producer.currentTransactionStartOffset().getAsLong(),
                Instant.ofEpochMilli(producer.lastTimestamp()));
    }
}
