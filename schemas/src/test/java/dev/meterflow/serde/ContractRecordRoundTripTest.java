package dev.meterflow.serde;

import static dev.meterflow.serde.ContractRecords.CONTRACT_RECORD_TYPES;
import static dev.meterflow.serde.ContractRecords.aBillingNotification;
import static dev.meterflow.serde.ContractRecords.aLedgerEntry;
import static dev.meterflow.serde.ContractRecords.aPaymentCommand;
import static dev.meterflow.serde.ContractRecords.aPaymentResult;
import static dev.meterflow.serde.ContractRecords.aRateCard;
import static dev.meterflow.serde.ContractRecords.aReceipt;
import static dev.meterflow.serde.ContractRecords.aRechargeRequest;
import static dev.meterflow.serde.ContractRecords.aSoftDecline;
import static dev.meterflow.serde.ContractRecords.aSuccessfulAttempt;
import static dev.meterflow.serde.ContractRecords.aTaxRate;
import static dev.meterflow.serde.ContractRecords.aUsageEvent;
import static dev.meterflow.serde.ContractRecords.aUsageRollup;
import static dev.meterflow.serde.ContractRecords.anAccountBalance;
import static dev.meterflow.serde.ContractRecords.anAccountStatusChanged;
import static dev.meterflow.serde.ContractRecords.anAutoRecharge;
import static dev.meterflow.serde.ContractRecords.someAccountSettings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.schemas.AttemptOutcome;
import dev.meterflow.schemas.AutoRechargeMode;
import dev.meterflow.schemas.LedgerEntryKind;
import dev.meterflow.schemas.PaymentStatus;
import dev.meterflow.schemas.RechargeReason;
import dev.meterflow.topics.Topic;
import dev.meterflow.topics.Topics;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every contract record survives its topic's value serde, and the bytes are what CONTRACT.md promises. */
class ContractRecordRoundTripTest {

    /** One record as a producer would write it to its topic. */
    record Sample(String story, Topic<String, ? extends SpecificRecord> topic, SpecificRecord value) {
        @Override
        public String toString() {
            return story;
        }
    }

