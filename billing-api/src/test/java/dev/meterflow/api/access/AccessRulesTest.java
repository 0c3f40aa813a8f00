package dev.meterflow.api.access;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AccessRulesTest {

    private static final Principal ADMIN = new Principal("u1", "a@acme.example", Role.ACCOUNT_ADMIN, "acme", "t");
    private static final Principal VIEWER = new Principal("u2", "v@acme.example", Role.BILLING_VIEWER, "acme", "t");
    private static final Principal AGENCY = new Principal("u3", "a@agency.example", Role.AGENCY_ADMIN, "agency", "t");

    @Test
    void shouldLetAnAdminSeeAndChangeOnlyTheirOwnAccount() {
        assertThat(AccessRules.canChange(ADMIN, "acme", null)).isTrue();
        assertThat(AccessRules.canSee(ADMIN, "other", null)).isFalse();
        assertThat(AccessRules.canSee(ADMIN, "acme-sub", "acme")).as("only agency admins see sub-accounts")
                .isFalse();
    }

    @Test
    void shouldLetAViewerSeeButNotChange() {
        assertThat(AccessRules.canSee(VIEWER, "acme", null)).isTrue();
        assertThat(AccessRules.canChange(VIEWER, "acme", null)).isFalse();
    }

    @Test
    void shouldLetAnAgencyAdminReachItsSubAccountsAndNoOthers() {
        assertThat(AccessRules.canChange(AGENCY, "sub-1", "agency")).isTrue();
        assertThat(AccessRules.canSee(AGENCY, "sub-2", "other-agency")).isFalse();
        assertThat(AccessRules.canSee(AGENCY, "acme", null)).isFalse();
    }
}
