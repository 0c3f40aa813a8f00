package dev.meterflow.metering.topology;

import dev.meterflow.metering.ledger.AccountState;
import dev.meterflow.metering.ledger.BillingSettings;
import dev.meterflow.metering.state.AccountStateRecord;
import dev.meterflow.schemas.AccountSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * One task's view of its accounts: their ledger state and their settings, read and written only by the billing
 * processor's handlers, so the decoded settings can be cached here.
 */
final class AccountStore {

    private static final int SETTINGS_CACHE_SIZE = 10_000;

    private final KeyValueStore<String, AccountStateRecord> states;
    private final KeyValueStore<String, AccountSettings> settingsStore;
    /** Decoded settings of recently billed accounts: every write goes through this class, which updates it. */
    private final Map<String, BillingSettings> settingsCache = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, BillingSettings> eldest) {
            return size() > SETTINGS_CACHE_SIZE;
        }
    };

    /** A new one per task initialisation: a task re-initialised after an aborted transaction starts uncached. */
    AccountStore(ProcessorContext<String, Object> context) {
        this.states = context.getStateStore(StoreNames.ACCOUNT_STATE);
        this.settingsStore = context.getStateStore(StoreNames.ACCOUNT_SETTINGS);
    }

    /** The account's stored state, or {@code null} for an account this task has never billed. */
    AccountState stored(String accountId) {
        AccountStateRecord stored = states.get(accountId);
        return stored == null ? null : AvroMapping.state(stored);
    }

    /** The account's state; a new account's opening state if it has none. */
    AccountState load(String accountId) {
        AccountState stored = stored(accountId);
        return stored == null ? AccountState.opening() : stored;
    }

    void put(String accountId, AccountState state) {
        states.put(accountId, AvroMapping.stateRecord(state));
    }

    /** The accounts whose stored state matches; collected first, so the caller may write while it goes through them. */
    List<String> accountsWhere(Predicate<AccountStateRecord> test) {
        List<String> matching = new ArrayList<>();
        try (KeyValueIterator<String, AccountStateRecord> all = states.all()) {
            all.forEachRemaining(entry -> {
                if (test.test(entry.value)) {
                    matching.add(entry.key);
                }
            });
        }
        return matching;
    }

    /** The account's settings, or {@code null} when it has none. */
    BillingSettings settings(String accountId) {
        BillingSettings cached = settingsCache.get(accountId);
        if (cached != null) {
            return cached;
        }
        AccountSettings stored = settingsStore.get(accountId);
        if (stored == null) {
            return null;
        }
        BillingSettings settings = AvroMapping.settings(stored);
        settingsCache.put(accountId, settings);
        return settings;
    }

    /** The account's settings as received (service address, tax exemption), or {@code null} when it has none. */
    AccountSettings settingsRecord(String accountId) {
        return settingsStore.get(accountId);
    }

    void putSettings(String accountId, AccountSettings settings) {
        settingsStore.put(accountId, settings);
        settingsCache.remove(accountId);
    }

    void deleteSettings(String accountId) {
        settingsStore.delete(accountId);
        settingsCache.remove(accountId);
    }
}
