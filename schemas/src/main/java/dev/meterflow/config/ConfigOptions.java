package dev.meterflow.config;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The options every app reads its configuration with ({@code @Mixin}): {@code --config FILE} and
 * {@code --bootstrap-servers}, before or after a sub-command. An option given overrides its key's environment
 * variable, which overrides the file.
 */
public final class ConfigOptions {

    private static final String BOOTSTRAP_SERVERS = "bootstrap.servers";

    @Option(names = {"-c", "--config"}, scope = ScopeType.INHERIT,
            paramLabel = "FILE", description = "Properties file with configuration keys.")
    Path file;

    @Option(names = "--bootstrap-servers", scope = ScopeType.INHERIT,
            paramLabel = "HOSTS", description = "Overrides " + BOOTSTRAP_SERVERS + ".")
    String bootstrapServers;

    /** The properties file, or {@code null}: the defaults and the environment only. */
    public Path file() {
        return file;
    }

    /** The process environment, with {@code --bootstrap-servers} in place of its variable when given. */
    public Map<String, String> environment() {
        Map<String, String> environment = new HashMap<>(System.getenv());
        override(environment, BOOTSTRAP_SERVERS, bootstrapServers);
        return environment;
    }

    /** An app's own option: when given, it takes the place of its key's environment variable. */
    public static void override(Map<String, String> environment, AppConfig.Key key, String value) {
        override(environment, key.name(), value);
    }

    private static void override(Map<String, String> environment, String key, String value) {
        if (value != null) {
            environment.put(AppConfig.environmentName(key), value);
        }
    }
}
