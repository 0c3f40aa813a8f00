package dev.meterflow.metering.topology;

import dev.meterflow.metering.agency.Payer;
import dev.meterflow.metering.agency.StatusCascade;
import dev.meterflow.metering.errors.DeadLetters;
import dev.meterflow.metering.ledger.AccountState;
import dev.meterflow.metering.ledger.Decision;
import dev.meterflow.metering.ledger.Ledger;
import dev.meterflow.schemas.AccountSettings;
import java.util.Objects;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Account settings: checked by the {@link SettingsGate}, stored, and applied by the {@link Ledger} (new settings
 * may ask for a recharge at once); a tombstone deletes them.
 */
final class SettingsHandler {

    private static final Logger log = LoggerFactory.getLogger(SettingsHandler.class);

    private final Ledger ledger;
    private final AccountStore accounts;
    private final DecisionWriter writer;
    private final SettingsGate gate;
    private final AgencyRouting agencies;

    SettingsHandler(Ledger ledger, AccountStore accounts, DecisionWriter writer, SettingsGate gate,
                    AgencyRouting agencies) {
        this.ledger = ledger;
        this.accounts = accounts;
        this.writer = writer;
        this.gate = gate;
        this.agencies = agencies;
    }

    void handle(Record<String, Object> record, AccountSettings settings) {
        String accountId = record.key();
        long timestamp = record.timestamp();
        if (!Objects.equals(accountId, settings.getAccountId())) {
            // the key routes the account's usage and results here; a value naming another account would bill
            // and credit that other id: the processing exception handler sends the record to metering-dlq
            throw new IllegalArgumentException("account-settings record key '" + DeadLetters.boundedKey(accountId)
                    + "' differs from its accountId '" + DeadLetters.boundedKey(settings.getAccountId()) + "'");
        }
        if (!gate.admits(record, settings)) {
            return;
        }
        String agencyBefore = Payer.agencyOf(accounts.settings(accountId));
        accounts.putSettings(accountId, settings);
        AccountState stored = accounts.stored(accountId);
        AccountState state = stored == null ? AccountState.opening() : stored;
        String agencyAfter = settings.getParentAccountId();
        agencies.membershipChanged(record, accountId, agencyBefore, agencyAfter);
        if (agencyAfter != null) {
            // the agency's cards and recharges pay for a sub-account: its own auto-recharge is not applied
            return;
        }
        if (agencyBefore != null) {
            writer.forwardStatus(StatusCascade.left(accountId, state.paused(), state.balanceMicros(), timestamp),
                    timestamp);
        }
        Decision decision = ledger.applySettings(state, AvroMapping.settings(settings), timestamp);
        writer.apply(accountId, timestamp, stored, decision);
    }

    void delete(Record<String, Object> record) {
        String accountId = record.key();
        agencies.membershipChanged(record, accountId, Payer.agencyOf(accounts.settings(accountId)), null);
        accounts.deleteSettings(accountId);
        log.info("settings deleted account='{}'", accountId);
    }
}
