package dev.meterflow.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.schemas.AccountSettings;
import dev.meterflow.schemas.TaxRate;
import dev.meterflow.settings.SettingsRules;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Issue 12: the local stack seeded no agency, so the page's agency section could not be tried. Its agency family
 * must pass the pipeline's own settings rules, and the generated usage must reach its sub-accounts.
 */
class SeedDataAgencyTest {

    private static final Instant NOW = Instant.parse("2026-11-30T00:00:00Z");

    @Test
    void shouldSeedAnAgencyThatPaysAndSubAccountsBilledToIt() {
        List<AccountSettings> family = SeedData.agencyFamily(NOW);

        assertThat(family.get(0).getAccountId()).isEqualTo(SeedData.AGENCY);
        assertThat(family.get(0).getParentAccountId()).isNull();
        assertThat(family.get(0).getAutoRecharge().getEnabled()).isTrue();
        assertThat(family.get(0).getPaymentMethods()).hasSize(2);
        assertThat(family.subList(1, family.size())).extracting(AccountSettings::getAccountId)
                .containsExactlyElementsOf(SeedData.SUB_ACCOUNTS);
        assertThat(family.subList(1, family.size())).allSatisfy(sub -> {
            assertThat(sub.getParentAccountId()).isEqualTo(SeedData.AGENCY);
            assertThat(sub.getPaymentMethods()).isEmpty();
            assertThat(sub.getAutoRecharge().getEnabled()).isFalse();
        });
    }

    @Test
    void shouldSeedSettingsThePipelineAccepts() {
        assertThat(SeedData.agencyFamily(NOW)).allSatisfy(settings -> assertThat(SettingsRules.check(settings,
                SettingsRules.DEFAULT_MAX_RECHARGE_MICROS)).as(settings.getAccountId()).isEmpty());
    }

    @Test
    void shouldSeedARateForEverySubAccountsJurisdiction() {
        Set<String> rated = SeedData.taxRates().stream().map(TaxRate::getJurisdiction).collect(Collectors.toSet());

        assertThat(SeedData.agencyFamily(NOW)).allSatisfy(settings -> assertThat(rated).contains("US-"
                + settings.getServiceAddress().getRegion()));
    }

    @Test
    void shouldGenerateUsageForTheSubAccountsAfterTheSeededAccounts() {
        var ids = SeedData.usageAccountIds(50);

        assertThat(SeedData.usageAccounts(50)).isEqualTo(53);
        assertThat(IntStream.rangeClosed(1, 53).mapToObj(ids::apply).toList()).startsWith("acct-0001")
                .endsWith("acct-0050", SeedData.AGENCY + "-sub-1", SeedData.AGENCY + "-sub-2",
                        SeedData.AGENCY + "-sub-3");
    }

    @Test
    void shouldPauseASubAccountsCallsWithItsAgency() {
        assertThat(SeedData.payerOf(SeedData.AGENCY + "-sub-2")).isEqualTo(SeedData.AGENCY);
        assertThat(SeedData.payerOf("acct-0007")).isEqualTo("acct-0007");
    }
}
