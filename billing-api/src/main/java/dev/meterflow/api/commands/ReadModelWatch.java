package dev.meterflow.api.commands;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits, bounded, until the read model shows a write, so a page that reloads after "saved" shows what was saved.
 * The read model is another process's view of the topic: there is nothing to be notified by but the table.
 */
public final class ReadModelWatch {

    private static final Duration POLL = Duration.ofMillis(50);

    private final Duration timeout;

    public ReadModelWatch(Duration timeout) {
        this.timeout = timeout;
    }

    /** True once {@code seen} holds, false when the bound passed first. */
    public boolean await(BooleanSupplier seen) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!seen.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
