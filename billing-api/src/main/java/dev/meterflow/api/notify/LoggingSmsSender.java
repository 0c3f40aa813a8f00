package dev.meterflow.api.notify;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The default SMS adapter: no provider configured, so each text is logged (the number masked but its end). */
public final class LoggingSmsSender implements SmsSender {

    private static final Logger log = LoggerFactory.getLogger(LoggingSmsSender.class);

    @Override
    public void send(String messageId, String to, String text) {
        log.info("sms not sent, no provider configured messageId='{}' to='{}' text='{}'", messageId, masked(to),
                text);
    }

    static String masked(String phone) {
        return phone.length() <= 4 ? "****" : "*".repeat(phone.length() - 4) + phone.substring(phone.length() - 4);
    }
}
