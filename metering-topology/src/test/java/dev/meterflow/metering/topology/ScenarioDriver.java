package dev.meterflow.metering.topology;

import dev.meterflow.metering.config.MeteringConfig;
import dev.meterflow.schemas.AccountBalance;
import dev.meterflow.schemas.AccountSettings;
import dev.meterflow.schemas.AccountStatusChanged;
import dev.meterflow.schemas.LedgerEntry;
import dev.meterflow.schemas.PaymentCommand;
import dev.meterflow.schemas.PaymentResult;
import dev.meterflow.schemas.RateCard;
import dev.meterflow.schemas.RechargeRequest;
import dev.meterflow.schemas.TaxRate;
import dev.meterflow.schemas.UsageEvent;
import dev.meterflow.topics.Topic;
import dev.meterflow.topics.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The metering topology in a {@link TopologyTestDriver} with its own state directory and application id, and
 * everything it has published so far, each output tagged with the input step that caused it.
 *
 * <p>Record time and the driver's wall clock move together, as they do in production: the dedup store keeps
 * ids by wall-clock time, the recharge back-off counts in record time.
 */
final class ScenarioDriver implements AutoCloseable {

    /** One record the topology published, and the number of the input that caused it. */
    record Emitted<V>(int step, String key, V value) {
    }

    /** One record the test piped in, and its step number. */
    record Sent<V>(int step, V value) {
    }

    private final Path stateDir;
    private final TopologyTestDriver driver;
    private Instant now;
    private int step;

    private final TestInputTopic<String, RateCard> rateCardsIn;
    private final TestInputTopic<String, AccountSettings> settingsIn;
    private final TestInputTopic<String, UsageEvent> usageIn;
    private final TestInputTopic<String, PaymentResult> resultsIn;
    private final TestInputTopic<String, PaymentCommand> commandsIn;
    private final TestInputTopic<String, TaxRate> taxRatesIn;

    private final Capture<LedgerEntry> ledgerEntries;
    private final Capture<AccountBalance> balances;
    private final Capture<AccountStatusChanged> statuses;
    private final Capture<RechargeRequest> rechargeRequests;
    private final Capture<UsageEvent> unpriced;
    private final Capture<PaymentResult> unmatchedResults;
    private final Capture<byte[]> deadLetters;
    private final List<Capture<?>> captures;

    private final List<Sent<UsageEvent>> sentUsage = new ArrayList<>();
    private final List<Sent<PaymentResult>> sentResults = new ArrayList<>();
    private final List<Sent<PaymentCommand>> sentCommands = new ArrayList<>();

