package dev.meterflow.local;

import static dev.meterflow.local.LiveRecords.settingsFor;
import static dev.meterflow.testdata.PaymentMethodBuilder.aVisaCard;
import static dev.meterflow.testdata.TestData.LOCAL_NUMBER;
import static dev.meterflow.testdata.TestData.PRO_PLAN;
import static dev.meterflow.testdata.TestData.dollars;
import static dev.meterflow.local.LiveRecords.aUsageEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meterflow.api.BillingApi;
import dev.meterflow.api.access.LoginPolicy;
import dev.meterflow.api.access.Role;
import dev.meterflow.api.db.Database;
import dev.meterflow.api.db.EmbeddedDatabase;
import dev.meterflow.api.readmodel.Retention;
import dev.meterflow.embedded.EmbeddedKafka;
import dev.meterflow.embedded.EmbeddedKafka.ScramUser;
import dev.meterflow.gatewaysim.GatewaySimulator;
import dev.meterflow.gatewaysim.SimulatorSettings;
import dev.meterflow.metering.MeteringService;
import dev.meterflow.metering.config.MeteringConfig;
import dev.meterflow.schemas.AccountBalance;
import dev.meterflow.schemas.LedgerEntry;
import dev.meterflow.schemas.LedgerEntryKind;
import dev.meterflow.schemas.PaymentResult;
import dev.meterflow.schemas.PaymentStatus;
import dev.meterflow.schemas.RechargeRequest;
import dev.meterflow.testdata.RateCardBuilder;
import dev.meterflow.topics.Topics;
import dev.meterflow.worker.RechargeWorkerService;
import dev.meterflow.worker.config.WorkerConfig;
import java.io.IOException;
import java.io.Writer;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.config.provider.FileConfigProvider;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6: both apps on a secured broker. The broker has a SASL_SSL listener (a self-signed certificate made
 * here with keytool, SCRAM-SHA-512 users, one per app) and the StandardAuthorizer with exactly the ACLs that
 * {@code deploy/SECURITY.md} tells operators to create. The apps get only Kafka client settings, their passwords
 * read from a secret file by Kafka's FileConfigProvider, and must carry a recharge end to end. The test itself
 * writes and reads over the PLAINTEXT listener, as an operator (a super user).
 */
class SecureClusterIT {

    private static final Duration WAIT = Duration.ofSeconds(45);
    private static final Path SECURITY_DOC = Path.of("..", "SECURITY.md");
    /** The names SECURITY.md's ACLs are written for: the shipped application.id, group.id and transactional.id. */
    private static final String METERING_APPLICATION_ID = "metering-topology";

    private static final ScramUser METERING = new ScramUser("meterflow-metering", secret());
    private static final ScramUser WORKER = new ScramUser("meterflow-worker", secret());
    private static final ScramUser OPS = new ScramUser("meterflow-ops", secret());
    private static final ScramUser API = new ScramUser("meterflow-api", secret());

    @TempDir
    static Path dir;

    private static SelfSignedTls tls;
    private static Path secretsFile;
    private static Path opsCommandConfig;
    private static EndToEndCluster cluster;
    private static EmbeddedKafka kafka;
    private static GatewaySimulator gateway;
    private static MeteringService metering;
    private static RechargeWorkerService worker;

    @BeforeAll
    static void startSecuredPipeline() throws Exception {
        tls = SelfSignedTls.generate(Files.createDirectories(dir.resolve("tls")), secret());
        secretsFile = writeSecrets(Files.createDirectories(dir.resolve("secrets")));
        kafka = EmbeddedKafka.builder()
                .saslSsl(tls.keyStore(), tls.password(), List.of(METERING, WORKER, OPS, API))
                .authorizer(true)
                .start();
        createDocumentedAcls();
        // the operator creates the topics over SASL_SSL, with its settings in a --command-config file
        opsCommandConfig = writeProperties(dir.resolve("ops.properties"), clientSettings(OPS, "ops.password"));
        assertThat(meterflow("provision-topics", "--bootstrap-servers", kafka.secureBootstrapServers(),
                "--command-config", opsCommandConfig.toString(), "--partitions", "2", "--replication", "1"))
                .as("provision-topics exit code").isZero();
        cluster = EndToEndCluster.start(kafka);
        cluster.publish(Topics.RATE_CARDS, PRO_PLAN, RateCardBuilder.aRateCard().build());
        gateway = GatewaySimulator.start(0, SimulatorSettings.defaults());

        Properties meteringProps = cluster.meteringProperties(METERING_APPLICATION_ID, dir.resolve("metering-state"));
        meteringProps.putAll(clientSettings(METERING, "metering.password"));
        metering = cluster.startMetering(meteringProps);
        Properties workerClient = clientSettings(WORKER, "worker.password");
        // SECURITY.md's ACLs are written for the shipped group.id and transactional.id prefix
        WorkerConfig workerConfig = WorkerConfig.from(workerClient);
        assertThat(workerConfig.get(WorkerConfig.GROUP_ID)).isEqualTo("recharge-worker");
        assertThat(workerConfig.get(WorkerConfig.TRANSACTIONAL_ID)).startsWith("recharge-worker-");
        worker = cluster.startWorker(gateway, workerClient);
    }

