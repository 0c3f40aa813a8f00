package dev.meterflow.api.page;

import dev.meterflow.gatewaysim.GatewaySimulatorMain;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The gateway simulator in a JVM of its own: it runs on Javalin 6, this module on Javalin 7, so it gets its own
 * class path (its jar and {@code target/lib}, which its build copies there).
 */
final class GatewayProcess implements AutoCloseable {

    private final Process process;
    private final String baseUrl;

    private GatewayProcess(Process process, String baseUrl) {
        this.process = process;
        this.baseUrl = baseUrl;
    }

    static GatewayProcess start() {
        Path location = codeLocation();
        Path lib = location.getParent().resolve("lib");
        if (!Files.isDirectory(lib)) {
            throw new IllegalStateException("no " + lib + ": build the gateway simulator with 'package' first");
        }
        String classPath = location + File.pathSeparator + lib + File.separator + "*";
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        try {
            Process process = new ProcessBuilder(List.of(java.toString(), "-Xmx128m", "-cp", classPath,
                    GatewaySimulatorMain.class.getName(), "--host", "127.0.0.1", "--port", "0"))
                    .redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            String url = CompletableFuture.supplyAsync(() -> listeningUrl(out)).get(60, TimeUnit.SECONDS);
            // keep reading, so a full pipe never blocks the simulator
            Thread drain = new Thread(() -> out.lines().forEach(line -> { }), "gateway-simulator-output");
            drain.setDaemon(true);
            drain.start();
            return new GatewayProcess(process, url);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("the gateway simulator did not start", e);
        }
    }

    String baseUrl() {
        return baseUrl;
    }

    private static String listeningUrl(BufferedReader out) {
        String prefix = "gateway simulator listening on ";
        try {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith(prefix)) {
                    return line.substring(prefix.length()).strip();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("the gateway simulator exited before it listened");
    }

    /** Its jar in the reactor ({@code target/*.jar}) or its classes ({@code target/classes}). */
    private static Path codeLocation() {
        try {
            return Path.of(GatewaySimulatorMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
