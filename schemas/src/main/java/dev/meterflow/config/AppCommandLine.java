package dev.meterflow.config;

import java.util.Collection;
import picocli.CommandLine;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The command line every Meterflow app runs under: {@code --help} lists the app's configuration keys, a
 * configuration error ends it with exit code 2 and one line on stderr (never a stack trace), {@code --version}
 * names the app and the version its jar was built from.
 */
public final class AppCommandLine {

    /** The exit code of a configuration or start-up check error. */
    public static final int EXIT_CONFIGURATION = 2;

    private AppCommandLine() {
    }

    /** Runs the app ({@code @Command}-annotated) with these arguments and returns its exit code. */
    public static int execute(Object app, Collection<AppConfig.Key> keys, String... args) {
        return of(app, keys).execute(args);
    }

    /** The app's command line as {@link #execute} runs it. */
    public static CommandLine of(Object app, Collection<AppConfig.Key> keys) {
        CommandLine commandLine = new CommandLine(app).setUsageHelpWidth(100);
        commandLine.getCommandSpec().usageMessage().footer(AppConfig.describe(keys));
        commandLine.setExecutionExceptionHandler((exception, cmd, parsed) -> {
            if (exception instanceof AppConfig.ConfigException
                    || exception instanceof org.apache.kafka.common.config.ConfigException) {
                cmd.getErr().println("configuration error: " + exception.getMessage());
                return EXIT_CONFIGURATION;
            }
            throw exception;
        });
        return commandLine;
    }

    /** {@code --version}: the command's name and the Maven project version the jar was built from. */
    public static final class Version implements IVersionProvider {

        @Spec
        CommandSpec spec;

        @Override
        public String[] getVersion() {
            return new String[] {spec.root().name() + " " + MeterflowVersion.get()};
        }
    }
}
