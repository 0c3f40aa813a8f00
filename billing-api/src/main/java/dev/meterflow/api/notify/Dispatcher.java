package dev.meterflow.api.notify;

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

    public Dispatcher(SentLog sent, MailSender mail, SmsSender sms, Clock clock) {
        this.sent = sent;
        this.mail = mail;
        this.sms = sms;
        this.clock = clock;
    }

    /** Returns whether it was sent now (false: sent before). */
    public boolean email(Message message) {
        if (sent.wasSent(message.messageId())) {
            log.debug("email already sent messageId='{}'", message.messageId());
            return false;
        }
        mail.send(message);
        sent.record(message.messageId(), "email", clock.instant());
        log.info("email sent messageId='{}' recipients={} subject='{}'", message.messageId(), message.to().size(),
                message.subject());
        return true;
    }

    public boolean sms(Messages.Sms text) {
        if (sent.wasSent(text.messageId())) {
            return false;
        }
        sms.send(text.messageId(), text.to(), text.text());
        sent.record(text.messageId(), "sms", clock.instant());
        return true;
    }
}
