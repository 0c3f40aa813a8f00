package dev.meterflow.metering.agency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.metering.ledger.Effect.StatusChanged;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 10, section 5: a sub-account's status follows its agency's. */
class StatusCascadeTest {

    private static final long AT = 1_741_010_400_000L;

    @Test
    void shouldPauseEverySubAccountWithItsAgencyAtTheSameTimeAndBalance() {
        StatusChanged agencyPaused = new StatusChanged("agency", true, "BALANCE_BELOW_ZERO", -50_000, AT);

        assertThat(StatusCascade.follow(agencyPaused, List.of("sub-a", "sub-b"))).containsExactly(
                new StatusChanged("sub-a", true, StatusCascade.AGENCY_PAUSED, -50_000, AT),
                new StatusChanged("sub-b", true, StatusCascade.AGENCY_PAUSED, -50_000, AT));
    }

    @Test
    void shouldResumeEverySubAccountWithItsAgency() {
        StatusChanged agencyResumed = new StatusChanged("agency", false, "BALANCE_RESTORED", 0, AT);

        assertThat(StatusCascade.follow(agencyResumed, List.of("sub-a"))).containsExactly(
                new StatusChanged("sub-a", false, StatusCascade.AGENCY_RESUMED, 0, AT));
        assertThat(StatusCascade.follow(agencyResumed, List.of())).isEmpty();
    }

    @Test
    void shouldStartASubAccountWithItsAgencysStatus() {
        assertThat(StatusCascade.joined("sub-a", true, -50_000, AT))
                .isEqualTo(new StatusChanged("sub-a", true, StatusCascade.JOINED_AGENCY_PAUSED, -50_000, AT));
        assertThat(StatusCascade.joined("sub-a", false, 20_000_000, AT))
                .isEqualTo(new StatusChanged("sub-a", false, StatusCascade.JOINED_AGENCY_ACTIVE, 20_000_000, AT));
    }

    @Test
    void shouldShowAnAccountThatLeftItsAgencyItsOwnStatus() {
        assertThat(StatusCascade.left("sub-a", false, 0, AT))
                .isEqualTo(new StatusChanged("sub-a", false, StatusCascade.LEFT_AGENCY, 0, AT));
    }
}
