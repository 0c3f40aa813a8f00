package dev.meterflow.local;

import dev.meterflow.config.AppCommandLine;
import dev.meterflow.config.AppConfig;
import dev.meterflow.local.bench.Bench;
import dev.meterflow.local.bench.JfrProfileCommand;
import dev.meterflow.local.bench.ReadBenchCommand;
import dev.meterflow.local.bench.StateBenchCommand;
import dev.meterflow.local.deadletter.DeadLetter;
import dev.meterflow.local.deadletter.DeadLetters;
import dev.meterflow.local.faults.FaultsCommand;
import dev.meterflow.local.reconcile.ChargeSource;
import dev.meterflow.local.reconcile.Reconciliation;
import dev.meterflow.local.reconcile.ReconciliationReport;
import dev.meterflow.local.reconcile.StripeChargeSource;
import dev.meterflow.local.scan.ScanReport;
import dev.meterflow.local.scan.SecretDetector;
import dev.meterflow.local.scan.SecretScan;
import dev.meterflow.local.stack.LocalStack;
import dev.meterflow.local.topics.ProvisionTopics;
import dev.meterflow.local.topics.TopicDefinitions;
import dev.meterflow.metering.replay.ReplayUnpricedCommand;
import dev.meterflow.metering.replay.UnpricedReplay;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code meterflow}: the local stack and the operator's commands. */
@Command(name = "meterflow", mixinStandardHelpOptions = true, versionProvider = AppCommandLine.Version.class,
        description = {"Meterflow's tooling: run the whole pipeline locally, provision topics, replay parked usage, "
                + "reconcile the money, scan for leaked secrets. Options follow the sub-command.",
                "Exit code: 0 ok, 1 a check failed or drift found, 2 usage or configuration error, 3 could not run."},
        subcommands = {MeterflowCli.Local.class, MeterflowCli.BenchCommand.class, MeterflowCli.Provision.class,
                MeterflowCli.Replay.class, MeterflowCli.DeadLettersCommand.class, MeterflowCli.Reconcile.class,
                MeterflowCli.ScanSecrets.class,
                FaultsCommand.class, ReadBenchCommand.class, StateBenchCommand.class,
                JfrProfileCommand.class})
