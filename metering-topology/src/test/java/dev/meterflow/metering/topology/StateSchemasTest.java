package dev.meterflow.metering.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.metering.state.AccountStateRecord;
import dev.meterflow.serde.SingleObjectSerde;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

/** State written by the first release is read by this one: an upgrade keeps every account's balance. */
class StateSchemasTest {

    @Test
    void shouldReadAccountStateWrittenWithTheFirstReleasedSchema() throws Exception {
        Schema v1 = new Schema.Parser().parse(
                getClass().getClassLoader().getResourceAsStream("state-schema-history/AccountStateRecord-v1.avsc"));
        GenericRecord old = new GenericData.Record(v1);
        old.put("balanceMicros", -3_000_000L);
        old.put("paused", true);
        old.put("pendingRequestId", "rr-acme-7-1a2b3c4d");
        old.put("pendingAmountCents", 5_300L);
        old.put("pendingRequestedAt", 1_700_000_000_000L);
        old.put("rechargeSequence", 7L);
        old.put("backoffNotBefore", null);
        old.put("backoffPaymentMethods", null);
        ByteBuffer bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(old);

        AccountStateRecord read = new SingleObjectSerde<>(AccountStateRecord.class, StateSchemas.released())
                .deserialize("account-state-store", bytes.array());

        assertThat(read.getBalanceMicros()).isEqualTo(-3_000_000L);
        assertThat(read.getPendingRequestId()).isEqualTo("rr-acme-7-1a2b3c4d");
        assertThat(read.getPendingPaymentMethods()).isNull();
    }

    @Test
    void shouldReadAccountStateWrittenBeforeOneTimePaymentsWereKept() throws Exception {
        // issue 10: state of the release before one-time payments reads with none open
        Schema v2 = new Schema.Parser().parse(
                getClass().getClassLoader().getResourceAsStream("state-schema-history/AccountStateRecord-v2.avsc"));
        GenericRecord old = new GenericData.Record(v2);
        old.put("balanceMicros", 12_000_000L);
        old.put("paused", false);
        old.put("pendingRequestId", "rr-acme-8-1a2b3c4d");
        old.put("pendingAmountCents", 3_800L);
        old.put("pendingRequestedAt", 1_700_000_000_000L);
        old.put("pendingPaymentMethods", "pm_card_visa");
        old.put("rechargeSequence", 8L);
        old.put("backoffNotBefore", null);
        old.put("backoffPaymentMethods", null);
        ByteBuffer bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v2).encode(old);

        AccountStateRecord read = new SingleObjectSerde<>(AccountStateRecord.class, StateSchemas.released())
                .deserialize("account-state-store", bytes.array());

