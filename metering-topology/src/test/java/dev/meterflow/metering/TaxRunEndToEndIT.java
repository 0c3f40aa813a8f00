package dev.meterflow.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meterflow.embedded.EmbeddedKafka;
import dev.meterflow.metering.config.MeteringConfig;
import dev.meterflow.schemas.AccountSettings;
import dev.meterflow.schemas.AutoRecharge;
import dev.meterflow.schemas.AutoRechargeMode;
import dev.meterflow.schemas.LedgerEntry;
import dev.meterflow.schemas.LedgerEntryKind;
import dev.meterflow.schemas.Price;
import dev.meterflow.schemas.PriceCategory;
import dev.meterflow.schemas.RateCard;
import dev.meterflow.schemas.ServiceAddress;
import dev.meterflow.schemas.TaxRate;
import dev.meterflow.schemas.UsageEvent;
import dev.meterflow.topics.Topic;
import dev.meterflow.topics.TopicReader;
import dev.meterflow.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, §4 end to end on a real broker: taxable usage in October, then one event dated November 1st, and the
 * October TAX entry is on {@code ledger-entries} for {@code read_committed} readers. The month turns by record
 * time alone: the wall-clock run is set an hour apart, far beyond the test.
 */
class TaxRunEndToEndIT {

    private static final Instant OCTOBER_15 = Instant.parse("2026-10-15T10:00:00Z");
    private static final Instant NOVEMBER_1 = Instant.parse("2026-11-01T00:00:05Z");
    private static final String ACCOUNT = "a-taxed";
    private static final String SOFTWARE_FEE = "software.monthly";
    private static final String LOCAL_MINUTES = "call.minutes.local";

    @TempDir
    Path stateDir;

    private EmbeddedKafka kafka;
    private MeteringService metering;
    private KafkaProducer<byte[], byte[]> producer;

    @AfterEach
    void stop() {
        if (metering != null) {
            metering.close();
        }
        if (producer != null) {
            producer.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldPostOctobersTaxWhenTheFirstEventOfNovemberArrives() {
        kafka = EmbeddedKafka.start(null);
        kafka.createTopics(Topics.ALL.stream()
                .map(topic -> new EmbeddedKafka.TopicSpec(topic.name(), 2, topic.compacted())).toList());
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        producer = new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer());
        // reference data first: both global stores are complete before the first usage event
        send(Topics.RATE_CARDS, "standard", rateCard(), OCTOBER_15);
        send(Topics.TAX_RATES, "US-CA", TaxRate.newBuilder().setJurisdiction("US-CA").setRatePpm(72_500)
                .setName("California").build(), OCTOBER_15);
        send(Topics.ACCOUNT_SETTINGS, ACCOUNT, settings(), OCTOBER_15);
        producer.flush();

        Properties props = new Properties();
        props.setProperty("bootstrap.servers", kafka.bootstrapServers());
        props.setProperty("application.id", "metering-tax-it");
        props.setProperty("state.dir", stateDir.toString());
        props.setProperty(MeteringConfig.TAX_RUN_INTERVAL.name(), "PT1H");
        metering = new MeteringService(MeteringConfig.from(props)).start();
        // a new account's settings open its balance: once that is visible, usage finds its settings
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(TopicReader.readCommitted(
                kafka.bootstrapServers(), Topics.ACCOUNT_BALANCES.name())).isNotEmpty());

        send(Topics.USAGE_EVENTS, ACCOUNT, usage("oct-fee-1", SOFTWARE_FEE, 1, OCTOBER_15), OCTOBER_15);
        send(Topics.USAGE_EVENTS, ACCOUNT, usage("oct-fee-2", SOFTWARE_FEE, 1, OCTOBER_15.plusSeconds(60)),
                OCTOBER_15.plusSeconds(60));
        send(Topics.USAGE_EVENTS, ACCOUNT, usage("oct-call", LOCAL_MINUTES, 600, OCTOBER_15.plusSeconds(120)),
                OCTOBER_15.plusSeconds(120));
        producer.flush();
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(ledger())
                .extracting(LedgerEntry::getEntryId).containsExactly("usage:oct-fee-1", "usage:oct-fee-2",
                        "usage:oct-call"));

