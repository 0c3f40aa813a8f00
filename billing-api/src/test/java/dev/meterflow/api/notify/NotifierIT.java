package dev.meterflow.api.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.meterflow.api.advice.TestHttp;
import dev.meterflow.api.db.DatabaseStack;
import dev.meterflow.api.readmodel.Projection;
import dev.meterflow.api.readmodel.ReadModelFixture;
import dev.meterflow.api.readmodel.ReadModelRow;
import dev.meterflow.api.readmodel.ReadModelRow.BalanceRow;
import dev.meterflow.api.readmodel.Retention;
import dev.meterflow.api.statements.StatementQueries;
import dev.meterflow.schemas.BillingNotification;
import dev.meterflow.schemas.LedgerEntry;
import dev.meterflow.schemas.LedgerEntryKind;
import dev.meterflow.schemas.NotificationType;
import dev.meterflow.schemas.Receipt;
import dev.meterflow.testdata.stack.BrokerStack;
import dev.meterflow.topics.Topics;
import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.simplejavamail.api.mailer.config.TransportStrategy;

/**
 * Issue 11: the notifier on a real broker, a real PostgreSQL and GreenMail as the SMTP server. Each receipt and
 * notice is emailed once to its recipients (also when every record is read again), declines say why, critical
 * notices are texted, and statements go out with their PDF, asked for once or on their scheduled day.
 */
class NotifierIT {

    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    private static final String ACCOUNT = "n-1";
    private static final Instant AT = Instant.parse("2026-11-20T10:00:00Z");

    @RegisterExtension
    static final BrokerStack kafka =
            BrokerStack.perClass().withTopics(List.of(Topics.RECEIPTS, Topics.BILLING_NOTIFICATIONS));
    @RegisterExtension
    static final DatabaseStack postgres = DatabaseStack.perClass(4);
    private final List<String> texts = new CopyOnWriteArrayList<>();

    @Test
    void shouldEmailEveryReceiptAndNoticeOnceAndTextTheCriticalOnes() throws Exception {
        Receipt receipt = Receipt.newBuilder().setReceiptId("receipt:rr-7").setRequestId("rr-7").setAccountId(ACCOUNT)
                .setAmountCents(3_500).setCurrency("usd").setBrand("visa").setLast4("4242").setGatewayChargeId("ch_7")
                .setChargedAt(AT).setRecipients(List.of("admin@acme.test", "cfo@acme.test")).build();
        produce(receipt, receipt, notice("recharge-receipt:n-1:rr-7", NotificationType.RECHARGE_RECEIPT, Map.of()),
                notice("payment-declined:n-1:rr-8", NotificationType.PAYMENT_DECLINED,
                        Map.of("declineCodes", "insufficient_funds")),
                notice("account-paused:n-1:usage:e-9", NotificationType.ACCOUNT_PAUSED, Map.of()),
                notice("account-resumed:n-1:recharge:rr-9", NotificationType.ACCOUNT_RESUMED, Map.of()),
                notice("low-balance:n-1:usage:e-10", NotificationType.LOW_BALANCE, Map.of()));
        produceRaw("not avro".getBytes(StandardCharsets.UTF_8));

        // the undecodable record comes last: once it is kept, every record before it was handled
        runUntil("first", () -> MAIL.getReceivedMessages().length >= 6 && skippedRows() == 1);

        MimeMessage[] mail = MAIL.getReceivedMessages();
        assertThat(Arrays.stream(mail).map(NotifierIT::subject).distinct()).containsExactlyInAnyOrder(
                "Receipt: $35.00 charged to your visa ending 4242", "Action needed: your card was not charged",
                "Your account n-1 is paused", "Your account n-1 is active again", "Low balance on account n-1");
        MimeMessage receiptMail = Arrays.stream(mail).filter(m -> subject(m).startsWith("Receipt")).findFirst()
                .orElseThrow();
        assertThat(Arrays.stream(receiptMail.getRecipients(RecipientType.TO)).map(Address::toString))
                .containsExactlyInAnyOrder("admin@acme.test", "cfo@acme.test");
        assertThat(GreenMailUtil.getBody(receiptMail)).contains("ch_7").contains("receipt:rr-7");
        MimeMessage declined = Arrays.stream(mail).filter(m -> subject(m).startsWith("Action")).findFirst()
                .orElseThrow();
        assertThat(GreenMailUtil.getBody(declined)).contains("the card has insufficient funds");
        assertThat(texts).containsExactlyInAnyOrder("sms:payment-declined:n-1:rr-8:+15550100",
                "sms:account-paused:n-1:usage:e-9:+15550100", "sms:low-balance:n-1:usage:e-10:+15550100");
        assertThat(mail).hasSize(6);

        // another group reads every record again (the offsets lost): only the new receipt and notice are sent;
        // each comes after the old records of its partition, so once both are in every old one was read again
        produce(Receipt.newBuilder(receipt).setReceiptId("receipt:rr-12").setRequestId("rr-12").build(),
                notice("low-balance:n-1:usage:e-11", NotificationType.LOW_BALANCE, Map.of()));
        runUntil("second", () -> MAIL.getReceivedMessages().length >= 9);
        assertThat(MAIL.getReceivedMessages()).hasSize(9);
        assertThat(texts).hasSize(4);
    }