    @AfterAll
    static void stopPipeline() {
        if (worker != null) {
            worker.close();
        }
        if (metering != null) {
            metering.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (cluster != null) {
            cluster.close();
        } else if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldTopTheBalanceUpOverTheSecuredListenerWhenUsageTakesItUnderTheThreshold() {
        // given an account with auto-recharge to $50 under $15, funded to $50 by its opening recharge
        String account = "acct-secure";
        cluster.publish(Topics.ACCOUNT_SETTINGS, account,
                settingsFor(account).topUpTo(dollars(50)).whenBelow(dollars(15)).paymentMethods(aVisaCard()).build());
        awaitCredited(account, awaitRequests(account, 1).get(0));

        // when twelve numbers at $3.00 take it to $14.00, under the threshold
        cluster.publish(Topics.USAGE_EVENTS, account, aUsageEvent().withEventId("secure-numbers").forAccount(account)
                .sku(LOCAL_NUMBER).quantity(12).build());

        // then the topology asks for $36.00, the worker charges it once, and the topology credits it
        RechargeRequest recharge = awaitRequests(account, 2).get(1);
        assertThat(recharge.getAmountCents()).isEqualTo(3_600);
        awaitCredited(account, recharge);
        assertThat(cluster.values(Topics.PAYMENT_RESULTS, account))
                .filteredOn(result -> result.getRequestId().equals(recharge.getRequestId()))
                .extracting(PaymentResult::getStatus).containsExactly(PaymentStatus.SUCCEEDED);
        assertThat(gateway.successfulChargesByRequestId().get(recharge.getRequestId())).singleElement()
                .satisfies(charge -> assertThat(charge.amountCents()).isEqualTo(3_600));
        AccountBalance balance = cluster.latest(Topics.ACCOUNT_BALANCES, account).orElseThrow();
        assertThat(balance.getBalanceMicros()).isEqualTo(dollars(50));
    }

    @Test
    void shouldReplayParkedUsageWithTheOperatorsCommandConfig() {
        // given usage of an account without settings, parked, and then the account's settings
        String account = "acct-secure-late";
        cluster.publish(Topics.USAGE_EVENTS, account, aUsageEvent().withEventId("secure-late").forAccount(account)
                .sku(LOCAL_NUMBER).quantity(1).build());
        awaitPipeline("the usage of " + account + " parked").until(
                () -> cluster.values(Topics.USAGE_UNPRICED, account), parked -> !parked.isEmpty());
        cluster.publish(Topics.ACCOUNT_SETTINGS, account, settingsFor(account).autoRechargeOff().build());
        // (new settings open the balance: once it is there, the topology holds them)
        awaitPipeline("the balance of " + account + " opened").until(
                () -> cluster.latest(Topics.ACCOUNT_BALANCES, account).isPresent());

        // when the operator replays parked usage over SASL_SSL
        int exitCode = meterflow("replay-unpriced", "--bootstrap-servers", kafka.secureBootstrapServers(),
                "--command-config", opsCommandConfig.toString());

        // then the parked event is debited
        assertThat(exitCode).as("replay-unpriced exit code").isZero();
        awaitPipeline("the replayed usage of " + account + " debited").untilAsserted(() -> assertThat(
                cluster.values(Topics.LEDGER_ENTRIES, account)).extracting(LedgerEntry::getEntryId)
                .containsExactly("usage:secure-late"));
    }

    @Test
    void shouldRefuseAClientWhoseCredentialsTheBrokerDoesNotKnow() {
        Properties wrongPassword = clientSettings(METERING, null);
        wrongPassword.setProperty(SaslConfigs.SASL_JAAS_CONFIG,
                new ScramUser(METERING.name(), "not-" + METERING.password()).jaasConfig());
        Properties unknownUser = clientSettings(METERING, null);
        unknownUser.setProperty(SaslConfigs.SASL_JAAS_CONFIG, new ScramUser("mallory", secret()).jaasConfig());

        assertThatThrownBy(() -> describeCluster(wrongPassword))
                .as("a client with a wrong password on the SASL_SSL listener")
                .hasRootCauseInstanceOf(SaslAuthenticationException.class);
        assertThatThrownBy(() -> describeCluster(unknownUser))
                .as("a client of an unknown user on the SASL_SSL listener")
                .hasRootCauseInstanceOf(SaslAuthenticationException.class);
    }

    @Test
    void shouldNotServeAClientWithoutSaslOnTheSecuredListener() {
        // TLS alone, no SASL: the broker waits for a SASL handshake and drops the connection, so nothing is served
        Properties tlsOnly = clientSettings(METERING, null);
        tlsOnly.setProperty(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL");
        tlsOnly.remove(SaslConfigs.SASL_MECHANISM);
        tlsOnly.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        tlsOnly.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");

        assertThatThrownBy(() -> describeCluster(tlsOnly))
                .as("a client without SASL on the SASL_SSL listener")
                .hasRootCauseInstanceOf(TimeoutException.class);
    }

    /**
     * Issue 11: the billing API as {@code meterflow-api} with SECURITY.md's ACLs: its read model reads every topic it
     * projects, and a settings change made over HTTP is written to {@code account-settings} and answered
     * {@code applied} once the metering app's group (Describe) has committed past it.
     */
    @Test
    void shouldRunTheBillingApiWithItsDocumentedAcls() throws Exception {
        String account = "acct-api";
        cluster.publish(Topics.ACCOUNT_SETTINGS, account,
                settingsFor(account).topUpTo(dollars(50)).whenBelow(dollars(15)).paymentMethods(aVisaCard()).build());
        try (EmbeddedDatabase postgres = EmbeddedDatabase.start(null);
             Database database = postgres.open(4);
             BillingApi api = BillingApi.start(new BillingApi.Options(clientSettings(API, "api.password"),
                     "127.0.0.1", 0, new Retention(25), 500, Duration.ofSeconds(40),
                     new LoginPolicy(5, Duration.ofMinutes(15)), 100, Duration.ofHours(1), METERING_APPLICATION_ID),
                     database, Clock.systemUTC())) {
            await("the billing API's read model caught up on the secured listener").atMost(WAIT)
                    .failFast("the read model stopped", () -> api.readModelRun().isDone())
                    .until(() -> api.notReady().isEmpty() && shows(database, account));
            String password = secret();
            api.authenticator().createUser("admin@acct-api.example", password, Role.ACCOUNT_ADMIN, account);

            HttpResponse<String> saved = changeThreshold(api.port(), "admin@acct-api.example", password, account);

            assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);
            assertThat(saved.body()).contains("applied");
            assertThat(cluster.values(Topics.ACCOUNT_SETTINGS, account)).last()
                    .satisfies(settings -> assertThat(settings.getAutoRecharge().getThresholdMicros())
                            .isEqualTo(dollars(20)));
        }
    }

    @Test
    void shouldNotLetTheWorkerReadWhatOnlyTheMeteringTopologyReads() {
        Map<String, Object> workerClient = WorkerConfig.from(clientSettings(WORKER, "worker.password"))
                .kafkaClientProperties();
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(workerClient, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            assertThatThrownBy(() -> consumer.partitionsFor(Topics.USAGE_EVENTS.name(), Duration.ofSeconds(20)))
                    .isInstanceOf(TopicAuthorizationException.class);
        }
    }

    // ---- set-up --------------------------------------------------------------------------------------------

    /**
     * What an app's configuration file would say to use the SASL_SSL listener, with every password a
     * {@code ${file:...}} reference to the secret file.
     *
     * @param passwordKey the user's password in the secret file; {@code null} to leave out the JAAS line
     */
    private static Properties clientSettings(ScramUser user, String passwordKey) {
        Properties props = new Properties();
        props.setProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.secureBootstrapServers());
        props.setProperty(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
        props.setProperty(SaslConfigs.SASL_MECHANISM, EmbeddedKafka.SCRAM_MECHANISM);
        props.setProperty("config.providers", "file");
        props.setProperty("config.providers.file.class", FileConfigProvider.class.getName());
        props.setProperty("config.providers.file.param.allowed.paths", secretsFile.getParent().toString());
        if (passwordKey != null) {
            props.setProperty(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.scram.ScramLoginModule "
                    + "required username=\"" + user.name() + "\" password=\"" + secretReference(passwordKey) + "\";");
        }
        props.setProperty(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
        props.setProperty(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, tls.trustStore().toString());
        props.setProperty(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, secretReference("truststore.password"));
        return props;
    }

    private static String secretReference(String key) {
        return "${file:" + secretsFile + ":" + key + "}";
    }

    private static Path writeSecrets(Path secretsDir) throws IOException {
        Properties secrets = new Properties();
        secrets.setProperty("metering.password", METERING.password());
        secrets.setProperty("worker.password", WORKER.password());
        secrets.setProperty("ops.password", OPS.password());
        secrets.setProperty("api.password", API.password());
        secrets.setProperty("truststore.password", tls.password());
        return writeProperties(secretsDir.resolve("kafka.properties"), secrets);
    }

    private static Path writeProperties(Path file, Properties properties) throws IOException {
        try (Writer writer = Files.newBufferedWriter(file)) {
            properties.store(writer, null);
        }
        return file;
    }

    /** Runs a {@code meterflow} command as its jar would, and returns its exit code. */
    private static int meterflow(String... args) {
        return MeterflowCli.commandLine().execute(args);
    }

    /** Creates the ACLs of SECURITY.md and waits until the broker enforces them (they travel the metadata log). */
    private static void createDocumentedAcls() throws Exception {
        List<AclBinding> acls = DocumentedAcls.from(SECURITY_DOC);
        try (Admin admin = kafka.admin()) {
            admin.createAcls(acls).all().get();
            await().atMost(WAIT).until(() -> admin.describeAcls(AclBindingFilter.ANY).values().get(),
                    present -> present.containsAll(acls));
        }
    }

    private static void describeCluster(Properties client) throws InterruptedException, ExecutionException {
        Properties props = new Properties();
        props.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "20000");
        props.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.putAll(client);
        try (Admin admin = Admin.create(props)) {
            admin.describeCluster().nodes().get();
        }
    }

    private static String secret() {
        return UUID.randomUUID().toString();
    }

    /** Waits, but stops at once with the reason when an app has died (a missing ACL kills a stream thread). */
    private static ConditionFactory awaitPipeline(String what) {
        return await(what + " (an authorization error in the log means SECURITY.md's ACLs miss something)")
                .atMost(WAIT)
                .failFast("the metering topology stopped", () -> metering.state() == KafkaStreams.State.ERROR
                        || metering.state() == KafkaStreams.State.PENDING_ERROR);
    }

    // ---- the billing API ------------------------------------------------------------------------------------

    private static boolean shows(Database database, String account) {
        return database.jdbi().withHandle(handle -> handle.createQuery("SELECT count(*) FROM accounts"
                + " WHERE account_id = :account AND settings_updated_at IS NOT NULL").bind("account", account)
                .mapTo(Long.class).one()) == 1;
    }

    /** Signs in and sets the threshold to $20 (target $50), as the Billing Settings page's script would. */
    private static HttpResponse<String> changeThreshold(int port, String email, String password, String account)
            throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        String base = "http://127.0.0.1:" + port + "/api/v1";
        HttpResponse<String> session = http.send(HttpRequest.newBuilder(URI.create(base + "/session"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"email\": \"" + email + "\", \"password\": \"" + password + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(session.statusCode()).as(session.body()).isEqualTo(200);
        String csrf = new ObjectMapper().readTree(session.body()).path("csrfToken").asText();
        return http.send(HttpRequest.newBuilder(URI.create(base + "/accounts/" + account + "/settings/auto-recharge"))
                .header("Content-Type", "application/json").header("X-CSRF-Token", csrf)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"enabled\": true, \"mode\": \"TOP_UP_TO_TARGET\","
                        + " \"thresholdCents\": 2000, \"targetCents\": 5000, \"amountCents\": 0}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    // ---- reading -------------------------------------------------------------------------------------------

    private static List<RechargeRequest> awaitRequests(String account, int count) {
        return awaitPipeline(count + " recharge request(s) of " + account + " from the metering topology")
                .until(() -> cluster.values(Topics.RECHARGE_REQUESTS, account), requests -> requests.size() >= count);
    }

    private static void awaitCredited(String account, RechargeRequest request) {
        awaitPipeline("recharge " + request.getRequestId() + " charged by the worker and credited by the topology")
                .untilAsserted(() -> assertThat(cluster.values(Topics.LEDGER_ENTRIES, account))
                .filteredOn(entry -> entry.getKind() == LedgerEntryKind.RECHARGE)
                .extracting(LedgerEntry::getSourceId)
                .containsOnlyOnce(request.getRequestId()));
    }
}
