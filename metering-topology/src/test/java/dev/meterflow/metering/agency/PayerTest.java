package dev.meterflow.metering.agency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.metering.agency.Payer.Membership;
import dev.meterflow.metering.ledger.AutoRechargePolicy;
import dev.meterflow.metering.ledger.BillingSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 10, section 5: which account pays, and what a change of agency tells the agencies. */
class PayerTest {

    @Test
    void shouldBillASubAccountsUsageToItsAgencyAndAnyoneElseToThemselves() {
        assertThat(Payer.agencyOf(settings("sub-1", "agency"))).isEqualTo("agency");
        assertThat(Payer.agencyOf(settings("acme", null))).isNull();
        assertThat(Payer.agencyOf(null)).as("no settings: nobody to route to").isNull();
    }

    @Test
    void shouldNotLetAnAgencyThatIsItselfASubAccountBillOthers() {
        assertThat(Payer.canBillSubAccounts(settings("agency", null))).isTrue();
        assertThat(Payer.canBillSubAccounts(settings("agency", "holding"))).isFalse();
    }

    @Test
    void shouldTellTheOldAgencyBeforeTheNewOneWhenASubAccountMoves() {
        assertThat(Payer.changes("sub-1", "north", "south"))
                .containsExactly(new Membership("north", "sub-1", false), new Membership("south", "sub-1", true));
    }

    @Test
    void shouldTellOnlyTheAgencyConcernedWhenASubAccountJoinsOrIsMadeIndependent() {
        assertThat(Payer.changes("sub-1", null, "north")).containsExactly(new Membership("north", "sub-1", true));
        assertThat(Payer.changes("sub-1", "north", null)).containsExactly(new Membership("north", "sub-1", false));
    }

    @Test
    void shouldTellNobodyWhenTheAgencyDoesNotChange() {
        assertThat(Payer.changes("sub-1", "north", "north")).isEmpty();
        assertThat(Payer.changes("acme", null, null)).isEmpty();
    }

    private static BillingSettings settings(String accountId, String parentAccountId) {
        return new BillingSettings(accountId, "plan", parentAccountId, AutoRechargePolicy.disabled(0), List.of(),
                List.of("billing@example.com"), null);
    }
}