        send(Topics.USAGE_EVENTS, ACCOUNT, usage("nov-call", LOCAL_MINUTES, 60, NOVEMBER_1), NOVEMBER_1);
        producer.flush();

        // 7.25 % of $70.00 = $5.075, rounded half up to $5.08; the $2.50 of calls is not taxable
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(ledger())
                .extracting(LedgerEntry::getEntryId).containsExactly("usage:oct-fee-1", "usage:oct-fee-2",
                        "usage:oct-call", "tax:" + ACCOUNT + ":2026-10", "usage:nov-call"));
        LedgerEntry tax = ledger().get(3);
        assertThat(tax.getKind()).isEqualTo(LedgerEntryKind.TAX);
        assertThat(tax.getAmountMicros()).isEqualTo(-5_080_000L);
        assertThat(tax.getBalanceAfterMicros()).isEqualTo(-70_000_000L - 250_000L - 5_080_000L);
        assertThat(tax.getTaxPeriod()).isEqualTo("2026-10");
        assertThat(tax.getTaxJurisdiction()).isEqualTo("US-CA");
        assertThat(tax.getTaxableBaseMicros()).isEqualTo(70_000_000L);
        assertThat(tax.getTaxRatePpm()).isEqualTo(72_500L);
        assertThat(tax.getSourceId()).isEqualTo(tax.getEntryId());
    }

    private List<LedgerEntry> ledger() {
        return TopicReader.readCommitted(kafka.bootstrapServers(), Topics.LEDGER_ENTRIES.name()).stream()
                .filter(record -> ACCOUNT.equals(new String(record.key(), StandardCharsets.UTF_8)))
                .map(record -> Topics.LEDGER_ENTRIES.valueSerde().deserializer()
                        .deserialize(Topics.LEDGER_ENTRIES.name(), record.value()))
                .toList();
    }

    private <V> void send(Topic<String, V> topic, String key, V value, Instant at) {
        producer.send(new ProducerRecord<>(topic.name(), null, at.toEpochMilli(),
                key.getBytes(StandardCharsets.UTF_8), topic.valueSerde().serializer().serialize(topic.name(), value)));
    }

    private static RateCard rateCard() {
        return RateCard.newBuilder().setRatePlanId("standard").setCurrency("USD").setUpdatedAt(OCTOBER_15)
                .setPrices(Map.of(
                        LOCAL_MINUTES, Price.newBuilder().setUnitPriceMicros(25_000).setUnitSize(60)
                                .setCategory(PriceCategory.CALL_MINUTES).setTaxable(false).build(),
                        SOFTWARE_FEE, Price.newBuilder().setUnitPriceMicros(35_000_000).setUnitSize(1)
                                .setCategory(PriceCategory.SOFTWARE_FEE).setTaxable(true).build()))
                .build();
    }

    private static AccountSettings settings() {
        return AccountSettings.newBuilder()
                .setAccountId(ACCOUNT)
                .setRatePlanId("standard")
                .setAutoRecharge(AutoRecharge.newBuilder().setEnabled(false).setMode(AutoRechargeMode.TOP_UP_TO_TARGET)
                        .setThresholdMicros(0).setTargetMicros(50_000_000).setAmountMicros(0).build())
                .setPaymentMethods(List.of())
                .setBillingEmails(List.of("billing@" + ACCOUNT + ".example"))
                .setDirectChargePlanFee(false)
                .setServiceAddress(ServiceAddress.newBuilder().setLine1("1 Market St").setCity("San Francisco")
                        .setRegion("CA").setPostalCode("94105").setCountry("US").build())
                .setTaxExempt(false)
                .setUpdatedAt(OCTOBER_15)
                .build();
    }

    private static UsageEvent usage(String eventId, String sku, long quantity, Instant at) {
        return UsageEvent.newBuilder().setEventId(eventId).setAccountId(ACCOUNT).setSku(sku).setQuantity(quantity)
                .setOccurredAt(at).build();
    }
}
