package dev.meterflow.metering.health;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether this instance should be sent traffic and counted as healthy: RUNNING and not found stuck. A health
 * endpoint will serve it; until then it is what the watchdog sets and the tests read.
 */
public final class Readiness {

    private volatile boolean running;
    private final AtomicReference<String> stuck = new AtomicReference<>();

    public void running(boolean isRunning) {
        running = isRunning;
    }

    /** Once stuck, the instance stays not ready: it is on its way out (the supervisor restarts it). */
    public void stuck(String reason) {
        stuck.compareAndSet(null, reason);
    }

    public boolean ready() {
        return running && stuck.get() == null;
    }

    public Optional<String> stuckReason() {
        return Optional.ofNullable(stuck.get());
    }
}
