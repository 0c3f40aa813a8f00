package dev.meterflow.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** Issue 14, §5: the command line the three apps shared by copy, written once. */
class AppCommandLineTest {

    private static final AppConfig.Key HOSTS = AppConfig.Key.of("bootstrap.servers", "localhost:9092", "The brokers.");

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void shouldNameTheAppAndItsVersionAlsoFromASubCommand() {
        assertThat(execute(new App(null), "--version")).isZero();
        assertThat(execute(new App(null), "check", "--version")).isZero();

        assertThat(out.toString().lines()).containsExactly("test-app " + MeterflowVersion.get(),
                "test-app " + MeterflowVersion.get());
    }

    @Test
    void shouldListTheConfigurationKeysUnderTheHelp() {
        assertThat(execute(new App(null), "--help")).isZero();

        assertThat(out.toString()).contains("bootstrap.servers = localhost:9092  [METERFLOW_BOOTSTRAP_SERVERS]");
    }

    @Test
    void shouldEndAConfigurationErrorWithExitCodeTwoAndOneLine() {
        int exit = execute(new App(new AppConfig.ConfigException("num.stream.thread: unknown key")));

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString().lines()).containsExactly("configuration error: num.stream.thread: unknown key");
    }

    @Test
    void shouldTreatAKafkaClientConfigurationErrorAlike() {
        int exit = execute(new App(new org.apache.kafka.common.config.ConfigException("acks", "maybe")));

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).startsWith("configuration error: Invalid value maybe for configuration acks");
    }

    @Test
    void shouldLeaveAnyOtherFailureToPicocliAsExitCodeOne() {
        assertThat(execute(new App(new IllegalStateException("broken")))).isEqualTo(1);
        assertThat(err.toString()).contains("java.lang.IllegalStateException: broken");
    }

    @Test
    void shouldOverrideTheEnvironmentWithTheOptionsBeforeOrAfterASubCommand() {
        App before = new App(null);
        new CommandLine(before).parseArgs("--config", "app.properties", "--bootstrap-servers", "broker-a:9092",
                "check");
        App after = new App(null);
        new CommandLine(after).parseArgs("check", "--bootstrap-servers", "broker-b:9092");

        assertThat(before.options.file()).isEqualTo(Path.of("app.properties"));
        assertThat(before.options.environment()).containsEntry("METERFLOW_BOOTSTRAP_SERVERS", "broker-a:9092");
        assertThat(after.options.environment()).containsEntry("METERFLOW_BOOTSTRAP_SERVERS", "broker-b:9092");
        assertThat(after.options.file()).isNull();
    }

    @Test
    void shouldLeaveTheEnvironmentAsItIsForAnOptionNotGiven() {
        App app = new App(null);
        new CommandLine(app).parseArgs();
        var environment = app.options.environment();
        ConfigOptions.override(environment, AppConfig.Key.of("state.dir", "/tmp", "State."), null);

        assertThat(environment).isEqualTo(System.getenv());
    }

    private int execute(Object app, String... args) {
        CommandLine commandLine = AppCommandLine.of(app, List.of(HOSTS));
        return commandLine.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
    }

    @Command(name = "test-app", mixinStandardHelpOptions = true, versionProvider = AppCommandLine.Version.class,
            subcommands = Check.class)
    static final class App implements Callable<Integer> {

        @Mixin
        ConfigOptions options;

        private final RuntimeException failure;

        App(RuntimeException failure) {
            this.failure = failure;
        }

        @Override
        public Integer call() {
            if (failure != null) {
                throw failure;
            }
            return 0;
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true, versionProvider = AppCommandLine.Version.class)
    static final class Check implements Callable<Integer> {

        @ParentCommand
        App parent;

        @Override
        public Integer call() {
            return 0;
        }
    }
}
