package dev.meterflow.local.deadletter;

import dev.meterflow.local.deadletter.DeadLetter.Location;
import dev.meterflow.topics.TopicReader;
import dev.meterflow.topics.Topics;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Lists the dead letter queues ({@code metering-dlq}, {@code recharge-requests-dlq}) by reason, and re-publishes
 * chosen dead letters to the topic they were read from once the cause is fixed. Re-publishing twice is harmless
 * for usage and payment results: the topology debits an eventId, and applies a requestId's result, once.
 */
public final class DeadLetters {

    /** The queues, in the order they are listed. */
    public static final List<String> QUEUES = List.of(Topics.METERING_DLQ.name(), Topics.RECHARGE_REQUESTS_DLQ.name());

    private DeadLetters() {
    }

    /** Every record of every queue as it stands now (everything in a DLQ is there, committed or not). */
    public static List<DeadLetter> read(Properties kafkaClient) {
        Properties props = new Properties();
        props.putAll(kafkaClient);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        List<DeadLetter> letters = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            for (String queue : QUEUES) {
                TopicReader.readToEnd(consumer, queue, record -> letters.add(DeadLetter.of(
                        new Location(record.topic(), record.partition(), record.offset()), record.key(),
                        record.value(), record.headers())));
            }
        }
        return letters;
    }

    /** The dead letters chosen by location or reason; a chosen location that holds none is an error. */
    public static List<DeadLetter> choose(List<DeadLetter> letters, Collection<Location> locations,
                                          Collection<String> reasons) {
        List<Location> absent = locations.stream()
                .filter(location -> letters.stream().noneMatch(letter -> letter.location().equals(location)))
                .toList();
        if (!absent.isEmpty()) {
            throw new IllegalArgumentException("no dead letter at " + absent.stream().map(Location::toString)
                    .collect(Collectors.joining(", ")));
        }
        Predicate<DeadLetter> isChosen = letter -> locations.contains(letter.location())
                || reasons.contains(letter.reason());
        List<DeadLetter> chosen = letters.stream().filter(isChosen).toList();
        List<String> sourceless = chosen.stream().filter(letter -> letter.source() == null)
                .map(letter -> letter.location().toString()).toList();
        if (!sourceless.isEmpty()) {
            throw new IllegalArgumentException("cannot re-publish " + String.join(", ", sourceless)
                    + ": no header says which topic it was read from");
        }
        return chosen;
    }

    /** Sends each to its source topic with its key, value and headers, and waits until the broker has them all. */
    public static void republish(Properties kafkaClient, List<DeadLetter> letters) throws InterruptedException {
        Properties props = new Properties();
        props.putAll(kafkaClient);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        try (KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<Future<?>> sent = new ArrayList<>();
            for (DeadLetter letter : letters) {
                sent.add(producer.send(new ProducerRecord<>(letter.source().topic(), null, letter.key(),
                        letter.value(), letter.republishedHeaders())));
            }
            for (Future<?> send : sent) {
                send.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("re-publishing failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** Per queue: how many, by reason; then one line per dead letter. */
    public static void print(List<DeadLetter> letters, PrintStream out) {
        for (String queue : QUEUES) {
            List<DeadLetter> inQueue = letters.stream().filter(letter -> letter.location().topic().equals(queue))
                    .toList();
            out.printf("%s: %d records%n", queue, inQueue.size());
            Map<String, Long> byReason = inQueue.stream()
                    .collect(Collectors.groupingBy(DeadLetter::reason, TreeMap::new, Collectors.counting()));
            byReason.forEach((reason, count) -> out.printf("  reason=%s count=%d%n", reason, count));
            for (DeadLetter letter : inQueue) {
                out.printf("  %s reason=%s source=%s key='%s' bytes=%d detail='%s'%n", letter.location(),
                        letter.reason(), letter.source() == null ? "unknown" : letter.source(), letter.keyText(),
                        letter.value() == null ? 0 : letter.value().length, oneLine(letter.detail()));
            }
        }
    }

    private static String oneLine(String text) {
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
