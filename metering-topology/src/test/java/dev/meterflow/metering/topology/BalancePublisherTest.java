package dev.meterflow.metering.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.metering.ledger.AccountState;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Issue 13, §2: which changes of an account's state are published on {@code account-balances} at the commit. */
class BalancePublisherTest {

    private static final AccountState OPENING = AccountState.opening();

    @Test
    void shouldPublishWhatAnAccountBalanceCarries() {
        assertThat(BalancePublisher.changesBalance(OPENING, OPENING.withBalance(-25_000))).isTrue();
        assertThat(BalancePublisher.changesBalance(OPENING, OPENING.withPaused(true))).isTrue();
        assertThat(BalancePublisher.changesBalance(OPENING, OPENING.withPending(new AccountState.PendingRecharge(
                "rr-1", 3_500, Instant.parse("2026-11-30T05:00:00Z").toEpochMilli(), "pm_card_1")))).isTrue();
    }

    @Test
    void shouldNotPublishAChangeTheBalanceRecordDoesNotShow() {
        AccountState backedOff = new AccountState(0, false, null, 1, new AccountState.RechargeBackoff(
                Instant.parse("2026-12-01T05:00:00Z").toEpochMilli(), "pm_card_1"));
        assertThat(BalancePublisher.changesBalance(OPENING, backedOff)).isFalse();
    }
}