public final class MeterflowCli {

    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            // the stack's own view on the console; only warnings and errors from the parts underneath
            System.setProperty("logback.configurationFile", "logback-meterflow.xml");
        }
        System.exit(commandLine().execute(args));
    }

    /** The command line with its converters and error handling, as {@link #main} runs it. */
    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new MeterflowCli()).setUsageHelpWidth(100)
                .registerConverter(Duration.class, MeterflowCli::duration)
                .registerConverter(Instant.class, MeterflowCli::instant);
        commandLine.setExecutionExceptionHandler((exception, cmd, parsed) -> {
            // a settings problem (an unreadable --command-config, a Kafka client setting) is one line, not a trace
            if (exception instanceof IllegalArgumentException || exception instanceof ConfigException
                    || exception instanceof AppConfig.ConfigException) {
                cmd.getErr().println(cmd.getCommandName() + ": " + exception.getMessage());
                return 2;
            }
            throw exception;
        });
        return commandLine;
    }

    /** {@code 90s}, {@code 5m}, {@code 2h} or ISO-8601 ({@code PT90S}). */
    static Duration duration(String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (value.startsWith("p")) {
                return Duration.parse(value.toUpperCase(Locale.ROOT));
            }
            long amount = Long.parseLong(value.substring(0, value.length() - 1));
            return switch (value.charAt(value.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                default -> throw new CommandLine.TypeConversionException("'" + text + "' is not a duration like 90s, 5m");
            };
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw new CommandLine.TypeConversionException("'" + text + "' is not a duration like 90s, 5m or PT2H");
        }
    }

    /** {@code 2026-11-26T13:00:00Z}, or a time ago: {@code 30m} is half an hour before now. */
    static Instant instant(String text) {
        try {
            return Instant.parse(text.strip());
        } catch (DateTimeParseException e) {
            try {
                return Instant.now().minus(duration(text));
            } catch (CommandLine.TypeConversionException notADuration) {
                throw new CommandLine.TypeConversionException("'" + text
                        + "' is not an instant like 2026-11-26T13:00:00Z nor a time ago like 30m");
            }
        }
    }

    @Command(name = "local", mixinStandardHelpOptions = true,
            description = {"Runs the whole pipeline on this machine: a real Kafka broker (or --bootstrap-servers), "
                    + "the topics, the gateway simulator, the metering topology, the recharge worker, seeded accounts "
                    + "and generated usage. Shows a live view; at the end (--duration or Ctrl-C) checks the invariants."})
    static final class Local implements Callable<Integer> {
        @Option(names = "--accounts", defaultValue = "50", description = "Seeded accounts (default ${DEFAULT-VALUE}).")
        int accounts;

        @Option(names = "--rate", defaultValue = "200", description = "Usage events per second (default ${DEFAULT-VALUE}).")
        int rate;

        @Option(names = "--duration", description = "How long to generate usage, e.g. 60s or 5m (default: until Ctrl-C).")
        Duration duration;

        @Option(names = "--bootstrap-servers", description = "Use this Kafka cluster instead of the embedded broker.")
        String bootstrapServers;

        @Option(names = "--data-dir", defaultValue = "data/local",
                description = "Broker logs and metering state (default ${DEFAULT-VALUE}); kept between runs.")
        Path dataDir;

        @Option(names = "--partitions", defaultValue = "4", description = "Partitions per topic (default ${DEFAULT-VALUE}).")
        int partitions;

        @Option(names = "--gateway-latency-ms", defaultValue = "50",
                description = "Simulated gateway latency (default ${DEFAULT-VALUE}).")
        long gatewayLatencyMs;

        @Option(names = "--api-port", defaultValue = "8090",
                description = "Port of the billing API and page (default ${DEFAULT-VALUE}; 0 picks a free one).")
        int apiPort;

        @Override
        public Integer call() throws InterruptedException {
            if (apiPort < 0 || apiPort > 65_535) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--api-port must be a port (0 to 65535)");
            }
            if (accounts < 1 || rate < 1 || partitions < 1) {
                throw new CommandLine.ParameterException(new CommandLine(this),
                        "--accounts, --rate and --partitions must be at least 1");
            }
            LocalStack stack = new LocalStack(new LocalStack.Options(accounts, rate, duration, bootstrapServers,
                    dataDir.toAbsolutePath(), partitions, gatewayLatencyMs, apiPort), System.out);
            CountDownLatch reported = new CountDownLatch(1);
            AtomicInteger exitCode = new AtomicInteger(3);
            Thread ctrlC = new Thread(() -> afterCtrlC(stack, reported, exitCode), "meterflow-local-stop");
            Runtime.getRuntime().addShutdownHook(ctrlC);
            try {
                LocalStack.Summary summary = stack.run();
                summary.print(System.out);
                exitCode.set(summary.ok() ? 0 : 1);
                return exitCode.get();
            } catch (IllegalArgumentException e) {
                exitCode.set(2);
                throw e;
            } finally {
                reported.countDown();
                forget(ctrlC);
            }
        }

        /**
         * A run that ended by itself has nothing left for Ctrl-C to do: the hook must not outlive it, or it would halt
         * whatever JVM called this command (a test's) when that JVM later exits.
         */
        private static void forget(Thread ctrlC) {
            try {
                Runtime.getRuntime().removeShutdownHook(ctrlC);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running and reports
            }
        }

        /**
         * Ctrl-C: stop generating, let the pipeline settle, check and report, then exit with what the checks found
         * (the JVM would otherwise exit 130 whatever they found, as after any SIGINT).
         */
        private static void afterCtrlC(LocalStack stack, CountDownLatch reported, AtomicInteger exitCode) {
            stack.requestStop();
            try {
                reported.await(3, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            System.out.flush();
            System.err.flush();
            Runtime.getRuntime().halt(exitCode.get());
        }
    }

    @Command(name = "bench", mixinStandardHelpOptions = true,
            description = {"Measures Meterflow on this machine against an embedded broker, in one run, for a uniform "
                    + "and a Zipf-skewed workload: the broker's ceiling (producer only, consumer only, a "
                    + "transactional consume-produce copy), the metering topology catching up on pre-loaded usage "
                    + "and the records it writes per event, latency at half that rate (median of --runs), state "
                    + "size and restore time, the same metering on PostgreSQL (the peer); then the recharge worker "
                    + "against the gateway simulator. Prints a table and writes JSON."})
    static final class BenchCommand implements Callable<Integer> {
        @Option(names = "--events", defaultValue = "2000000", description = "Usage events pre-loaded (default ${DEFAULT-VALUE}).")
        int events;

        @Option(names = "--accounts", defaultValue = "100000", description = "Accounts they belong to (default ${DEFAULT-VALUE}).")
        int accounts;

        @Option(names = "--partitions", defaultValue = "4", description = "Partitions per topic (default ${DEFAULT-VALUE}).")
        int partitions;

        @Option(names = "--stream-threads", defaultValue = "2",
                description = "Stream threads of the metering topology (default ${DEFAULT-VALUE}).")
        int streamThreads;

        @Option(names = "--commit-interval-ms", defaultValue = "100",
                description = "Transaction commit interval, baseline and topology alike (default ${DEFAULT-VALUE}).")
        int commitIntervalMs;

        @Option(names = "--latency-duration", defaultValue = "60s",
                description = "How long the fixed-rate latency run lasts (default ${DEFAULT-VALUE}).")
        Duration latencyDuration;

        @Option(names = "--latency-accounts", defaultValue = "1000",
                description = "Accounts of the latency run, recharged at once by the harness (default ${DEFAULT-VALUE}).")
        int latencyAccounts;

        @Option(names = "--runs", defaultValue = "3",
                description = "Latency runs per workload; the median of their figures is reported (default ${DEFAULT-VALUE}).")
        int runs;

        @Option(names = "--workloads", split = ",", defaultValue = "uniform,skewed",
                description = "Workloads to run, in order, each on a broker of its own (default ${DEFAULT-VALUE}); "
                        + "one per run gives each a fresh JVM.")
        List<String> workloads;

        @Option(names = "--zipf-exponent", defaultValue = "1.1",
                description = "The skewed workload's Zipf exponent s over --accounts (default ${DEFAULT-VALUE}).")
        double zipfExponent;

        @Option(names = "--store-metrics",
                description = "Record Kafka Streams' store metrics (DEBUG level) to count store reads per record; "
                        + "slows the topology down.")
        boolean storeMetrics;

        @Option(names = "--pg-batch-size", defaultValue = "500",
                description = "Usage events per transaction of the PostgreSQL peer (default ${DEFAULT-VALUE}).")
        int pgBatchSize;

        @Option(names = "--worker-requests", defaultValue = "1000",
                description = "Recharge requests for the worker run (default ${DEFAULT-VALUE}).")
        int workerRequests;

        @Option(names = "--gateway-latency-ms", defaultValue = "200", description = "Simulated gateway latency (default ${DEFAULT-VALUE}).")
        long gatewayLatencyMs;

        @Option(names = "--gateway-rate-limit", defaultValue = "25",
                description = "The worker's requests per second to the gateway (default ${DEFAULT-VALUE}).")
        int gatewayRateLimit;

        @Option(names = "--data-dir", defaultValue = "data/bench", description = "Broker and state (emptied first; default ${DEFAULT-VALUE}).")
        Path dataDir;

        @Option(names = "--json", defaultValue = "data/bench/results.json", description = "Where the figures go (default ${DEFAULT-VALUE}).")
        Path json;

        @Option(names = "--metering-property", paramLabel = "KEY=VALUE",
                description = "A setting of the metering topology, as in its properties file (for example "
                        + "producer.compression.type=lz4); repeatable.")
        Map<String, String> meteringProperties = new LinkedHashMap<>();

        @Override
        public Integer call() throws Exception {
            new Bench(new Bench.Options(events, accounts, partitions, streamThreads, commitIntervalMs, latencyDuration,
                    latencyAccounts, runs, workloads, zipfExponent, storeMetrics, pgBatchSize, workerRequests, gatewayLatencyMs,
                    gatewayRateLimit, dataDir.toAbsolutePath(), json.toAbsolutePath(), meteringProperties), System.out).run();
            return 0;
        }
    }

    /**
     * The Kafka client settings of an operator's command: the {@code --command-config} file (if any), as Kafka's
     * own tools read theirs, then {@code --bootstrap-servers}.
     */
    static Properties clientProperties(String bootstrapServers, Path commandConfig) {
        Properties client = new Properties();
        if (commandConfig != null) {
            try (Reader reader = Files.newBufferedReader(commandConfig)) {
                client.load(reader);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read --command-config " + commandConfig + ": " + e, e);
            }
        }
        client.setProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return client;
    }

    /** An admin client; settings it cannot use are a usage error (exit 2), not a failure to run. */
    static Admin admin(Properties client) {
        try {
            return Admin.create(client);
        } catch (org.apache.kafka.common.KafkaException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new IllegalArgumentException("Kafka client settings: " + root.getMessage(), e);
        }
    }

    private static final String COMMAND_CONFIG_HELP = "Kafka client settings (security.protocol, sasl.jaas.config, "
            + "ssl.truststore.location, config.providers, ...) for a secured cluster; see deploy/SECURITY.md.";

    @Command(name = "provision-topics", mixinStandardHelpOptions = true,
            description = {"Creates the topics that are missing and reports drift in the ones that exist. Idempotent.",
                    "Exit code: 0 all as defined, 1 drift, 2 usage error, 3 could not provision."})
    static final class Provision implements Callable<Integer> {
        @Option(names = "--bootstrap-servers", required = true, description = "Kafka cluster.")
        String bootstrapServers;

        @Option(names = "--command-config", paramLabel = "FILE", description = COMMAND_CONFIG_HELP)
        Path commandConfig;

        @Option(names = "--partitions", defaultValue = "12",
                description = "Partitions of every account-keyed topic (default ${DEFAULT-VALUE}).")
        int partitions;

        @Option(names = "--replication", defaultValue = "-1",
                description = "Replication factor (default: the broker's default.replication.factor).")
        short replication;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            if (partitions < 1 || replication == 0 || replication < -1) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--partitions must be at least 1 and --replication at least 1 (or -1, the broker's default)");
            }
            ProvisionTopics.Report report;
            try (Admin admin = admin(clientProperties(bootstrapServers, commandConfig))) {
                report = new ProvisionTopics(admin).apply(TopicDefinitions.all(partitions, replication));
            } catch (org.apache.kafka.common.KafkaException | IllegalStateException e) {
                System.err.println("provision-topics failed: " + e.getMessage());
                return 3;
            }
            report.created().forEach(name -> System.out.println("created  " + name));
            report.unchanged().forEach(name -> System.out.println("ok       " + name));
            report.drift().forEach(line -> System.out.println("DRIFT    " + line));
            return report.ok() ? 0 : 1;
        }
    }

    @Command(name = "replay-unpriced", mixinStandardHelpOptions = true,
            description = {"Re-publishes parked usage events (usage-unpriced) that can be priced now to usage-events.",
                    "Safe to run again: the topology debits an eventId at most once."})
    static final class Replay implements Callable<Integer> {
        @Option(names = "--bootstrap-servers", required = true, description = "Kafka cluster.")
        String bootstrapServers;

        @Option(names = "--command-config", paramLabel = "FILE", description = COMMAND_CONFIG_HELP)
        Path commandConfig;

        @Option(names = "--dry-run", description = "Report what would be re-published without publishing.")
        boolean dryRun;

        @Override
        public Integer call() {
            ReplayUnpricedCommand.print(UnpricedReplay.run(clientProperties(bootstrapServers, commandConfig), dryRun),
                    dryRun, System.out);
            return 0;
        }
    }

    @Command(name = "dead-letters", mixinStandardHelpOptions = true,
            description = {"Lists metering-dlq and recharge-requests-dlq by reason, one line per record (where it is, "
                    + "why, where it was read from), and re-publishes chosen records to the topic they were read from "
                    + "once the cause is fixed. Re-publishing usage or a payment result twice is harmless: the "
                    + "topology debits an eventId, and applies a request's result, once.",
                    "Exit code: 0 done, 2 usage error (a location that holds no dead letter), 3 could not run."})
    static final class DeadLettersCommand implements Callable<Integer> {
        @Option(names = "--bootstrap-servers", required = true, description = "Kafka cluster.")
        String bootstrapServers;

        @Option(names = "--command-config", paramLabel = "FILE", description = COMMAND_CONFIG_HELP)
        Path commandConfig;

        @Option(names = "--republish", arity = "1..*", paramLabel = "TOPIC-PARTITION@OFFSET",
                description = "Re-publish these dead letters, e.g. metering-dlq-0@17.")
        List<String> locations = new ArrayList<>();

        @Option(names = "--republish-reason", arity = "1..*", paramLabel = "REASON",
                description = "Re-publish every dead letter with this reason, as listed.")
        List<String> reasons = new ArrayList<>();

        @Option(names = "--dry-run", description = "Say what would be re-published without publishing.")
        boolean dryRun;

        @Override
        public Integer call() throws InterruptedException {
            List<DeadLetter.Location> chosen = locations.stream().map(DeadLetter.Location::parse).toList();
            Properties client = clientProperties(bootstrapServers, commandConfig);
            List<DeadLetter> letters;
            try {
                letters = DeadLetters.read(client);
            } catch (org.apache.kafka.common.KafkaException e) {
                System.err.println("dead-letters failed: " + e.getMessage());
                return 3;
            }
            DeadLetters.print(letters, System.out);
            List<DeadLetter> toRepublish = DeadLetters.choose(letters, chosen, reasons);
            if (!dryRun && !toRepublish.isEmpty()) {
                try {
                    DeadLetters.republish(client, toRepublish);
                } catch (org.apache.kafka.common.KafkaException | IllegalStateException e) {
                    System.err.println("dead-letters failed: " + e.getMessage());
                    return 3;
                }
            }
            toRepublish.forEach(letter -> System.out.printf("%s %s to %s key='%s'%n",
                    dryRun ? "would re-publish" : "re-published", letter.location(), letter.source().topic(),
                    letter.keyText()));
            return 0;
        }
    }

    @Command(name = "reconcile", mixinStandardHelpOptions = true,
            description = {"Checks that the money adds up, reading the topics with read_committed, and prints every "
                    + "difference: ledger replay = balances (per account: sum, running balance, no doubled entry); "
                    + "recharge requests = payment results = ledger credits; succeeded results = receipts and "
                    + "receipt notices; usage in = debited + duplicates + parked + dead-lettered per usage-events "
                    + "partition and offset range; receipts = the gateway's successful charges (grouped by metadata "
                    + "requestId: "
                    + "none missing, none charged twice, none charged and not credited). The gateway check needs "
                    + "--gateway-base-url (Stripe or the simulator) and is skipped without it.",
                    "Exit code: 0 no differences, 1 differences, 2 usage error, 3 could not read the cluster or gateway."})
    static final class Reconcile implements Callable<Integer> {
        static final String API_KEY_ENV = "METERFLOW_GATEWAY_API_KEY";

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--bootstrap-servers", required = true, description = "Kafka cluster.")
        String bootstrapServers;

        @Option(names = "--command-config", description = "Kafka client properties (security settings), as for Kafka's tools.")
        Path commandConfig;

        @Option(names = "--gateway-base-url",
                description = "The gateway's API base: https://api.stripe.com or the simulator's URL. Without it the "
                        + "gateway check is skipped.")
        String gatewayBaseUrl;

        @Option(names = "--gateway-api-key-file",
                description = "File holding the gateway's secret key (default: environment variable " + API_KEY_ENV + ").")
        Path gatewayApiKeyFile;

        @Option(names = "--since",
                description = "Compare only recharge requests from this instant (2026-11-26T13:00:00Z, or a time ago "
                        + "like 30m); the ledger is always replayed whole.")
        Instant since;

        @Option(names = "--grace", defaultValue = "2m",
                description = "A request younger than this that is not finished yet is listed as open, not as a "
                        + "difference (default ${DEFAULT-VALUE}).")
        Duration grace;

        @Option(names = "--metering-application-id", defaultValue = Reconciliation.DEFAULT_METERING_APPLICATION_ID,
                description = "The metering app's application.id: usage at or after its committed offsets is not "
                        + "processed yet and is left out of the usage check (default ${DEFAULT-VALUE}).")
        String meteringApplicationId;

        @Override
        public Integer call() {
            if (grace.isNegative()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--grace must not be negative");
            }
            Reconciliation.Options options = new Reconciliation.Options(clientProperties(bootstrapServers,
                    commandConfig), gateway(), grace, since, meteringApplicationId);
            ReconciliationReport report;
            try {
                report = Reconciliation.run(options);
            } catch (RuntimeException e) {
                System.err.println("reconcile failed: " + e.getMessage());
                return 3;
            }
            report.print(System.out);
            return report.ok() ? 0 : 1;
        }

        private ChargeSource gateway() {
            if (gatewayBaseUrl == null) {
                if (gatewayApiKeyFile != null) {
                    throw new CommandLine.ParameterException(spec.commandLine(),
                            "--gateway-api-key-file needs --gateway-base-url");
                }
                return null;
            }
            String apiKey = gatewayApiKeyFile != null ? read(gatewayApiKeyFile) : System.getenv(API_KEY_ENV);
            if (apiKey == null || apiKey.isBlank()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--gateway-base-url needs the gateway's "
                        + "API key: --gateway-api-key-file or the environment variable " + API_KEY_ENV);
            }
            return new StripeChargeSource(gatewayBaseUrl, apiKey.strip());
        }

        private String read(Path file) {
            try {
                return Files.readString(file);
            } catch (IOException e) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "cannot read --gateway-api-key-file " + file + ": " + e.getMessage());
            }
        }
    }

    @Command(name = "scan-secrets", mixinStandardHelpOptions = true,
            description = {"Looks for card numbers (13-19 digits with a card network's prefix that pass the Luhn "
                    + "check), card fields with a value (cvv, cvc, card_number, security_code), API keys (sk_/rk_ "
                    + "live/test) and given secret values in every record of every topic (keys, values, headers; "
                    + "Streams changelogs and dead letter queues included; not __consumer_offsets and "
                    + "__transaction_state) read raw with read_uncommitted, and in log files. Prints where, with the "
                    + "secret masked but its last four characters.",
                    "Exit code: 0 nothing found, 1 something found, 2 usage error, 3 could not read the cluster or a file."})
    static final class ScanSecrets implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--bootstrap-servers", required = true, description = "Kafka cluster.")
        String bootstrapServers;

        @Option(names = "--command-config",
                description = "Kafka client properties (security settings); the passwords in it are searched for too.")
        Path commandConfig;

        @Option(names = "--logs", arity = "1..*", description = "Log files or directories (read recursively; .gz unpacked).")
        List<Path> logs = new ArrayList<>();

        @Option(names = "--secret-env", arity = "1..*",
                description = "Environment variables whose values must appear nowhere, e.g. METERFLOW_GATEWAY_API_KEY.")
        List<String> secretEnv = new ArrayList<>();

        @Option(names = "--secret-file", arity = "1..*",
                description = "Files each holding one secret value that must appear nowhere, e.g. /run/secrets/stripe.")
        List<Path> secretFiles = new ArrayList<>();

        @Override
        public Integer call() {
            Properties client = clientProperties(bootstrapServers, commandConfig);
            List<String> secrets = new ArrayList<>();
            for (String name : secretEnv) {
                String value = System.getenv(name);
                if (value == null || value.isBlank()) {
                    throw new CommandLine.ParameterException(spec.commandLine(),
                            "--secret-env " + name + ": the environment variable is not set");
                }
                secrets.add(value.strip());
            }
            for (Path file : secretFiles) {
                try {
                    secrets.add(Files.readString(file).strip());
                } catch (IOException e) {
                    throw new CommandLine.ParameterException(spec.commandLine(),
                            "cannot read --secret-file " + file + ": " + e.getMessage());
                }
            }
            secrets.addAll(SecretScan.passwordsIn(client));
            for (String secret : secrets) {
                if (secret.length() < SecretDetector.MIN_LITERAL_LENGTH) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "a secret to look for is shorter than "
                            + SecretDetector.MIN_LITERAL_LENGTH
                            + " characters and would match everywhere");
                }
            }
            for (Path log : logs) {
                if (!Files.exists(log)) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--logs " + log + ": no such file");
                }
            }
            ScanReport report;
            try {
                report = SecretScan.scan(client, logs, secrets.stream().distinct().toList());
            } catch (RuntimeException e) {
                System.err.println("scan-secrets failed: " + e.getMessage());
                return 3;
            }
            report.print(System.out);
            return report.ok() ? 0 : 1;
        }
    }
}