    static Stream<Sample> samples() {
        return Stream.of(
                new Sample("a call with its attributes", Topics.USAGE_EVENTS, aUsageEvent().build()),
                new Sample("a monthly number fee without attributes", Topics.USAGE_EVENTS, aUsageEvent()
                        .setSku("number.local.monthly").setQuantity(1).setAttributes(Map.of()).build()),
                new Sample("a rate card with two prices", Topics.RATE_CARDS, aRateCard().build()),
                new Sample("a rate card with no price yet", Topics.RATE_CARDS, aRateCard().setPrices(Map.of()).build()),
                new Sample("settings of an agency sub-account with every optional field", Topics.ACCOUNT_SETTINGS,
                        someAccountSettings().build()),
                new Sample("settings of a stand-alone account with no optional field", Topics.ACCOUNT_SETTINGS,
                        someAccountSettings()
                                .setParentAccountId(null)
                                .setCriticalBillingPhone(null)
                                .setServiceAddress(null)
                                .setAutoRecharge(anAutoRecharge().setEnabled(false)
                                        .setMode(AutoRechargeMode.FIXED_AMOUNT).setAmountMicros(25_000_000).build())
                                .setPaymentMethods(List.of())
                                .setBillingEmails(List.of())
                                .setTaxExempt(true)
                                .build()),
                new Sample("a state sales tax rate", Topics.TAX_RATES, aTaxRate().build()),
                new Sample("a payment on a chosen card", Topics.PAYMENT_COMMANDS, aPaymentCommand().build()),
                new Sample("a payment on the primary card", Topics.PAYMENT_COMMANDS,
                        aPaymentCommand().setPaymentMethodId(null).build()),
                new Sample("a usage debit", Topics.LEDGER_ENTRIES, aLedgerEntry().build()),
                new Sample("a recharge credit without sku", Topics.LEDGER_ENTRIES, aLedgerEntry()
                        .setEntryId("recharge:rr_acct_7Q2M_000042").setKind(LedgerEntryKind.RECHARGE).setSku(null)
                        .setQuantity(0).setAmountMicros(50_020_000).setBalanceAfterMicros(50_008_000).build()),
                new Sample("a plan fee charged to the card, the balance unchanged", Topics.LEDGER_ENTRIES, aLedgerEntry()
                        .setEntryId("plan-fee:evt_fee_2026_11").setKind(LedgerEntryKind.PLAN_FEE_DIRECT)
                        .setSku("plan.monthly.pro").setQuantity(1).setAmountMicros(0).setBalanceAfterMicros(50_008_000)
                        .setChargedAmountMicros(49_000_000L).setPaymentMethodId("pm_card_visa").build()),
                new Sample("October's sales tax", Topics.LEDGER_ENTRIES, aLedgerEntry()
                        .setEntryId("tax:acct_7Q2M:2026-10").setKind(LedgerEntryKind.TAX).setSku(null).setQuantity(0)
                        .setAmountMicros(-1_250_000).setBalanceAfterMicros(48_758_000).setTaxPeriod("2026-10")
                        .setTaxJurisdiction("US-CA").setTaxableBaseMicros(17_241_380L).setTaxRatePpm(72_500L).build()),
                new Sample("a paused balance awaiting a recharge", Topics.ACCOUNT_BALANCES, anAccountBalance().build()),
                new Sample("a balance with no recharge in flight", Topics.ACCOUNT_BALANCES,
                        anAccountBalance().setPendingRechargeId(null).build()),
                new Sample("an account paused", Topics.ACCOUNT_STATUS, anAccountStatusChanged().build()),
                new Sample("an auto recharge request", Topics.RECHARGE_REQUESTS, aRechargeRequest().build()),
                new Sample("a recharge request for an account without a critical phone", Topics.RECHARGE_REQUESTS,
                        aRechargeRequest().setCriticalBillingPhone(null).setBillingEmails(List.of()).build()),
                new Sample("a charge after a soft decline", Topics.PAYMENT_RESULTS, aPaymentResult().build()),
                new Sample("a hard decline with nothing charged", Topics.PAYMENT_RESULTS, aPaymentResult()
                        .setReason(RechargeReason.ONE_TIME_PAYMENT)
                        .setStatus(PaymentStatus.DECLINED)
                        .setPaymentMethodId(null)
                        .setGatewayChargeId(null)
                        .setAttempts(List.of(
                                aSoftDecline().setOutcome(AttemptOutcome.DECLINED_HARD).setDeclineCode("stolen_card")
                                        .build(),
                                aSuccessfulAttempt().setOutcome(AttemptOutcome.ERROR).setGatewayReference(null)
                                        .build()))
                        .build()),
                new Sample("a receipt", Topics.RECEIPTS, aReceipt().build()),
                new Sample("an account-paused notification", Topics.BILLING_NOTIFICATIONS,
                        aBillingNotification().build()),
                new Sample("a notification with no SMS recipient nor attribute", Topics.BILLING_NOTIFICATIONS,
                        aBillingNotification().setSmsRecipients(List.of()).setAttributes(Map.of()).build()),
                new Sample("a day of local minutes", Topics.USAGE_ROLLUPS, aUsageRollup().build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void shouldRoundTripEveryContractRecord(Sample sample) {
        // given
        Serde<SpecificRecord> serde = valueSerdeOf(sample.topic());

        // when
        byte[] bytes = serde.serializer().serialize(sample.topic().name(), sample.value());
        SpecificRecord decoded = serde.deserializer().deserialize(sample.topic().name(), bytes);

        // then
        assertThat(decoded).isInstanceOf(sample.value().getClass()).isEqualTo(sample.value());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void shouldWriteMarkerThenLittleEndianFingerprintThenPlainAvroBinary(Sample sample) throws IOException {
        // given
        Schema schema = sample.value().getSchema();

        // when
        byte[] bytes = valueSerdeOf(sample.topic()).serializer().serialize(sample.topic().name(), sample.value());

        // then: C3 01, the CRC-64-AVRO of the writer schema, and a body any Avro reader can decode
        assertThat(bytes).startsWith((byte) 0xC3, (byte) 0x01);
        long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(fingerprint).isEqualTo(SchemaNormalization.parsingFingerprint64(schema));
        assertThat(decodeBodyWithPlainAvro(schema, Arrays.copyOfRange(bytes, 10, bytes.length)))
                .isEqualTo(sample.value());
    }

    @Test
    void shouldHaveASampleOfEveryContractRecordOnItsTopic() {
        // when
        Set<Class<?>> sampled = new HashSet<>();
        samples().forEach(sample -> sampled.add(sample.value().getClass()));

        // then
        assertThat(sampled).containsExactlyInAnyOrderElementsOf(CONTRACT_RECORD_TYPES);
        samples().forEach(sample -> assertThat(((SingleObjectSerde<?>) sample.topic().valueSerde()).recordType())
                .as("value type of topic %s", sample.topic())
                .isEqualTo(sample.value().getSchema().getFullName()));
    }

    @Test
    void shouldExerciseEveryOptionalFieldBothNullAndSet() {
        // given: every nullable field reachable from a contract record, e.g. "PaymentAttempt.declineCode"
        Set<String> optionalFields = new HashSet<>();
        CONTRACT_RECORD_TYPES.forEach(type -> collectOptionalFields(SpecificData.get().getSchema(type),
                optionalFields, new HashSet<>()));

        // when
        Set<String> seenNull = new HashSet<>();
        Set<String> seenSet = new HashSet<>();
        samples().forEach(sample -> observeOptionalFields(sample.value(), sample.value().getSchema(), seenNull,
                seenSet));

        // then
        assertThat(optionalFields).contains("AccountSettings.serviceAddress", "PaymentAttempt.declineCode");
        assertThat(seenNull).as("optional fields sampled as null").containsAll(optionalFields);
        assertThat(seenSet).as("optional fields sampled with a value").containsAll(optionalFields);
    }

    @Test
    void shouldKeepTombstonesNullOnEveryTopic() {
        for (Topic<?, ?> topic : Topics.ALL) {
            // when
            byte[] bytes = valueSerdeOf(topic).serializer().serialize(topic.name(), null);
            Object value = valueSerdeOf(topic).deserializer().deserialize(topic.name(), null);

            // then
            assertThat(bytes).as("tombstone written to %s", topic).isNull();
            assertThat(value).as("tombstone read from %s", topic).isNull();
        }
    }

    @SuppressWarnings("unchecked")
    private static <V> Serde<V> valueSerdeOf(Topic<?, ?> topic) {
        return (Serde<V>) topic.valueSerde();
    }

    /** Decodes an Avro binary body with no single-object machinery, as a consumer in another stack would. */
    private static Object decodeBodyWithPlainAvro(Schema schema, byte[] body) throws IOException {
        SpecificData model = SpecificData.getForSchema(schema);
        return new SpecificDatumReader<>(schema, schema, model)
                .read(null, DecoderFactory.get().binaryDecoder(body, null));
    }

    private static void collectOptionalFields(Schema schema, Set<String> into, Set<String> visited) {
        switch (schema.getType()) {
            case RECORD -> {
                if (!visited.add(schema.getFullName())) {
                    return;
                }
                for (Schema.Field field : schema.getFields()) {
                    if (field.schema().isNullable()) {
                        into.add(schema.getName() + "." + field.name());
                    }
                    collectOptionalFields(field.schema(), into, visited);
                }
            }
            case UNION -> schema.getTypes().forEach(branch -> collectOptionalFields(branch, into, visited));
            case ARRAY -> collectOptionalFields(schema.getElementType(), into, visited);
            case MAP -> collectOptionalFields(schema.getValueType(), into, visited);
            default -> {
            }
        }
    }

    private static void observeOptionalFields(Object datum, Schema schema, Set<String> seenNull, Set<String> seenSet) {
        if (datum == null) {
            return;
        }
        switch (schema.getType()) {
            case RECORD -> {
                IndexedRecord record = (IndexedRecord) datum;
                for (Schema.Field field : schema.getFields()) {
                    Object value = record.get(field.pos());
                    if (field.schema().isNullable()) {
                        (value == null ? seenNull : seenSet).add(schema.getName() + "." + field.name());
                    }
                    observeOptionalFields(value, field.schema(), seenNull, seenSet);
                }
            }
            case UNION -> schema.getTypes().stream()
                    .filter(branch -> branch.getType() != Schema.Type.NULL)
                    .forEach(branch -> observeOptionalFields(datum, branch, seenNull, seenSet));
            case ARRAY -> ((Collection<?>) datum)
                    .forEach(item -> observeOptionalFields(item, schema.getElementType(), seenNull, seenSet));
            case MAP -> ((Map<?, ?>) datum).values()
                    .forEach(item -> observeOptionalFields(item, schema.getValueType(), seenNull, seenSet));
            default -> {
            }
        }
    }
}
