package dev.meterflow.api.commands;

import dev.meterflow.api.ApiException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

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

    /**
     * Like {@link #await(BooleanSupplier)}, but the pipeline may refuse the write instead: then the answer is the
     * refusal, a 422 {@code refused} with the pipeline's message, and not "saved, still applying".
     *
     * @param refusal the pipeline's message once the read model holds its refusal of this write
     */
    public boolean await(BooleanSupplier seen, Supplier<Optional<String>> refusal) {
        boolean shown = await(() -> seen.getAsBoolean() || refusal.get().isPresent());
        Optional<String> refused = refusal.get();
        if (refused.isPresent()) {
            throw new ApiException(422, "refused", "Refused: " + refused.get());
        }
        return shown;
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
