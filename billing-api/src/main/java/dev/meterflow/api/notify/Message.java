package dev.meterflow.api.notify;

import java.util.List;

/**
 * One email to send. {@code messageId} is deterministic (from the receipt, notice or delivery it tells of), so
 * the notifier sends it once.
 */
public record Message(String messageId, List<String> to, String subject, String text, String html,
                      Attachment attachment) {

    public Message {
        to = List.copyOf(to);
    }

    /** A file sent with the email, e.g. a statement's PDF. */
    public record Attachment(String name, byte[] content, String contentType) {
    }
}