    @Test
    void shouldSendAQueuedStatementWithItsPdfOnceAndAScheduledOneOnItsDay() throws Exception {
        seedLedger("st-9");
        Clock firstOfDecember = Clock.fixed(Instant.parse("2026-12-01T06:00:00Z"), ZoneOffset.UTC);
        StatementDeliveries deliveries = deliveries(firstOfDecember);
        StatementDeliveryHandler handler = new StatementDeliveryHandler(new StatementRequests(postgres.jdbi(),
                new StatementQueries(postgres.jdbi(), new Retention(25), firstOfDecember), firstOfDecember));
        int before = MAIL.getReceivedMessages().length;
        String november = "{\"from\": \"2026-11-01\", \"to\": \"2026-11-30\", \"addresses\": [\"books@acme.test\"]}";

        String schedules = "/api/v1/accounts/{accountId}/statements/schedules";
        try (TestHttp http = new TestHttp(Map.of(schedules,
                ctx -> handler.listSchedules(ctx, ctx.pathParam("accountId"))), Map.of(
                "/api/v1/accounts/{accountId}/statements/deliveries", ctx -> handler.requestDelivery(ctx,
                        ctx.pathParam("accountId"), "admin@acme.test"),
                schedules, ctx -> handler.addSchedule(ctx, ctx.pathParam("accountId"), "admin@acme.test")))) {
            String queue = "/api/v1/accounts/st-9/statements/deliveries";
            assertThat(http.post(queue, november, "req-1").statusCode()).isEqualTo(202);
            assertThat(http.post(queue, november, "req-1").statusCode()).as("the same request again")
                    .isEqualTo(202);
            assertThat(http.post(queue, november, null).body()).contains("idempotency_key_missing");
            assertThat(http.post(queue, november.replace("books@acme.test", "books"), "req-2").body())
                    .contains("bad_address");
            assertThat(http.post("/api/v1/accounts/nobody/statements/deliveries", november, "req-3").statusCode())
                    .isEqualTo(404);
            assertThat(http.post("/api/v1/accounts/st-9/statements/schedules", "{\"cadence\": \"daily\","
                    + " \"addresses\": [\"cfo@acme.test\"]}", null).body()).contains("bad_cadence");
            assertThat(http.post("/api/v1/accounts/st-9/statements/schedules", "{\"cadence\": \"monthly\","
                    + " \"addresses\": [\"cfo@acme.test\"]}", null).statusCode()).isEqualTo(201);
            assertThat(http.get("/api/v1/accounts/st-9/statements/schedules").body()).contains("MONTHLY")
                    .contains("cfo@acme.test");
        }

        assertThat(deliveries.sendRequested()).isEqualTo(1);
        assertThat(deliveries.sendRequested()).as("already sent").isZero();
        assertThat(deliveries.sendDue()).isEqualTo(1);
        assertThat(deliveries.sendDue()).as("the same day again").isZero();
        assertThat(deliveries(Clock.fixed(Instant.parse("2026-12-02T06:00:00Z"), ZoneOffset.UTC)).sendDue()).isZero();
        MimeMessage[] sent = Arrays.copyOfRange(MAIL.getReceivedMessages(), before, MAIL.getReceivedMessages().length);
        assertThat(sent).hasSize(2);
        for (MimeMessage message : sent) {
            assertThat(subject(message)).isEqualTo("Statement 2026-11-01 to 2026-11-30 for account st-9");
            Part pdf = pdfPart(message);
            assertThat(pdf.getFileName()).isEqualTo("statement-st-9-2026-11-01-2026-11-30.pdf");
            assertThat(new String(pdf.getInputStream().readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
        }
        assertThat(Arrays.stream(sent).map(m -> recipients(m))).containsExactlyInAnyOrder("books@acme.test",
                "cfo@acme.test");
        int recorded = postgres.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM statement_deliveries"
                + " WHERE account_id = 'st-9'").mapTo(Integer.class).one());
        assertThat(recorded).isEqualTo(2);
    }

