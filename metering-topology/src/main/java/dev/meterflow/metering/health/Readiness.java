package dev.meterflow.metering.health;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether this instance should be counted as healthy: RUNNING, not found stuck and, for {@code /health/ready},
 * no store restoring. The stream threads and the watchdog set it; the health endpoint serves it.
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

    /**
     * Why {@code /health/ready} answers 503, empty when ready. A store still restoring counts too: its task
     * processes nothing yet, and a rolling restart must wait for it before stopping the next instance.
     */
    public Optional<String> notReadyReason(int storesRestoring) {
        String stuckReason = stuck.get();
        if (stuckReason != null) {
            return Optional.of("stuck: " + stuckReason);
        }
        if (!running) {
            return Optional.of("Kafka Streams is not RUNNING");
        }
        if (storesRestoring > 0) {
            return Optional.of(storesRestoring + " store changelog partition(s) restoring");
        }
        return Optional.empty();
    }

    public Optional<String> stuckReason() {
        return Optional.ofNullable(stuck.get());
    }
}