    private ScenarioDriver(Path stateDir, Instant start) {
        this.stateDir = stateDir;
        this.now = start;
        Properties properties = new Properties();
        properties.setProperty(StreamsConfig.APPLICATION_ID_CONFIG, "metering-props-" + UUID.randomUUID());
        properties.setProperty(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // the scenarios' usage reaches $324,000 an event (7,200 software fees): invariants, not plausibility, here
        properties.setProperty(MeteringConfig.MAX_USAGE_AMOUNT.name(), "1000000");
        this.driver = new TopologyTestDriver(MeteringTopology.build(properties),
                MeteringConfig.from(properties).streamsProperties(), start);

        rateCardsIn = input(Topics.RATE_CARDS);
        settingsIn = input(Topics.ACCOUNT_SETTINGS);
        usageIn = input(Topics.USAGE_EVENTS);
        resultsIn = input(Topics.PAYMENT_RESULTS);
        commandsIn = input(Topics.PAYMENT_COMMANDS);
        taxRatesIn = input(Topics.TAX_RATES);

        ledgerEntries = capture(Topics.LEDGER_ENTRIES);
        balances = capture(Topics.ACCOUNT_BALANCES);
        statuses = capture(Topics.ACCOUNT_STATUS);
        rechargeRequests = capture(Topics.RECHARGE_REQUESTS);
        unpriced = capture(Topics.USAGE_UNPRICED);
        unmatchedResults = capture(Topics.PAYMENT_RESULTS_UNMATCHED);
        deadLetters = capture(Topics.METERING_DLQ);
        captures = List.of(ledgerEntries, balances, statuses, rechargeRequests, unpriced, unmatchedResults,
                deadLetters);
    }

    /** A driver whose record time and wall clock both start at {@code start}. */
    static ScenarioDriver startingAt(Instant start) {
        try {
            // under target/, not the OS temp directory, which Kafka Streams warns may be cleared under it
            Path parent = Files.createDirectories(Path.of("target", "topology-test-state"));
            return new ScenarioDriver(Files.createTempDirectory(parent, "metering-"), start);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Instant now() {
        return now;
    }

    /**
     * Moves record time and the wall clock forward together; what the wall-clock punctuations publish is tagged
     * with the last input's step.
     */
    void advance(Duration duration) {
        now = now.plus(duration);
        driver.advanceWallClockTime(duration);
        captures.forEach(capture -> capture.drain(step));
    }

    void publishTaxRate(TaxRate rate) {
        pipe(taxRatesIn, rate.getJurisdiction(), rate);
    }

    void publishRateCard(RateCard card) {
        pipe(rateCardsIn, card.getRatePlanId(), card);
    }

    void publishSettings(AccountSettings settings) {
        pipe(settingsIn, settings.getAccountId(), settings);
    }

    void publishUsage(UsageEvent event) {
        sentUsage.add(new Sent<>(step + 1, event));
        pipe(usageIn, event.getAccountId(), event);
    }

    void publishPaymentResult(PaymentResult result) {
        sentResults.add(new Sent<>(step + 1, result));
        pipe(resultsIn, result.getAccountId(), result);
    }

    void publishPaymentCommand(PaymentCommand command) {
        sentCommands.add(new Sent<>(step + 1, command));
        pipe(commandsIn, command.getAccountId(), command);
    }

    List<Sent<PaymentCommand>> sentCommands() {
        return Collections.unmodifiableList(sentCommands);
    }

    List<Sent<UsageEvent>> sentUsage() {
        return Collections.unmodifiableList(sentUsage);
    }

    List<Sent<PaymentResult>> sentResults() {
        return Collections.unmodifiableList(sentResults);
    }

    List<Emitted<LedgerEntry>> ledgerEntries() {
        return ledgerEntries.records();
    }

    List<Emitted<AccountBalance>> balances() {
        return balances.records();
    }

    List<Emitted<AccountStatusChanged>> statuses() {
        return statuses.records();
    }

    List<Emitted<RechargeRequest>> rechargeRequests() {
        return rechargeRequests.records();
    }

    List<Emitted<UsageEvent>> unpriced() {
        return unpriced.records();
    }

    List<Emitted<PaymentResult>> unmatchedResults() {
        return unmatchedResults.records();
    }

    List<Emitted<byte[]>> deadLetters() {
        return deadLetters.records();
    }

    @Override
    public void close() {
        try {
            driver.close();
        } finally {
            deleteRecursively(stateDir);
        }
    }

    private <V> void pipe(TestInputTopic<String, V> topic, String key, V value) {
        step++;
        topic.pipeInput(key, value, now);
        captures.forEach(capture -> capture.drain(step));
    }

    private <V> TestInputTopic<String, V> input(Topic<String, V> topic) {
        return driver.createInputTopic(topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    private <K, V> Capture<V> capture(Topic<K, V> topic) {
        return new Capture<>(topic.name(), driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(),
                topic.valueSerde().deserializer()));
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete state directory " + root, e);
        }
    }

    /** Everything published to one output topic, in order. */
    private final class Capture<V> {
        private final String name;
        private final TestOutputTopic<?, V> topic;
        private final List<Emitted<V>> records = new ArrayList<>();

        Capture(String name, TestOutputTopic<?, V> topic) {
            this.name = name;
            this.topic = topic;
        }

        void drain(int step) {
            if (!driver.producedTopicNames().contains(name)) {
                return; // nothing published there yet (the driver warns about reading unknown topics)
            }
            for (TestRecord<?, V> record : topic.readRecordsToList()) {
                records.add(new Emitted<>(step, String.valueOf(record.key()), record.value()));
            }
        }

        List<Emitted<V>> records() {
            return Collections.unmodifiableList(records);
        }
    }
}
