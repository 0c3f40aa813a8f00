package dev.meterflow.topics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.serde.SingleObjectSerde;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The topic registry matches the topic table of docs/CONTRACT.md. */
class TopicsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(textBlock = """
            # topic,               value type,           compacted, keyed by account
            usage-events,          UsageEvent,           false,     true
            account-settings,      AccountSettings,      true,      true
            rate-cards,            RateCard,             true,      false
            tax-rates,             TaxRate,              true,      false
            payment-commands,      PaymentCommand,       false,     true
            ledger-entries,        LedgerEntry,          false,     true
            account-balances,      AccountBalance,       true,      true
            account-status,        AccountStatusChanged, true,      true
            recharge-requests,     RechargeRequest,      false,     true
            payment-results,       PaymentResult,        false,     true
            receipts,              Receipt,              false,     true
            billing-notifications, BillingNotification,  false,     true
            usage-rollups,         UsageRollup,          true,      false
            usage-unpriced,        UsageEvent,           false,     true
            """)
    void shouldDeclareEveryContractTopicWithItsValueTypeAndCleanupPolicy(String name, String valueType,
                                                                           boolean compacted, boolean keyedByAccount) {
        // when
        Topic<?, ?> topic = topicNamed(name);

        // then
        assertThat(topic.compacted()).as("%s compacted", name).isEqualTo(compacted);
        assertThat(topic.keyedByAccount()).as("%s keyed by account", name).isEqualTo(keyedByAccount);
        assertThat(topic.valueSerde()).isInstanceOf(SingleObjectSerde.class);
        assertThat(((SingleObjectSerde<?>) topic.valueSerde()).recordType())
                .isEqualTo("dev.meterflow.schemas." + valueType);
        assertThat(serializeKey(topic, "acct_7Q2M")).isEqualTo("acct_7Q2M".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldKeepTheDeadLetterTopicAsRawBytes() {
        // when
        Topic<?, ?> dlq = topicNamed("metering-dlq");

        // then
        assertThat(dlq.compacted()).isFalse();
        assertThat(dlq.keyedByAccount()).isFalse();
        byte[] received = {0x7b, 0x00, (byte) 0xff};
        assertThat(serializeValue(dlq, received)).isEqualTo(received);
        assertThat(serializeKey(dlq, received)).isEqualTo(received);
    }

    @Test
    void shouldNameEveryTopicOnce() {
        // when
        List<String> names = Topics.ALL.stream().map(Topic::name).toList();

        // then
        assertThat(names).doesNotHaveDuplicates();
    }

    @Test
    void shouldListEveryDeclaredTopicInAll() throws IllegalAccessException {
        // given: every public Topic constant of the registry
        List<Topic<?, ?>> declared = new ArrayList<>();
        for (Field field : Topics.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == Topic.class) {
                declared.add((Topic<?, ?>) field.get(null));
            }
        }

        // then
        assertThat(declared).isNotEmpty();
        assertThat(Topics.ALL).containsExactlyInAnyOrderElementsOf(declared);
    }

    @Test
    void shouldKeyRollupsByAccountDayAndSku() {
        // when
        String key = Topics.rollupKey("a1", LocalDate.of(2026, 11, 26), "call.minutes.local");

        // then
        assertThat(key).isEqualTo("a1/2026-11-26/call.minutes.local");
    }

    @Test
    void shouldPadRollupDaysSoKeysSortByDay() {
        // when
        String key = Topics.rollupKey("a1", LocalDate.of(2027, 1, 5), "transcription.minutes");

        // then
        assertThat(key).isEqualTo("a1/2027-01-05/transcription.minutes");
    }

    private static Topic<?, ?> topicNamed(String name) {
        return Topics.ALL.stream()
                .filter(topic -> topic.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("topic " + name + " is missing from Topics.ALL"));
    }

    @SuppressWarnings("unchecked")
    private static <K> byte[] serializeKey(Topic<?, ?> topic, K key) {
        return ((Serde<K>) topic.keySerde()).serializer().serialize(topic.name(), key);
    }

    @SuppressWarnings("unchecked")
    private static <V> byte[] serializeValue(Topic<?, ?> topic, V value) {
        return ((Serde<V>) topic.valueSerde()).serializer().serialize(topic.name(), value);
    }
}
