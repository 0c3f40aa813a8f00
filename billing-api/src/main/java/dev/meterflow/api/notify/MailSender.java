package dev.meterflow.api.notify;

/** Hands an email to a mail server; throws when it was not accepted. */
public interface MailSender {

    void send(Message message);
}
