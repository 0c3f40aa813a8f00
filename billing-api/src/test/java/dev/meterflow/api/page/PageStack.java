package dev.meterflow.api.page;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.meterflow.api.BillingApi;
import dev.meterflow.api.access.LoginPolicy;
import dev.meterflow.api.access.Role;
import dev.meterflow.api.db.Database;
import dev.meterflow.api.db.EmbeddedDatabase;
import dev.meterflow.api.notify.Notifier;
import dev.meterflow.api.notify.NotifierMain;
import dev.meterflow.api.notify.SmtpMailSender;
import dev.meterflow.api.readmodel.Retention;
import dev.meterflow.embedded.EmbeddedKafka;
import dev.meterflow.metering.MeteringService;
import dev.meterflow.metering.config.MeteringConfig;
import dev.meterflow.schemas.AccountSettings;
import dev.meterflow.schemas.AutoRecharge;
import dev.meterflow.schemas.AutoRechargeMode;
import dev.meterflow.schemas.LedgerEntry;
import dev.meterflow.schemas.LedgerEntryKind;
import dev.meterflow.schemas.PaymentMethodRef;
import dev.meterflow.schemas.PaymentMethodRole;
import dev.meterflow.schemas.PaymentMethodType;
import dev.meterflow.schemas.Price;
import dev.meterflow.schemas.PriceCategory;
import dev.meterflow.schemas.RateCard;
import dev.meterflow.schemas.ServiceAddress;
import dev.meterflow.schemas.TaxRate;
import dev.meterflow.schemas.UsageEvent;
import dev.meterflow.topics.Topic;
import dev.meterflow.topics.Topics;
import dev.meterflow.worker.RechargeWorkerService;
import dev.meterflow.worker.config.WorkerConfig;
import dev.meterflow.worker.gateway.stripe.StripeGateway;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.simplejavamail.api.mailer.config.TransportStrategy;

/**
 * Everything behind the Billing Settings page, started once for a test class: a real broker with every topic,
 * embedded PostgreSQL, the billing API (read model, API, page), the notifier sending to GreenMail, and, with
 * {@code pipeline}, the metering topology and the recharge worker charging the gateway simulator.
 */
final class PageStack implements AutoCloseable {

    static final String PASSWORD = "correct horse battery";
    static final String PLAN = "plan-page";
    /** One dollar an item, so a test debits whole dollars. */
    static final String DOLLAR_ITEM = "page.test.item";
    /** One dollar an item, and taxed. */
    static final String TAXABLE_ITEM = "page.test.taxable";
    /** Texas's state sales tax, 6.25%: $80 of taxable usage is taxed $5.00. */
    static final TaxRate TEXAS = TaxRate.newBuilder().setJurisdiction("US-TX").setRatePpm(62_500)
            .setName("Texas state sales tax").build();

    private final List<AutoCloseable> parts = new ArrayList<>();
    private EmbeddedKafka kafka;
    private Database database;
    private BillingApi api;
    private GreenMail mail;
    private KafkaProducer<byte[], byte[]> producer;

    static PageStack start(boolean pipeline) {
        PageStack stack = new PageStack();
        try {
            stack.startParts(pipeline);
            return stack;
        } catch (RuntimeException | Error e) {
            stack.close();
            throw e;
        }
    }

