package dev.meterflow.local.bench.postgres;

import dev.meterflow.metering.ledger.BillingSettings;
import dev.meterflow.metering.pricing.PricingOutcome;
import dev.meterflow.metering.pricing.RatePlan;
import dev.meterflow.metering.pricing.Usage;
import dev.meterflow.metering.pricing.UsagePricer;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Meters a batch of usage events the conventional way, on one connection: prices each with the topology's own pure
 * pricing ({@link UsagePricer}), then in one transaction inserts the ledger rows ({@code ON CONFLICT (event_id) DO
 * NOTHING}, so an event already debited inserts nothing), debits each account by what was inserted, and asks for a
 * recharge where the debit crossed the threshold. Unpriced events are kept with their reason.
 */
final class PeerLedger implements AutoCloseable {

    private static final String INSERT_LEDGER = """
            INSERT INTO ledger (event_id, account_id, sku, units, amount_micros, occurred_at)
            SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::timestamptz[])
            ON CONFLICT (event_id) DO NOTHING
            RETURNING event_id, account_id, amount_micros""";
    private static final String DEBIT = """
            UPDATE accounts a SET balance_micros = a.balance_micros - d.debit
            FROM unnest(?::text[], ?::bigint[], ?::text[]) AS d(account_id, debit, max_event_id)
            WHERE a.account_id = d.account_id
            RETURNING a.account_id, a.balance_micros, a.threshold_micros, a.auto_recharge, d.debit, d.max_event_id""";
    private static final String REQUEST_RECHARGE = """
            INSERT INTO recharge_requests (request_id, account_id, balance_micros) VALUES (?, ?, ?)
            ON CONFLICT (request_id) DO NOTHING""";
    private static final String PARK = """
            INSERT INTO unpriced (event_id, reason, detail) VALUES (?, ?, ?) ON CONFLICT (event_id) DO NOTHING""";

    private final Connection connection;
    private final Map<String, BillingSettings> settings;
    private final Function<String, Optional<RatePlan>> ratePlans;

    PeerLedger(Connection connection, Map<String, BillingSettings> settings,
               Function<String, Optional<RatePlan>> ratePlans) throws SQLException {
        this.connection = connection;
        this.settings = settings;
        this.ratePlans = ratePlans;
        connection.setAutoCommit(false);
    }

    /** One transaction for the whole batch; returns how many of its events were debited now (not before). */
    int apply(List<Usage> batch) throws SQLException {
        List<PricingOutcome.Priced> priced = new ArrayList<>(batch.size());
        try (PreparedStatement park = connection.prepareStatement(PARK)) {
            for (Usage usage : batch) {
                PricingOutcome outcome = UsagePricer.price(usage.accountId(), usage,
                        settings.get(usage.accountId()), ratePlans);
                if (outcome instanceof PricingOutcome.Priced charge) {
                    priced.add(charge);
                } else if (outcome instanceof PricingOutcome.Unpriced refused) {
                    park.setString(1, usage.eventId());
                    park.setString(2, refused.reason().name());
                    park.setString(3, refused.detail());
                    park.addBatch();
                }
            }
            park.executeBatch();
        }
        Map<String, Debit> debits = insertLedgerRows(priced);
        debitAndCheckThresholds(debits);
        connection.commit();
        return debits.values().stream().mapToInt(Debit::events).sum();
    }

    private Map<String, Debit> insertLedgerRows(List<PricingOutcome.Priced> priced) throws SQLException {
        int n = priced.size();
        String[] eventIds = new String[n];
        String[] accounts = new String[n];
        String[] skus = new String[n];
        Long[] units = new Long[n];
        Long[] amounts = new Long[n];
        Timestamp[] occurred = new Timestamp[n];
        for (int i = 0; i < n; i++) {
            Usage usage = priced.get(i).usage();
            eventIds[i] = usage.eventId();
            accounts[i] = usage.accountId();
            skus[i] = usage.sku();
            units[i] = priced.get(i).units();
            amounts[i] = priced.get(i).amountMicros();
            occurred[i] = new Timestamp(usage.occurredAtMillis());
        }
        Map<String, Debit> debits = new LinkedHashMap<>();
        try (PreparedStatement insert = connection.prepareStatement(INSERT_LEDGER)) {
            insert.setArray(1, array("text", eventIds));
            insert.setArray(2, array("text", accounts));
            insert.setArray(3, array("text", skus));
            insert.setArray(4, array("bigint", units));
            insert.setArray(5, array("bigint", amounts));
            insert.setArray(6, array("timestamptz", occurred));
            try (ResultSet inserted = insert.executeQuery()) {
                while (inserted.next()) {
                    debits.merge(inserted.getString(2), new Debit(inserted.getLong(3), 1, inserted.getString(1)),
                            Debit::plus);
                }
            }
        }
        return debits;
    }

    private void debitAndCheckThresholds(Map<String, Debit> debits) throws SQLException {
        if (debits.isEmpty()) {
            return;
        }
        String[] accounts = debits.keySet().toArray(String[]::new);
        Long[] amounts = debits.values().stream().map(Debit::micros).toArray(Long[]::new);
        String[] maxEvents = debits.values().stream().map(Debit::maxEventId).toArray(String[]::new);
        try (PreparedStatement debit = connection.prepareStatement(DEBIT);
             PreparedStatement request = connection.prepareStatement(REQUEST_RECHARGE)) {
            debit.setArray(1, array("text", accounts));
            debit.setArray(2, array("bigint", amounts));
            debit.setArray(3, array("text", maxEvents));
            try (ResultSet balances = debit.executeQuery()) {
                while (balances.next()) {
                    long after = balances.getLong(2);
                    if (ThresholdCrossing.asksForRecharge(balances.getBoolean(4), balances.getLong(3), after,
                            balances.getLong(5))) {
                        // derived from the input (the account's greatest event id in the batch that crossed)
                        request.setString(1, "pg-rr-" + balances.getString(6));
                        request.setString(2, balances.getString(1));
                        request.setLong(3, after);
                        request.addBatch();
                    }
                }
            }
            request.executeBatch();
        }
    }

    private Array array(String type, Object[] values) throws SQLException {
        return connection.createArrayOf(type, values);
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }

    /** What one batch debits an account: the sum, the events, and the greatest event id (for a request's id). */
    private record Debit(long micros, int events, String maxEventId) {
        Debit plus(Debit other) {
            String max = maxEventId.compareTo(other.maxEventId) >= 0 ? maxEventId : other.maxEventId;
            return new Debit(Math.addExact(micros, other.micros), events + other.events, max);
        }
    }
}
