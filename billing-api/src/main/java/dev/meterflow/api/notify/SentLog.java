package dev.meterflow.api.notify;

import java.time.Instant;
import org.jdbi.v3.core.Jdbi;

/** The ids of the messages sent ({@code notifier_sent}): checked before sending, recorded after. */
public final class SentLog {

    private final Jdbi jdbi;

    public SentLog(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public boolean wasSent(String messageId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT count(*) FROM notifier_sent WHERE message_id = :id")
                .bind("id", messageId).mapTo(Integer.class).one() > 0);
    }

    public void record(String messageId, String channel, Instant at) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        INSERT INTO notifier_sent (message_id, channel, sent_at) VALUES (:id, :channel, :at)
                        ON CONFLICT (message_id) DO NOTHING""")
                .bind("id", messageId).bind("channel", channel).bind("at", at).execute());
    }
}
