package dev.meterflow.worker.attempts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.serde.SingleObjectSerde;
import dev.meterflow.worker.state.RechargeAttemptLog;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

/** Attempt log entries written by the release before card details were kept are read by this one. */
class AttemptLogSchemasTest {

    @Test
    void shouldReadAnAttemptLogEntryWrittenWithTheFirstReleasedSchema() throws Exception {
        Schema v1 = new Schema.Parser().parse(getClass().getClassLoader()
                .getResourceAsStream("attempt-log-history/RechargeAttemptLog-v1.avsc"));
        Schema attemptSchema = v1.getField("attempts").schema().getElementType();
        GenericRecord attempt = new GenericData.Record(attemptSchema);
        attempt.put("paymentMethodId", "pm_card_chargeDeclinedStolenCard");
        attempt.put("idempotencyKey", "meterflow/rr-acme-1-1a2b3c4d/pm_card_chargeDeclinedStolenCard");
        attempt.put("outcome", "DECLINED_HARD");
        attempt.put("declineCode", "stolen_card");
        attempt.put("gatewayReference", null);
        attempt.put("chargeId", null);
        attempt.put("at", 1_700_000_000_000L);
        GenericRecord old = new GenericData.Record(v1);
        old.put("requestId", "rr-acme-1-1a2b3c4d");
        old.put("accountId", "acct-acme");
        old.put("amountCents", 3_500L);
        old.put("attempts", List.of(attempt));
        old.put("completedStatus", "DECLINED");
        ByteBuffer bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(old);

        RechargeAttemptLog read = new SingleObjectSerde<>(RechargeAttemptLog.class, AttemptLogSchemas.released())
                .deserialize("recharge-attempts", bytes.array());

        assertThat(read.getAttempts()).singleElement()
                .satisfies(a -> assertThat(a.getOutcome()).isEqualTo("DECLINED_HARD"));
        assertThat(read.getCardDetails()).isEmpty();
    }
}
