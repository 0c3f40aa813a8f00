package dev.meterflow.local.deadletter;

import dev.meterflow.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * One record of a dead letter queue, read back: where it is, why it is there and where it came from, from
 * either header set a DLQ holds: Kafka Streams' ({@code __streams.errors.*}) on {@code metering-dlq}, or
 * Meterflow's ({@value Topics#REASON_HEADER}, {@value Topics#DETAIL_HEADER}, {@value #SOURCE_HEADER}).
 *
 * @param source where the record was read from, or {@code null} when no header says
 */
public record DeadLetter(Location location, String reason, String detail, Location source, byte[] key,
                         byte[] value, Headers headers) {

    /**
     * Where the record was first read: {@code topic/partition/offset} (the recharge worker's DLQ) or
     * {@code topic-partition@offset} (the metering app's references and refused global records).
     */
    public static final String SOURCE_HEADER = "meterflow.source";
    /** On a re-published record: the dead letter it was taken from. */
    public static final String REPUBLISHED_FROM_HEADER = "meterflow.republished-from";
    private static final String STREAMS_PREFIX = "__streams.errors.";

    /** A record of a topic: {@code topic-partition@offset}. */
    public record Location(String topic, int partition, long offset) {

        /** Parses {@code topic-partition@offset}; the topic may itself hold dashes. */
        public static Location parse(String text) {
            int at = text.lastIndexOf('@');
            int dash = at < 0 ? -1 : text.lastIndexOf('-', at);
            if (dash <= 0) {
                throw new IllegalArgumentException("'" + text + "' is not topic-partition@offset");
            }
            try {
                return new Location(text.substring(0, dash), Integer.parseInt(text.substring(dash + 1, at)),
                        Long.parseLong(text.substring(at + 1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not topic-partition@offset");
            }
        }

        @Override
        public String toString() {
            return topic + "-" + partition + "@" + offset;
        }
    }

    /** Reads the reason, detail and source from the headers; a record without them is {@code UNKNOWN}. */
    public static DeadLetter of(Location location, byte[] key, byte[] value, Headers headers) {
        String reason = text(headers, Topics.REASON_HEADER)
                .or(() -> text(headers, STREAMS_PREFIX + "exception").map(DeadLetter::simpleName))
                .orElse("UNKNOWN");
        String detail = text(headers, Topics.DETAIL_HEADER)
                .or(() -> text(headers, STREAMS_PREFIX + "message")).orElse("");
        return new DeadLetter(location, reason, detail, source(headers), key, value, headers);
    }

    /** The headers a re-published copy carries: the original ones, without the diagnosis, plus where it came from. */
    public Headers republishedHeaders() {
        RecordHeaders copy = new RecordHeaders();
        for (Header header : headers) {
            String name = header.key();
            boolean diagnosis = name.startsWith(STREAMS_PREFIX) || List.of(Topics.REASON_HEADER, Topics.DETAIL_HEADER,
                    SOURCE_HEADER, REPUBLISHED_FROM_HEADER).contains(name);
            if (!diagnosis) {
                copy.add(header);
            }
        }
        copy.add(REPUBLISHED_FROM_HEADER, location.toString().getBytes(StandardCharsets.UTF_8));
        return copy;
    }

    public String keyText() {
        return key == null ? "null" : new String(key, StandardCharsets.UTF_8);
    }

    private static Location source(Headers headers) {
        Optional<String> meterflow = text(headers, SOURCE_HEADER);
        if (meterflow.isPresent()) {
            String[] parts = meterflow.get().split("/");
            if (parts.length == 3) {
                return location(parts[0], parts[1], parts[2]);
            }
            // the metering app names its source topic-partition@offset (a reference, a refused global record)
            try {
                return Location.parse(meterflow.get());
            } catch (IllegalArgumentException e) {
                // neither form: the Kafka Streams headers may still say
            }
        }
        Optional<String> topic = text(headers, STREAMS_PREFIX + "topic");
        Optional<String> partition = text(headers, STREAMS_PREFIX + "partition");
        Optional<String> offset = text(headers, STREAMS_PREFIX + "offset");
        if (topic.isPresent() && partition.isPresent() && offset.isPresent()) {
            return location(topic.get(), partition.get(), offset.get());
        }
        return null;
    }

    private static Location location(String topic, String partition, String offset) {
        try {
            return new Location(topic, Integer.parseInt(partition.strip()), Long.parseLong(offset.strip()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Optional<String> text(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? Optional.empty()
                : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }
}