        assertThat(read.getPendingPaymentMethods()).isEqualTo("pm_card_visa");
        assertThat(AvroMapping.state(read).openPayments()).isEmpty();
        assertThat(AvroMapping.state(read).pending().requestId()).isEqualTo("rr-acme-8-1a2b3c4d");
    }

    @Test
    void shouldReadAccountStateWrittenBeforePlanFeesWereKept() throws Exception {
        // issue 10, §3: state of the release with one-time payments reads with no plan fee open
        Schema v3 = new Schema.Parser().parse(
                getClass().getClassLoader().getResourceAsStream("state-schema-history/AccountStateRecord-v3.avsc"));
        GenericRecord old = new GenericData.Record(v3);
        old.put("balanceMicros", 7_000_000L);
        old.put("paused", false);
        old.put("pendingRequestId", null);
        old.put("pendingAmountCents", 0L);
        old.put("pendingRequestedAt", 0L);
        old.put("pendingPaymentMethods", null);
        old.put("rechargeSequence", 3L);
        old.put("backoffNotBefore", null);
        old.put("backoffPaymentMethods", null);
        GenericRecord openPayment = new GenericData.Record(
                v3.getField("openPayments").schema().getElementType());
        openPayment.put("requestId", "pay-acme-1a2b3c4d");
        openPayment.put("commandId", "cmd-1");
        openPayment.put("amountCents", 2_500L);
        openPayment.put("requestedAt", 1_700_000_000_000L);
        old.put("openPayments", List.of(openPayment));
        ByteBuffer bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v3).encode(old);

        AccountStateRecord read = new SingleObjectSerde<>(AccountStateRecord.class, StateSchemas.released())
                .deserialize("account-state-store", bytes.array());

        assertThat(AvroMapping.state(read).openPlanFees()).isEmpty();
        assertThat(AvroMapping.state(read).openPayment("pay-acme-1a2b3c4d")).isPresent();
        assertThat(AvroMapping.state(read).balanceMicros()).isEqualTo(7_000_000L);
    }

    @Test
    void shouldReadAPlanFeeAskedBeforeFeesWereTaxedWhenAskedAsNotIndexedForTax() throws Exception {
        // issue 10, §3 and §4: a fee the release before this one asked joins the taxable base at its result
        Schema v4 = new Schema.Parser().parse(
                getClass().getClassLoader().getResourceAsStream("state-schema-history/AccountStateRecord-v4.avsc"));
        GenericRecord old = new GenericData.Record(v4);
        old.put("balanceMicros", 7_000_000L);
        old.put("paused", false);
        old.put("pendingAmountCents", 0L);
        old.put("pendingRequestedAt", 0L);
        old.put("rechargeSequence", 3L);
        old.put("openPayments", List.of());
        GenericRecord openFee = new GenericData.Record(v4.getField("openPlanFees").schema().getElementType());
        openFee.put("requestId", "pf-acme-1a2b3c4d");
        openFee.put("eventId", "ev-fee");
        openFee.put("sku", "plan.pro.monthly");
        openFee.put("quantity", 1L);
        openFee.put("amountMicros", 49_000_000L);
        openFee.put("occurredAt", 1_700_000_000_000L);
        openFee.put("requestedAt", 1_700_000_001_000L);
        old.put("openPlanFees", List.of(openFee));
        ByteBuffer bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v4).encode(old);

        AccountStateRecord read = new SingleObjectSerde<>(AccountStateRecord.class, StateSchemas.released())
                .deserialize("account-state-store", bytes.array());

        assertThat(AvroMapping.state(read).openPlanFee("pf-acme-1a2b3c4d")).hasValueSatisfying(fee -> {
            assertThat(fee.amountMicros()).isEqualTo(49_000_000L);
            assertThat(fee.indexedForTax()).isFalse();
        });
    }

    @Test
    void shouldReadAPaymentAskedBeforeBankPaymentsWereCountedApartAsOneThatMayWaitForTheBank() throws Exception {
        // issue 12: a one-time payment still open after an upgrade is most likely a bank debit settling
        Schema v5 = new Schema.Parser().parse(
                getClass().getClassLoader().getResourceAsStream("state-schema-history/AccountStateRecord-v5.avsc"));
        GenericRecord old = new GenericData.Record(v5);
        old.put("balanceMicros", 7_000_000L);
        old.put("paused", false);
        old.put("pendingAmountCents", 0L);
        old.put("pendingRequestedAt", 0L);
        old.put("rechargeSequence", 3L);
        GenericRecord openPayment = new GenericData.Record(v5.getField("openPayments").schema().getElementType());
        openPayment.put("requestId", "pay-acme-1a2b3c4d");
        openPayment.put("commandId", "cmd-1");
        openPayment.put("amountCents", 2_500L);
        openPayment.put("requestedAt", 1_700_000_000_000L);
        old.put("openPayments", List.of(openPayment));
        old.put("openPlanFees", List.of());
        ByteBuffer bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v5).encode(old);

        AccountStateRecord read = new SingleObjectSerde<>(AccountStateRecord.class, StateSchemas.released())
                .deserialize("account-state-store", bytes.array());

        assertThat(AvroMapping.state(read).openPayment("pay-acme-1a2b3c4d"))
                .hasValueSatisfying(payment -> assertThat(payment.offersBankAccount()).isTrue());
    }
}
