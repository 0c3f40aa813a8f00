package dev.meterflow.api.notify;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each message once: skipped when its id is in the sent log, recorded right after the mail server or SMS
 * provider took it. A crash between sending and recording re-sends that one message after the restart.
 */
public final class Dispatcher {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private final SentLog sent;
    private final MailSender mail;
    private final SmsSender sms;
    private final Clock clock;
    private final MeterRegistry registry;

    public Dispatcher(SentLog sent, MailSender mail, SmsSender sms, Clock clock) {
        this(sent, mail, sms, clock, new SimpleMeterRegistry());
    }

    /** @param registry counts messages sent and failed by kind (receipt, notice, sms, statement, schedule) */
    public Dispatcher(SentLog sent, MailSender mail, SmsSender sms, Clock clock, MeterRegistry registry) {
        this.sent = sent;
        this.mail = mail;
        this.sms = sms;
        this.clock = clock;
        this.registry = registry;
    }

    /** Returns whether it was sent now (false: sent before). */
    public boolean email(Message message) {
        if (sent.wasSent(message.messageId())) {
            log.debug("email already sent messageId='{}'", message.messageId());
            return false;
        }
        counted(message.messageId(), "email", () -> mail.send(message));
        sent.record(message.messageId(), "email", clock.instant());
        log.info("email sent messageId='{}' recipients={} subject='{}'", message.messageId(), message.to().size(),
                message.subject());
        return true;
    }

    public boolean sms(Messages.Sms text) {
        if (sent.wasSent(text.messageId())) {
            return false;
        }
        counted(text.messageId(), "sms", () -> sms.send(text.messageId(), text.to(), text.text()));
        sent.record(text.messageId(), "sms", clock.instant());
        return true;
    }

    /** Sends, counting the outcome by the message's kind: the prefix of its id ({@code receipt:...}). */
    private void counted(String messageId, String channel, Runnable send) {
        String kind = messageId.substring(0, Math.max(0, messageId.indexOf(':')));
        try {
            send.run();
        } catch (RuntimeException e) {
            count(kind, channel, "failed");
            throw e;
        }
        count(kind, channel, "sent");
    }

    private void count(String kind, String channel, String outcome) {
        Counter.builder("meterflow.notifications").description("Notifications handed to the mail server or SMS"
                        + " provider, and those it refused, by kind").tag("kind", kind).tag("channel", channel)
                .tag("outcome", outcome).register(registry).increment();
    }
}
