package dev.meterflow.local.stack;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.meterflow.api.BillingApi;
import dev.meterflow.api.access.LoginPolicy;
import dev.meterflow.api.access.Role;
import dev.meterflow.api.db.Database;
import dev.meterflow.api.db.EmbeddedDatabase;
import dev.meterflow.api.notify.LoggingSmsSender;
import dev.meterflow.api.notify.Notifier;
import dev.meterflow.api.notify.NotifierMain;
import dev.meterflow.api.notify.SmtpMailSender;
import dev.meterflow.api.readmodel.Retention;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.simplejavamail.api.mailer.config.TransportStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read side of the local stack: embedded PostgreSQL (a fresh one each run: the read model is rebuilt from
 * the topics, which the data directory keeps), the read model and HTTP API, and the notifier sending to an
 * in-process GreenMail server whose IMAP mailboxes show what was sent. Seeds one admin per account and one
 * viewer, and the agency's agency admin, all with {@link #PASSWORD}.
 */
final class ReadSide implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReadSide.class);

    /** Only ever valid on this machine's throw-away local stack; printed on the console. */
    static final String PASSWORD = "meterflow-local-only";
    static final String MAIL_FROM = "billing@meterflow.local";

    private final EmbeddedDatabase postgres;
    private final Database database;
    private final GreenMail mail;
    private final SmtpMailSender smtp;
    private final BillingApi api;
    private final Notifier notifier;
    private final Thread notifierThread;

    private ReadSide(String bootstrap, String meteringApplicationId, int apiPort) {
        // stopped by close(), after the checks that follow a Ctrl-C
        this.postgres = EmbeddedDatabase.start(null, false);
        this.database = postgres.open(8);
        this.mail = new GreenMail(new ServerSetup[] {new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
                new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP)});
        mail.start();
        Properties kafka = new Properties();
        kafka.put("bootstrap.servers", bootstrap);
        try {
            this.api = BillingApi.start(new BillingApi.Options(kafka, "127.0.0.1", apiPort, new Retention(25), 500,
                    Duration.ofSeconds(5), new LoginPolicy(5, Duration.ofMinutes(15)), 60, Duration.ofHours(8),
                    meteringApplicationId), database, Clock.systemUTC());
        } catch (RuntimeException e) {
            // the port taken, most likely: what started must not keep the JVM alive
            mail.stop();
            database.close();
            postgres.close();
            throw e;
        }
        this.smtp = new SmtpMailSender("127.0.0.1", mail.getSmtp().getPort(), TransportStrategy.SMTP, null, null,
                MAIL_FROM);
        this.notifier = NotifierMain.start(kafka, database, smtp, new LoggingSmsSender(), new Retention(25),
                Clock.systemUTC(), Duration.ofSeconds(5));
        this.notifierThread = new Thread(notifier, "meterflow-local-notifier");
        notifierThread.start();
    }

    /** Starts it all and seeds the users of {@code accountIds}: an admin each, and a viewer of the first. */
    static ReadSide start(String bootstrap, String meteringApplicationId, int apiPort, List<String> accountIds) {
        ReadSide readSide = new ReadSide(bootstrap, meteringApplicationId, apiPort);
        for (String accountId : accountIds) {
            readSide.api.authenticator().createUser(admin(accountId), PASSWORD, Role.ACCOUNT_ADMIN, accountId);
        }
        readSide.api.authenticator().createUser(viewer(accountIds.get(0)), PASSWORD, Role.BILLING_VIEWER,
                accountIds.get(0));
        readSide.api.authenticator().createUser(agent(), PASSWORD, Role.AGENCY_ADMIN, SeedData.AGENCY);
        for (String subAccount : SeedData.SUB_ACCOUNTS) {
            readSide.api.authenticator().createUser(admin(subAccount), PASSWORD, Role.ACCOUNT_ADMIN, subAccount);
        }
        return readSide;
    }

    static String admin(String accountId) {
        return "admin@" + accountId + ".example";
    }

    /** The agency admin of the seeded agency: its page lists its sub-accounts, and theirs are open to it. */
    static String agent() {
        return "agent@" + SeedData.AGENCY + ".example";
    }

    static String viewer(String accountId) {
        return "viewer@" + accountId + ".example";
    }

    String apiUrl() {
        return "http://127.0.0.1:" + api.port();
    }

    int apiPort() {
        return api.port();
    }

    void printWhereToLook(PrintStream out, String firstAccount) {
        out.printf("billing API %s/api/v1 (routes: /api/v1/openapi.json), page %s/billing%n", apiUrl(), apiUrl());
        out.printf("  sign in as %s (or %s, a viewer; every account has its admin@<account>.example) with password"
                + " '%s' (local only)%n", admin(firstAccount), viewer(firstAccount), PASSWORD);
        out.printf("  agency: sign in as %s, its agency admin, to see %s billed to it (same password)%n", agent(),
                String.join(", ", SeedData.SUB_ACCOUNTS));
        out.printf("  mail: IMAP 127.0.0.1:%d, user and password both the recipient's address (e.g. billing@%s"
                + ".example); SMTP 127.0.0.1:%d%n", mail.getImap().getPort(), firstAccount, mail.getSmtp().getPort());
    }

    /** Records the read model is behind the topics, -1 before its first poll. */
    long readModelLag() {
        return api.readModel().lag();
    }

    /** Accounts whose balance in the read model differs from {@code balances} (the pipeline's latest). */
    List<String> balancesDifferingFrom(Map<String, Long> balances) {
        Map<String, Long> shown = database.jdbi().withHandle(handle -> handle.createQuery(
                        "SELECT account_id, balance_micros FROM accounts WHERE balance_micros IS NOT NULL")
                .reduceRows(new java.util.HashMap<String, Long>(), (map, row) -> {
                    map.put(row.getColumn("account_id", String.class), row.getColumn("balance_micros", Long.class));
                    return map;
                }));
        return balances.entrySet().stream().filter(e -> !e.getValue().equals(shown.get(e.getKey())))
                .map(Map.Entry::getKey).sorted().toList();
    }

    /** Receipts of charges made since {@code since} that the notifier has not emailed. */
    List<String> receiptsNotEmailed(Instant since) {
        return database.jdbi().withHandle(handle -> handle.createQuery("""
                        SELECT r.receipt_id FROM receipts r
                        WHERE r.charged_at >= :since
                          AND NOT EXISTS (SELECT 1 FROM notifier_sent s WHERE s.message_id = 'receipt:' || r.receipt_id)
                        ORDER BY r.receipt_id""")
                .bind("since", since).mapTo(String.class).list());
    }

    /** Receipts of charges made since {@code since} in the read model. */
    long receiptsSince(Instant since) {
        return database.jdbi().withHandle(handle -> handle.createQuery(
                        "SELECT count(*) FROM receipts WHERE charged_at >= :since")
                .bind("since", since).mapTo(Long.class).one());
    }

    int emailsReceived() {
        return mail.getReceivedMessages().length;
    }

    @Override
    public void close() {
        notifier.close();
        try {
            notifierThread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        api.close();
        try {
            smtp.close();
        } catch (Exception e) {
            log.warn("closing the SMTP connection pool failed reason='{}'", e.toString());
        }
        database.close();
        postgres.close();
        mail.stop();
    }
}
