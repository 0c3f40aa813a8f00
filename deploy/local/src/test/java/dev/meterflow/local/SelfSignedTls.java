package dev.meterflow.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away TLS set-up made with the JDK's own {@code keytool}: a self-signed broker certificate for
 * {@code localhost} / {@code 127.0.0.1} in a PKCS12 key store, and a PKCS12 trust store holding it for clients.
 */
record SelfSignedTls(Path keyStore, Path trustStore, String password) {

    private static final Path KEYTOOL = Path.of(System.getProperty("java.home"), "bin", "keytool");

    static SelfSignedTls generate(Path dir, String password) {
        Path keyStore = dir.resolve("broker.keystore.p12");
        Path certificate = dir.resolve("broker.crt");
        Path trustStore = dir.resolve("client.truststore.p12");
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", password, "-keypass", password);
        keytool("-exportcert", "-rfc", "-alias", "broker", "-keystore", keyStore.toString(), "-storepass", password,
                "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", "broker", "-file", certificate.toString(),
                "-storetype", "PKCS12", "-keystore", trustStore.toString(), "-storepass", password);
        return new SelfSignedTls(keyStore, trustStore, password);
    }

    private static void keytool(String... args) {
        List<String> command = new ArrayList<>(List.of(KEYTOOL.toString()));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            // (keytool writes little; reading it all first cannot block the process on a full pipe)
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool " + args[0] + " did not finish within 60 s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + args[0] + " failed (exit " + process.exitValue() + "): "
                        + output.strip());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + KEYTOOL + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running keytool", e);
        }
    }

    @Override
    public String toString() {
        return "SelfSignedTls[keyStore=" + keyStore + ", trustStore=" + trustStore + "]";
    }
}
