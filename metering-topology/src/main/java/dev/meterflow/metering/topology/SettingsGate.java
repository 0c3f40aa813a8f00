package dev.meterflow.metering.topology;

import dev.meterflow.schemas.AccountSettings;
import dev.meterflow.settings.SettingsRefusal;
import dev.meterflow.settings.SettingsRules;
import dev.meterflow.topics.Topics;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets through the account settings {@link SettingsRules} accepts. Refused ones are counted and parked on
 * {@code account-settings-rejected} with the reason and a message the Billing Settings page can show; the
 * account's previous settings stay in force (issue 16, item 5).
 */
final class SettingsGate {

    private static final Logger log = LoggerFactory.getLogger(SettingsGate.class);

    private final long maxRechargeMicros;
    private final Parking parking;
    private final MeteringMetrics metrics;

    SettingsGate(long maxRechargeMicros, Parking parking, MeteringMetrics metrics) {
        this.maxRechargeMicros = maxRechargeMicros;
        this.parking = parking;
        this.metrics = metrics;
    }

    /** Whether the settings may be applied; when not, they have been parked with their reason. */
    boolean admits(Record<String, Object> record, AccountSettings settings) {
        Optional<SettingsRefusal> refusal = SettingsRules.check(settings, maxRechargeMicros);
        if (refusal.isEmpty()) {
            return true;
        }
        String reason = refusal.get().reason().name();
        metrics.settingsRejected(reason);
        log.warn("settings refused account='{}' reason={}: {}", record.key(), reason, refusal.get().message());
        parking.park(record, settings, Topics.ACCOUNT_SETTINGS_REJECTED, MeteringTopology.REJECTED_SETTINGS_SINK,
                reason, refusal.get().message());
        return false;
    }
}