    private StatementDeliveries deliveries(Clock clock) {
        Dispatcher dispatcher = new Dispatcher(new SentLog(postgres.jdbi()), mailSender(), (id, to, text) -> { },
                clock);
        return new StatementDeliveries(postgres.jdbi(), new StatementQueries(postgres.jdbi(), new Retention(25), clock),
                dispatcher, clock);
    }

    private static int skippedRows() {
        return postgres.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM notifier_skipped")
                .mapTo(Integer.class).one());
    }

    @Test
    void shouldTryAMessageTheMailServerRefusedAgainAndSendItOnce() throws Exception {
        produce(notice("account-paused:n-1:usage:e-20", NotificationType.ACCOUNT_PAUSED, Map.of()));
        AtomicInteger refusals = new AtomicInteger();
        SmtpMailSender smtp = mailSender();
        MailSender refusingOnce = message -> {
            if (message.messageId().endsWith("e-20") && refusals.getAndIncrement() == 0) {
                throw new IllegalStateException("421 service not available");
            }
            smtp.send(message);
        };

        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        runUntil("retry", refusingOnce, registry, () -> Arrays.stream(MAIL.getReceivedMessages())
                .anyMatch(m -> GreenMailUtil.getBody(m).contains("e-20")));

        assertThat(refusals).hasValue(2);
        // issue 14 §1: notifications sent and failed by kind
        assertThat(registry.get("meterflow.notifications").tags("kind", "notice", "channel", "email", "outcome",
                "failed").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("meterflow.notifications").tags("kind", "notice", "channel", "email", "outcome",
                "sent").counter().count()).isEqualTo(1.0);
        assertThat(Arrays.stream(MAIL.getReceivedMessages()).filter(m -> GreenMailUtil.getBody(m).contains("e-20")))
                .hasSize(1);
    }

    private void runUntil(String group, java.util.concurrent.Callable<Boolean> done) throws Exception {
        runUntil(group, mailSender(), done);
    }

    private void runUntil(String group, MailSender mail, java.util.concurrent.Callable<Boolean> done)
            throws Exception {
        runUntil(group, mail, new SimpleMeterRegistry(), done);
    }

    private void runUntil(String group, MailSender mail, SimpleMeterRegistry registry,
                          java.util.concurrent.Callable<Boolean> done) throws Exception {
        Properties props = new Properties();
        props.put("bootstrap.servers", kafka.bootstrapServers());
        props.put("group.id", "notifier-it-" + group);
        Notifier notifier = NotifierMain.start(props, postgres.database(), mail, (id, to, text) -> texts.add(id),
                new Retention(25), Clock.systemUTC(), Duration.ofSeconds(1), registry);
        CompletableFuture<Void> run = CompletableFuture.runAsync(notifier);
        try {
            await().atMost(Duration.ofMinutes(2)).until(() -> done.call() || run.isDone());
        } finally {
            notifier.close();
            run.get();
        }
    }

    private static SmtpMailSender mailSender() {
        return new SmtpMailSender("127.0.0.1", MAIL.getSmtp().getPort(), TransportStrategy.SMTP, null, null,
                "billing@meterflow.test");
    }

    private static BillingNotification notice(String id, NotificationType type, Map<String, String> attributes) {
        return BillingNotification.newBuilder().setNotificationId(id).setAccountId(ACCOUNT).setType(type)
                .setEmailRecipients(List.of("admin@acme.test")).setSmsRecipients(List.of("+15550100"))
                .setSummary("Notice " + id).setAttributes(attributes).setAt(AT).build();
    }

    private static void produce(Object... values) {
        try (var producer = producer()) {
            for (Object value : values) {
                byte[] bytes = value instanceof Receipt receipt
                        ? Topics.RECEIPTS.valueSerde().serializer().serialize(Topics.RECEIPTS.name(), receipt)
                        : Topics.BILLING_NOTIFICATIONS.valueSerde().serializer().serialize(
                        Topics.BILLING_NOTIFICATIONS.name(), (BillingNotification) value);
                String topic = value instanceof Receipt ? Topics.RECEIPTS.name() : Topics.BILLING_NOTIFICATIONS.name();
                producer.send(new ProducerRecord<>(topic, ACCOUNT.getBytes(StandardCharsets.UTF_8), bytes));
            }
            producer.flush();
        }
    }

    private static void produceRaw(byte[] value) {
        try (var producer = producer()) {
            producer.send(new ProducerRecord<>(Topics.BILLING_NOTIFICATIONS.name(),
                    ACCOUNT.getBytes(StandardCharsets.UTF_8), value));
            producer.flush();
        }
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()), new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    private static void seedLedger(String account) {
        List<ReadModelRow> rows = new ArrayList<>();
        rows.add(new BalanceRow(account, 40_000_000, "ACTIVE", null, AT));
        rows.addAll(Projection.ledgerEntry(account, LedgerEntry.newBuilder().setEntryId("recharge:x")
                .setAccountId(account).setSourceAccountId(account).setKind(LedgerEntryKind.RECHARGE).setSku(null)
                .setQuantity(0).setAmountMicros(50_000_000).setBalanceAfterMicros(50_000_000).setSourceId("x")
                .setOccurredAt(AT).setPostedAt(AT).build()));
        rows.addAll(Projection.ledgerEntry(account, LedgerEntry.newBuilder().setEntryId("usage:y")
                .setAccountId(account).setSourceAccountId(account).setKind(LedgerEntryKind.USAGE)
                .setSku("call.minutes").setQuantity(60).setAmountMicros(-10_000_000).setBalanceAfterMicros(40_000_000)
                .setSourceId("y").setOccurredAt(AT).setPostedAt(AT.plusSeconds(60)).build()));
        ReadModelFixture.write(postgres.jdbi(), Clock.fixed(AT, ZoneOffset.UTC), rows);
    }

    private static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String recipients(MimeMessage message) {
        try {
            return String.join(",", Arrays.stream(message.getRecipients(RecipientType.TO)).map(Address::toString)
                    .toList());
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Part pdfPart(Part part) throws Exception {
        if (part.isMimeType("application/pdf")) {
            return part;
        }
        if (part.getContent() instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart child = multipart.getBodyPart(i);
                Part found = child.isMimeType("multipart/*") || child.isMimeType("application/pdf")
                        ? pdfPart(child) : null;
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}
