package dev.meterflow.api.notify;

/**
 * The SMS provider port: one text to one phone number (E.164). An adapter for a Twilio-style API posts
 * {@code to}, the text and its own sender number, and passes {@code messageId} as the provider's idempotency
 * key where it has one; it throws when the provider refused the message.
 */
public interface SmsSender {

    void send(String messageId, String to, String text);
}
