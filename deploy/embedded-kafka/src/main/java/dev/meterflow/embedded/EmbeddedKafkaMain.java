package dev.meterflow.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CountDownLatch;

/**
 * The embedded broker as a process of its own, so that a fault test can kill it (SIGKILL) and start it again
 * on the same data directory and ports. Usage: {@code EmbeddedKafkaMain <data-dir>}. When the broker is ready
 * it writes its {@code bootstrap.servers} to {@code <data-dir>/bootstrap.servers} (atomically); SIGTERM shuts
 * it down cleanly.
 */
public final class EmbeddedKafkaMain {

    /** The file, in the data directory, that holds the running broker's {@code bootstrap.servers}. */
    public static final String BOOTSTRAP_FILE = "bootstrap.servers";

    private EmbeddedKafkaMain() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 1) {
            System.err.println("usage: EmbeddedKafkaMain <data-dir>");
            System.exit(2);
        }
        Path dataDir = Path.of(args[0]);
        Path ready = dataDir.resolve(BOOTSTRAP_FILE);
        Files.deleteIfExists(ready);
        EmbeddedKafka kafka = EmbeddedKafka.start(dataDir);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kafka.close();
            stopped.countDown();
        }, "embedded-kafka-shutdown"));
        Path partial = dataDir.resolve(BOOTSTRAP_FILE + ".tmp");
        Files.writeString(partial, kafka.bootstrapServers(), StandardCharsets.UTF_8);
        Files.move(partial, ready, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        stopped.await();
    }
}
