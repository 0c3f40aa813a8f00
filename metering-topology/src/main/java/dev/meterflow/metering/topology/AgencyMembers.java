package dev.meterflow.metering.topology;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/** The sub-accounts of the agencies this task bills ({@code agency-members-store}, on the agency's partition). */
final class AgencyMembers {

    private static final char SEPARATOR = '\u001f';

    private final KeyValueStore<String, String> store;

    AgencyMembers(ProcessorContext<String, Object> context) {
        this.store = context.getStateStore(StoreNames.AGENCY_MEMBERS);
    }

    void join(String agencyId, String subAccountId) {
        store.put(key(agencyId, subAccountId), subAccountId);
    }

    void leave(String agencyId, String subAccountId) {
        store.delete(key(agencyId, subAccountId));
    }

    /** The agency's sub-accounts, in key order (so a replay cascades in the same order). */
    List<String> of(String agencyId) {
        List<String> members = new ArrayList<>();
        try (KeyValueIterator<String, String> range = store.prefixScan(agencyId + SEPARATOR, new StringSerializer())) {
            range.forEachRemaining(entry -> {
                // an id may hold the separator: agency "a" must not take the members of agency "a␟b"
                if (entry.key.equals(key(agencyId, entry.value))) {
                    members.add(entry.value);
                }
            });
        }
        return members;
    }

    private static String key(String agencyId, String subAccountId) {
        return agencyId + SEPARATOR + subAccountId;
    }
}