    private void startParts(boolean pipeline) {
        kafka = add(EmbeddedKafka.start(null));
        kafka.createTopics(Topics.ALL.stream().map(topic -> new EmbeddedKafka.TopicSpec(topic.name(), 2,
                topic.compacted())).toList());
        producer = add(new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer()));
        EmbeddedDatabase postgres = add(EmbeddedDatabase.start(null));
        database = add(postgres.open(8));
        api = add(BillingApi.start(new BillingApi.Options(kafkaProps(null), "127.0.0.1", 0, new Retention(25),
                        500, Duration.ofSeconds(20), new LoginPolicy(5, Duration.ofMinutes(15)), 1_000,
                        Duration.ofHours(8)), database, Clock.systemUTC()));
        mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        mail.start();
        parts.add(mail::stop);
        Notifier notifier = add(NotifierMain.start(kafkaProps("page-notifier"), database,
                new SmtpMailSender("127.0.0.1", mail.getSmtp().getPort(), TransportStrategy.SMTP, null, null,
                        "billing@meterflow.test"), (id, to, text) -> { }, new Retention(25), Clock.systemUTC(),
                Duration.ofSeconds(1)));
        CompletableFuture.runAsync(notifier, runnable -> new Thread(runnable, "page-notifier").start());
        publish(Topics.RATE_CARDS, PLAN, rateCard());
        publish(Topics.TAX_RATES, TEXAS.getJurisdiction(), TEXAS);
        if (pipeline) {
            startPipeline();
            taxableUsageLastMonth();
        }
        for (String account : List.of("acme", "bistro", "other")) {
            api.authenticator().createUser("admin@" + account + ".example", PASSWORD, Role.ACCOUNT_ADMIN, account);
        }
        api.authenticator().createUser("viewer@acme.example", PASSWORD, Role.BILLING_VIEWER, "acme");
        api.authenticator().createUser("locked@acme.example", PASSWORD, Role.ACCOUNT_ADMIN, "acme");
        publish(Topics.ACCOUNT_SETTINGS, "acme", pipeline ? inAustin(settings("acme", true)) : settings("acme", true));
        publish(Topics.ACCOUNT_SETTINGS, "bistro", settings("bistro", false));
        publish(Topics.ACCOUNT_SETTINGS, "other", settings("other", true));
        startAgencies();
    }

    /**
     * Taxable usage of acme's last month, stamped in that month, so its monthly tax run fires by stream time, as on
     * the 1st: once acme's task reads a record of this month (acme's settings, published next, or a recharge's
     * result), last month's line is taxed at Texas's rate. Before anything else is published, and the wall-clock
     * run held off ({@link #startPipeline}): a record of this month, or the wall clock, reaching acme's task first
     * would close last month before its usage arrived, and the usage would wait for next month's run.
     */
    private void taxableUsageLastMonth() {
        ZonedDateTime lastMonth = YearMonth.now(ZoneOffset.UTC).minusMonths(1).atDay(15).atTime(12, 0)
                .atZone(ZoneOffset.UTC);
        AccountSettings acme = inAustin(settings("acme", true));
        acme.setUpdatedAt(lastMonth.toInstant());
        publish(Topics.ACCOUNT_SETTINGS, "acme", acme, lastMonth.toInstant());
        // the topology parks usage of an account whose settings it has not read: its first balance says it has
        await("acme's settings in the pipeline", "SELECT count(*) FROM accounts WHERE account_id = 'acme'"
                + " AND balance_micros IS NOT NULL");
        Instant usedAt = lastMonth.plusMinutes(5).toInstant();
        publish(Topics.USAGE_EVENTS, "acme", UsageEvent.newBuilder().setEventId("page-taxable-last-month")
                .setAccountId("acme").setSku(TAXABLE_ITEM).setQuantity(80).setOccurredAt(usedAt)
                .setAttributes(Map.of()).build(), usedAt);
        await("last month's taxable usage debited", "SELECT count(*) FROM daily_usage WHERE account_id = 'acme'"
                + " AND sku = '" + TAXABLE_ITEM + "'");
    }

    /** Waits until the read model answers a count above zero. */
    private void await(String what, String countQuery) {
        org.awaitility.Awaitility.await(what).atMost(Duration.ofMinutes(2)).until(() -> database.jdbi().withHandle(
                handle -> handle.createQuery(countQuery).mapTo(Long.class).one()) > 0);
    }

    /** acme's last month's sales tax line, in the read model once its task has read a record of this month. */
    boolean lastMonthTaxed() {
        return database.jdbi().withHandle(handle -> handle.createQuery("SELECT count(*) FROM tax_lines"
                + " WHERE account_id = 'acme' AND tax_period = :month").bind("month",
                YearMonth.now(ZoneOffset.UTC).minusMonths(1).toString()).mapTo(Long.class).one()) > 0;
    }

    /**
     * Two agencies, each with its agency admin: {@code agency} pays for {@code agency-sub-1} and {@code -2},
     * {@code rival} for {@code rival-sub}. Neither recharges automatically, so usage can pause an agency.
     */
    private void startAgencies() {
        api.authenticator().createUser("agent@agency.example", PASSWORD, Role.AGENCY_ADMIN, "agency");
        api.authenticator().createUser("agent@rival.example", PASSWORD, Role.AGENCY_ADMIN, "rival");
        api.authenticator().createUser("admin@agency-sub-1.example", PASSWORD, Role.ACCOUNT_ADMIN, "agency-sub-1");
        publish(Topics.ACCOUNT_SETTINGS, "agency", settings("agency", false));
        publish(Topics.ACCOUNT_SETTINGS, "rival", settings("rival", false));
        for (String[] sub : new String[][] {{"agency-sub-1", "agency"}, {"agency-sub-2", "agency"},
                {"rival-sub", "rival"}}) {
            AccountSettings settings = settings(sub[0], false);
            settings.setParentAccountId(sub[1]);
            publish(Topics.ACCOUNT_SETTINGS, sub[0], settings);
        }
    }

    private void startPipeline() {
        GatewayProcess gateway = add(GatewayProcess.start());
        Properties metering = new Properties();
        metering.setProperty(MeteringConfig.BOOTSTRAP_SERVERS.name(), kafka.bootstrapServers());
        metering.setProperty(MeteringConfig.APPLICATION_ID.name(), "page-metering");
        metering.setProperty(MeteringConfig.STATE_DIR.name(), tempDir("page-metering").toString());
        metering.setProperty(MeteringConfig.COMMIT_INTERVAL_MS.name(), "100");
        // the tax run by stream time only, so it cannot close last month before taxableUsageLastMonth()'s usage
        metering.setProperty(MeteringConfig.TAX_RUN_INTERVAL.name(), "PT12H");
        add(new MeteringService(MeteringConfig.from(metering)).start());
        Properties worker = new Properties();
        worker.setProperty(WorkerConfig.BOOTSTRAP_SERVERS.name(), kafka.bootstrapServers());
        worker.setProperty(WorkerConfig.GATEWAY_BASE_URL.name(), gateway.baseUrl());
        worker.setProperty(WorkerConfig.GATEWAY_API_KEY.name(), "sk_test_" + "page" + UUID.randomUUID()
                .toString().replace("-", ""));
        worker.setProperty(WorkerConfig.UNKNOWN_RETRY_BACKOFF.name(), "PT0.1S");
        worker.setProperty(WorkerConfig.RECONCILE_INTERVAL.name(), "PT1S");
        worker.setProperty(WorkerConfig.SHUTDOWN_TIMEOUT.name(), "PT5S");
        WorkerConfig config = WorkerConfig.from(worker);
        add(RechargeWorkerService.start(config, new StripeGateway(config.gatewayApiKey(),
                config.get(WorkerConfig.GATEWAY_BASE_URL), Duration.ofSeconds(10))));
    }

    String baseUrl() {
        return "http://127.0.0.1:" + api.port();
    }

    BillingApi api() {
        return api;
    }

    Database database() {
        return database;
    }

    GreenMail mail() {
        return mail;
    }

    /** Usage of {@code dollars} whole dollars on the account, as one event. */
    void usage(String accountId, long dollars) {
        String eventId = "page-" + UUID.randomUUID();
        publish(Topics.USAGE_EVENTS, accountId, UsageEvent.newBuilder().setEventId(eventId).setAccountId(accountId)
                .setSku(DOLLAR_ITEM).setQuantity(dollars).setOccurredAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .setAttributes(Map.of()).build());
    }

    <V> void publish(Topic<String, V> topic, String key, V value) {
        publish(topic, key, value, null);
    }

    /** @param timestamp the record's time, which the metering topology's stream time follows; null for now */
    private <V> void publish(Topic<String, V> topic, String key, V value, Instant timestamp) {
        producer.send(new ProducerRecord<>(topic.name(), null, timestamp == null ? null : timestamp.toEpochMilli(),
                key.getBytes(StandardCharsets.UTF_8), topic.valueSerde().serializer().serialize(topic.name(), value)));
        producer.flush();
    }

    /** A monthly sales tax debit as the metering topology writes it (LedgerEntry v2's tax fields). */
    void taxCharge(String accountId, String month, String jurisdiction, long baseMicros, long ratePpm,
                   long taxMicros) {
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        publish(Topics.LEDGER_ENTRIES, accountId, LedgerEntry.newBuilder().setEntryId("tax:" + accountId + ":" + month)
                .setAccountId(accountId).setSourceAccountId(accountId).setKind(LedgerEntryKind.TAX).setSku(null)
                .setQuantity(0).setAmountMicros(-taxMicros).setBalanceAfterMicros(-taxMicros).setSourceId(month)
                .setOccurredAt(at).setPostedAt(at).setTaxPeriod(month).setTaxJurisdiction(jurisdiction)
                .setTaxableBaseMicros(baseMicros).setTaxRatePpm(ratePpm).build());
    }

    static AccountSettings settings(String accountId, boolean autoRecharge) {
        return AccountSettings.newBuilder().setAccountId(accountId).setRatePlanId(PLAN).setParentAccountId(null)
                .setAutoRecharge(AutoRecharge.newBuilder().setEnabled(autoRecharge)
                        .setMode(AutoRechargeMode.TOP_UP_TO_TARGET).setThresholdMicros(10_000_000)
                        .setTargetMicros(50_000_000).setAmountMicros(0).build())
                .setPaymentMethods(List.of(PaymentMethodRef.newBuilder().setPaymentMethodId("pm_card_visa")
                        .setCustomerId("cus_" + accountId).setType(PaymentMethodType.CARD).setBrand("visa")
                        .setLast4("4242").setRole(PaymentMethodRole.PRIMARY).setExpMonth(8).setExpYear(2030)
                        .build()))
                .setBillingEmails(List.of("billing@" + accountId + ".example")).setCriticalBillingPhone(null)
                .setDirectChargePlanFee(false).setServiceAddress(null).setTaxExempt(false)
                .setUpdatedAt(Instant.now().minusSeconds(3600).truncatedTo(ChronoUnit.MILLIS)).build();
    }

    /** The account in Austin, whose sales tax is Texas's. */
    private static AccountSettings inAustin(AccountSettings settings) {
        settings.setServiceAddress(ServiceAddress.newBuilder().setLine1("500 Congress Ave").setCity("Austin")
                .setRegion("TX").setPostalCode("78701").setCountry("US").build());
        return settings;
    }

    private static RateCard rateCard() {
        return RateCard.newBuilder().setRatePlanId(PLAN).setCurrency("USD")
                .setPrices(new java.util.LinkedHashMap<>(Map.of(DOLLAR_ITEM, Price.newBuilder()
                        .setUnitPriceMicros(1_000_000).setUnitSize(1).setCategory(PriceCategory.TRACKING_NUMBER)
                        .setTaxable(false).build(), TAXABLE_ITEM, Price.newBuilder().setUnitPriceMicros(1_000_000)
                        .setUnitSize(1).setCategory(PriceCategory.CALL_MINUTES).setTaxable(true).build())))
                .setUpdatedAt(Instant.parse("2026-01-01T00:00:00Z")).build();
    }

    private Properties kafkaProps(String group) {
        Properties props = new Properties();
        props.put("bootstrap.servers", kafka.bootstrapServers());
        if (group != null) {
            props.put("group.id", group);
        }
        return props;
    }

    private static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private <T extends AutoCloseable> T add(T part) {
        parts.add(part);
        return part;
    }

    /** Stops every part, the last started first. */
    @Override
    public void close() {
        for (int i = parts.size() - 1; i >= 0; i--) {
            try {
                parts.get(i).close();
            } catch (Exception e) {
                System.err.println("stopping a part of the page stack failed: " + e);
            }
        }
    }
}
