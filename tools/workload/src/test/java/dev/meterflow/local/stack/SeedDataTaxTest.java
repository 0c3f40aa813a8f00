package dev.meterflow.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.metering.tax.TaxProfile;
import dev.meterflow.schemas.AccountSettings;
import dev.meterflow.schemas.TaxRate;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The local stack seeded no tax rates, so on the 1st of the month its tax run counted every account as NO_RATE and
 * the untaxed-accounts alert fired. Every seeded address must have a seeded rate.
 */
class SeedDataTaxTest {

    private static final Instant NOW = Instant.parse("2026-11-30T00:00:00Z");

    @Test
    void shouldSeedARateForEveryAccountsJurisdiction() {
        Set<String> rated = SeedData.taxRates().stream().map(TaxRate::getJurisdiction).collect(Collectors.toSet());
        List<AccountSettings> accounts = SeedData.accounts(50, NOW);

        Set<String> jurisdictions = accounts.stream()
                .map(a -> TaxProfile.of(a.getServiceAddress().getCountry(), a.getServiceAddress().getRegion(),
                        a.getTaxExempt()).jurisdiction().orElseThrow())
                .collect(Collectors.toSet());

        assertThat(jurisdictions).as("more than one jurisdiction, so taxes differ by address")
                .hasSizeGreaterThan(1);
        assertThat(rated).containsAll(jurisdictions);
        assertThat(accounts).filteredOn(AccountSettings::getTaxExempt).as("an exempt non-profit").isNotEmpty();
    }
}
