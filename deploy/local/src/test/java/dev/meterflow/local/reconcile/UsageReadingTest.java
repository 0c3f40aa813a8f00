package dev.meterflow.local.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.local.reconcile.UsageAccounting.EventKey;
import dev.meterflow.schemas.LedgerEntry;
import dev.meterflow.schemas.LedgerEntryKind;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 10, section 5: a sub-account's event is debited from its agency but was sent under the sub-account. */
class UsageReadingTest {

    @Test
    void shouldCountASubAccountsEventDebitedFromItsAgencyAsTheSubAccountsEvent() {
        LedgerEntry debit = LedgerEntry.newBuilder().setEntryId("usage:ev-1").setAccountId("agency")
                .setSourceAccountId("sub-1").setKind(LedgerEntryKind.USAGE).setSku("call.minutes.local")
                .setQuantity(60).setAmountMicros(-10_000).setBalanceAfterMicros(-10_000).setSourceId("ev-1")
                .setOccurredAt(Instant.EPOCH).setPostedAt(Instant.EPOCH).build();

        assertThat(UsageReading.debited(List.of(debit))).containsExactly(new EventKey("sub-1", "ev-1"));
    }
}
