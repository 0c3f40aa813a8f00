package dev.meterflow.local;

import dev.meterflow.testdata.AccountSettingsBuilder;
import dev.meterflow.testdata.UsageEventBuilder;
import java.time.Instant;

/**
 * The shared builders' records as a running pipeline should get them. The builders default to a fixed test time
 * and an Austin service address; here the time is the wall clock's (as the apps' is), an account has no service
 * address (so no monthly sales tax joins its ledger) and has its own gateway customer and billing email.
 */
final class LiveRecords {

    private LiveRecords() {
    }

    static AccountSettingsBuilder settingsFor(String accountId) {
        return AccountSettingsBuilder.settingsFor(accountId)
                .withoutServiceAddress()
                .ofCustomer("cus_" + accountId)
                .billingEmails("billing@" + accountId + ".example")
                .at(Instant.now());
    }

    static UsageEventBuilder aUsageEvent() {
        return UsageEventBuilder.aUsageEvent().at(Instant.now());
    }
}
