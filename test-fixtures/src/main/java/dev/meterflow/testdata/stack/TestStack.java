package dev.meterflow.testdata.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What an integration test runs against (a broker, a gateway, an app), started and stopped in one place. Register it
 * with {@code @RegisterExtension}: a stack made {@link Scope#CLASS per class} is a static field and serves every
 * test of the class, one made {@link Scope#TEST per test} is an instance field and is fresh for each test. A test
 * that manages it by hand calls {@link #start()} and {@link #close()} (try-with-resources).
 */
public abstract class TestStack implements AutoCloseable, BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback {

    /** How long one started stack lives. */
    public enum Scope { CLASS, TEST }

    private final Scope scope;
    private boolean running;

    protected TestStack(Scope scope) {
        this.scope = scope;
    }

    /** Starts the parts in order; {@link #stopParts()} then stops whatever part is running. */
    protected abstract void startParts();

    /** Stops every part that is running, the last started first; must cope with parts that never started. */
    protected abstract void stopParts();

    /** Starts every part; if one fails, the parts already running are stopped again before the failure is thrown. */
    public final void start() {
        if (running) {
            throw new IllegalStateException(getClass().getSimpleName() + " is already running");
        }
        try {
            startParts();
            running = true;
        } catch (RuntimeException | Error e) {
            stopParts();
            throw e;
        }
    }

    @Override
    public final void close() {
        if (running) {
            running = false;
            stopParts();
        }
    }

    protected final void requireRunning() {
        if (!running) {
            throw new IllegalStateException(getClass().getSimpleName() + " is not running: a stack per class must be"
                    + " a static @RegisterExtension field, one per test an instance field");
        }
    }

    /** Deletes a directory a part of the stack kept its data in, with everything in it. */
    protected static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (scope == Scope.CLASS) {
            start();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (scope == Scope.CLASS) {
            close();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (scope == Scope.TEST) {
            start();
        }
        requireRunning();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (scope == Scope.TEST) {
            close();
        }
    }
}
