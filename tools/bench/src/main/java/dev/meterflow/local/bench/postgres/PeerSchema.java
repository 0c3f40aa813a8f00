package dev.meterflow.local.bench.postgres;

import dev.meterflow.metering.ledger.BillingSettings;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;

/**
 * The peer's tables, as a conventional billing database keeps them: one ledger row per debited event (its id the
 * primary key, so a re-delivered event inserts nothing), one balance row per account with its threshold, the
 * recharge requests asked for, and the events that could not be priced, with the reason.
 */
final class PeerSchema {

    private static final String[] TABLES = {
            """
            CREATE TABLE accounts (
                account_id       text PRIMARY KEY,
                balance_micros   bigint NOT NULL,
                threshold_micros bigint NOT NULL,
                auto_recharge    boolean NOT NULL)""",
            """
            CREATE TABLE ledger (
                event_id      text PRIMARY KEY,
                account_id    text NOT NULL,
                sku           text NOT NULL,
                units         bigint NOT NULL,
                amount_micros bigint NOT NULL,
                occurred_at   timestamptz NOT NULL)""",
            """
            CREATE TABLE recharge_requests (
                request_id     text PRIMARY KEY,
                account_id     text NOT NULL,
                balance_micros bigint NOT NULL)""",
            """
            CREATE TABLE unpriced (
                event_id text PRIMARY KEY,
                reason   text NOT NULL,
                detail   text NOT NULL)"""};

    private PeerSchema() {
    }

    static void create(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String table : TABLES) {
                statement.execute(table);
            }
        }
        connection.commit();
    }

    /** Every account at the opening balance, with its threshold from its settings. */
    static void openAccounts(Connection connection, Collection<BillingSettings> accounts, long openingBalanceMicros)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO accounts (account_id, balance_micros, threshold_micros, auto_recharge) VALUES (?, ?, ?, ?)")) {
            for (BillingSettings account : accounts) {
                insert.setString(1, account.accountId());
                insert.setLong(2, openingBalanceMicros);
                insert.setLong(3, account.autoRecharge().thresholdMicros());
                insert.setBoolean(4, account.autoRecharge().enabled());
                insert.addBatch();
            }
            insert.executeBatch();
        }
        connection.commit();
    }
}
