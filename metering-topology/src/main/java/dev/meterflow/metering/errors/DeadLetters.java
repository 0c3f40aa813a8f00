package dev.meterflow.metering.errors;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Keeps every copy of a bad record that the topology writes (to {@code metering-dlq}, {@code usage-unpriced},
 * {@code payment-results-unmatched}, {@code account-settings-rejected}) below the producer's request size. A record
 * just under the broker's 1 MB limit plus the error headers would not fit (issue 16, item 2: the production error
 * was fatal and the offset never moved); such a copy is replaced by a reference to where the original still is,
 * with its hash and size, so the record is accounted for and its offset advances.
 */
public final class DeadLetters {

    /** Below the producer's default {@code max.request.size} (1 MiB) with room for the batch overhead. */
    public static final int MAX_COPY_BYTES = 900 * 1024;
    /** {@value #REFERENCE} on a copy that carries no key or value, only where the original is. */
    public static final String COPY_HEADER = "meterflow.copy";
    public static final String REFERENCE = "reference";
    public static final String SOURCE_HEADER = "meterflow.source";
    public static final String SHA256_HEADER = "meterflow.original-sha256";
    public static final String SIZE_HEADER = "meterflow.original-bytes";
    /** Headers of the original longer than this are cut: a stack trace says enough in 4 KiB. */
    static final int MAX_HEADER_BYTES = 4096;

    private DeadLetters() {
    }

    /** Bytes the copy occupies in a produce request, near enough: key, value and headers. */
    public static int size(byte[] key, byte[] value, Headers headers) {
        long size = length(key) + length(value);
        for (Header header : headers) {
            size += header.key().getBytes(StandardCharsets.UTF_8).length + length(header.value());
        }
        return (int) Math.min(Integer.MAX_VALUE, size);
    }

    public static boolean fits(byte[] key, byte[] value, Headers headers) {
        return size(key, value, headers) <= MAX_COPY_BYTES;
    }

    /**
     * The headers of a reference copy: the reason headers given (already bounded), where the original is
     * ({@code topic-partition@offset}), the SHA-256 and size of its value.
     */
    public static Headers referenceHeaders(Headers reason, String source, byte[] value) {
        Headers headers = new RecordHeaders();
        for (Header header : reason) {
            headers.add(header.key(), cut(header.value()));
        }
        headers.add(COPY_HEADER, bytes(REFERENCE));
        headers.add(SOURCE_HEADER, bytes(source));
        headers.add(SHA256_HEADER, bytes(sha256(value)));
        headers.add(SIZE_HEADER, bytes(Integer.toString(length(value))));
        return headers;
    }

    /** The original's headers, each cut to {@link #MAX_HEADER_BYTES}. */
    public static Headers bounded(Headers original) {
        Headers headers = new RecordHeaders();
        for (Header header : original) {
            headers.add(header.key(), cut(header.value()));
        }
        return headers;
    }

    public static String sha256(byte[] value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value == null ? new byte[0]
                    : value));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** A key short enough to copy is kept; a longer one is replaced by its hash. */
    public static String boundedKey(String key) {
        return key == null || key.length() <= 255 ? key : "sha256:" + sha256(bytes(key));
    }

    /** A text cut to 500 characters, for a log line: a detail can quote an id of any size. */
    public static String forLog(String text) {
        return text == null || text.length() <= 500 ? text : text.substring(0, 500) + "...";
    }

    private static byte[] cut(byte[] value) {
        if (value == null || value.length <= MAX_HEADER_BYTES) {
            return value;
        }
        byte[] cut = new byte[MAX_HEADER_BYTES];
        System.arraycopy(value, 0, cut, 0, MAX_HEADER_BYTES);
        return cut;
    }

    private static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
