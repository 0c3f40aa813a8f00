package dev.meterflow.worker.attempts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.worker.gateway.GatewayAnswer;
import dev.meterflow.worker.recharge.Attempt;
import org.junit.jupiter.api.Test;

/** What the attempt log answers about cards across requests: hard declines, and when cards were soft-declined. */
class InMemoryAttemptStoreTest {

    private static final String VISA = "pm_card_visa";
    private static final String MASTERCARD = "pm_card_mastercard";

    private final InMemoryAttemptStore store = new InMemoryAttemptStore();

    @Test
    void shouldAnswerWhenACardWasSoftDeclinedAcrossRequestsFromTheAttemptsAtTimes() {
        // given the Visa soft-declined for two requests, the Mastercard for one
        store.record(softDeclined("rr-acme-1", VISA, 1_000));
        store.record(softDeclined("rr-acme-2", VISA, 5_000));
        store.record(softDeclined("rr-acme-3", MASTERCARD, 7_000));

        // then
        assertThat(store.softDeclineTimes(VISA, 0)).containsExactly(1_000L, 5_000L);
        assertThat(store.softDeclineTimes(VISA, 1_000)).as("at or after the time").containsExactly(1_000L, 5_000L);
        assertThat(store.softDeclineTimes(VISA, 1_001)).containsExactly(5_000L);
        assertThat(store.softDeclineTimes(MASTERCARD, 0)).containsExactly(7_000L);
        assertThat(store.softDeclineTimes("pm_card_amex", 0)).isEmpty();
        assertThat(store.hardDeclinedMethods()).isEmpty();
    }

    @Test
    void shouldCountADeclineOnceWhenItsRequestIsRecordedAgainOrTheAnswerIsReplayedToTheSameKey() {
        // given a call that timed out, then the same key answered with a soft decline, then a look-up found it too
        String key = "meterflow/rr-acme-1/" + VISA;
        Attempt first = Attempt.started(VISA, key, 1_000);
        AttemptLogEntry entry = AttemptLogEntry.opened("rr-acme-1", "acme", 3_500).with(first);
        store.record(entry);
        store.record(entry = entry.withLast(first.answered(GatewayAnswer.unknown("read timed out"), 1_100)));
        Attempt retry = Attempt.started(VISA, key, 3_000);
        store.record(entry = entry.with(retry));
        store.record(entry = entry.withLast(retry.answered(softDecline(), 3_100)));
        Attempt lookedUp = Attempt.started(VISA, key, 4_000).answered(softDecline(), 4_000);
        store.record(entry = entry.with(lookedUp));
        store.record(entry.completed("DECLINED"));

        // then one decline at the card network, at its first answer
        assertThat(store.softDeclineTimes(VISA, 0)).containsExactly(3_100L);
    }

    @Test
    void shouldKeepHardAndSoftDeclinesApart() {
        // given
        Attempt stolen = Attempt.started(VISA, "meterflow/rr-acme-1/" + VISA, 1_000)
                .answered(new GatewayAnswer(GatewayAnswer.Kind.DECLINED_HARD, "stolen_card", "pi_1", null,
                        "Your card was declined."), 1_000);
        store.record(AttemptLogEntry.opened("rr-acme-1", "acme", 3_500).with(stolen));

        // then
        assertThat(store.hardDeclinedMethods()).containsExactly(VISA);
        assertThat(store.softDeclineTimes(VISA, 0)).isEmpty();
    }

    private static AttemptLogEntry softDeclined(String requestId, String paymentMethodId, long atMillis) {
        Attempt attempt = Attempt.started(paymentMethodId, "meterflow/" + requestId + "/" + paymentMethodId, atMillis)
                .answered(softDecline(), atMillis);
        return AttemptLogEntry.opened(requestId, "acme", 3_500).with(attempt).completed("DECLINED");
    }

    private static GatewayAnswer softDecline() {
        return new GatewayAnswer(GatewayAnswer.Kind.DECLINED_SOFT, "insufficient_funds", "pi_2", null,
                "Your card has insufficient funds.");
    }
}
