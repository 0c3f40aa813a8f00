package dev.meterflow.startup;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * SIGTERM (or Ctrl-C) in every state of an app: while it waits for the cluster at start-up it stops waiting;
 * once running it is closed, and the JVM goes after the shutdown timeout even if a close hangs (a Kafka
 * client blocked on an unreachable broker must not keep the process for minutes).
 */
public final class ShutdownSignal {

    private final CountDownLatch requested = new CountDownLatch(1);
    private final AtomicReference<AutoCloseable> running = new AtomicReference<>();
    private final Duration timeout;

    private ShutdownSignal(Duration timeout) {
        this.timeout = timeout;
    }

    /** A signal whose shutdown hook is installed now. */
    public static ShutdownSignal install(String name, Duration timeout) {
        ShutdownSignal signal = new ShutdownSignal(timeout);
        Runtime.getRuntime().addShutdownHook(new Thread(signal::stop, name + "-shutdown"));
        return signal;
    }

    public boolean isRequested() {
        return requested.getCount() == 0;
    }

    /** Waits up to {@code time}; {@code true} if a stop was asked for meanwhile. */
    public boolean await(Duration time) throws InterruptedException {
        return requested.await(time.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The app is running from now on and SIGTERM closes it; {@code false} (and it is closed at once) when a stop
     * was asked for already.
     */
    public boolean running(AutoCloseable app) {
        running.set(app);
        if (isRequested()) {
            closeRunning();
            return false;
        }
        return true;
    }

    private void stop() {
        requested.countDown();
        Thread closer = new Thread(this::closeRunning, "closing");
        closer.setDaemon(true);
        closer.start();
        try {
            closer.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeRunning() {
        AutoCloseable app = running.getAndSet(null);
        if (app == null) {
            return;
        }
        try {
            app.close();
        } catch (Exception e) {
            org.slf4j.LoggerFactory.getLogger(ShutdownSignal.class).warn("close failed: {}", e.toString());
        }
    }
}
