package dev.meterflow.api.notify;

import dev.meterflow.api.payments.DeclineReasons;
import dev.meterflow.api.statements.Statement;
import dev.meterflow.api.statements.StatementHandler;
import dev.meterflow.api.statements.StatementHtml;
import dev.meterflow.money.Money;
import dev.meterflow.schemas.BillingNotification;
import dev.meterflow.schemas.NotificationType;
import dev.meterflow.schemas.Receipt;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** What to send for a receipt, a billing notice or a statement: pure functions of the record, no I/O. */
public final class Messages {

    /** Notices that also go by SMS to the critical billing phone: the ones that stop calls or soon will. */
    static final Set<NotificationType> CRITICAL = Set.of(NotificationType.PAYMENT_DECLINED,
            NotificationType.ACCOUNT_PAUSED, NotificationType.LOW_BALANCE);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private Messages() {
    }

    /** The receipt to every billing email of the account, keyed by the receipt id. */
    public static Optional<Message> receipt(Receipt receipt) {
        if (receipt.getRecipients().isEmpty()) {
            return Optional.empty();
        }
        String amount = Money.formatCents(receipt.getAmountCents());
        String card = receipt.getBrand() + " ending " + receipt.getLast4();
        List<String[]> rows = List.of(new String[] {"Date", TIME.format(receipt.getChargedAt())},
                new String[] {"Amount", amount + " " + receipt.getCurrency().toUpperCase(java.util.Locale.ROOT)},
                new String[] {"Card", card}, new String[] {"Charge", receipt.getGatewayChargeId()},
                new String[] {"Account", receipt.getAccountId()}, new String[] {"Receipt", receipt.getReceiptId()});
        String lead = "We charged " + amount + " to your " + card + " and added it to your prepaid balance.";
        return Optional.of(new Message("receipt:" + receipt.getReceiptId(), receipt.getRecipients(),
                "Receipt: " + amount + " charged to your " + card, text(lead, rows), html(lead, rows), null));
    }

    /**
     * The email of a notice, keyed by its notification id; none for a recharge receipt notice (the receipt record
     * of the same charge is its email) or a notice without recipients.
     */
    public static Optional<Message> notice(BillingNotification notice) {
        if (notice.getType() == NotificationType.RECHARGE_RECEIPT || notice.getEmailRecipients().isEmpty()) {
            return Optional.empty();
        }
        String lead = notice.getSummary();
        if (notice.getType() == NotificationType.PAYMENT_DECLINED) {
            lead = lead + " " + DeclineReasons.describe("DECLINED", codes(notice.getAttributes().get("declineCodes")));
        }
        List<String[]> rows = List.of(new String[] {"Account", notice.getAccountId()},
                new String[] {"When", TIME.format(notice.getAt())});
        return Optional.of(new Message("notice:" + notice.getNotificationId(), notice.getEmailRecipients(),
                subject(notice), text(lead, rows), html(lead, rows), null));
    }

    /** The text to each critical billing phone, keyed by notification id and number. */
    public static List<Sms> sms(BillingNotification notice) {
        if (!CRITICAL.contains(notice.getType())) {
            return List.of();
        }
        String text = "Meterflow, account " + notice.getAccountId() + ": " + notice.getSummary();
        return notice.getSmsRecipients().stream()
                .map(phone -> new Sms("sms:" + notice.getNotificationId() + ":" + phone, phone, text)).toList();
    }

    /** A statement with its PDF attached. */
    public static Message statement(String messageId, Statement statement, List<String> to, byte[] pdf) {
        String period = statement.period().from() + " to " + statement.period().to();
        List<String[]> rows = List.of(new String[] {"Account", statement.accountId()},
                new String[] {"Period", period + " (UTC)"},
                new String[] {"Opening balance", Money.format(statement.openingBalanceMicros())},
                new String[] {"Closing balance", Money.format(statement.closingBalanceMicros())});
        String lead = "Your statement for " + period + " is attached as a PDF.";
        return new Message(messageId, to, "Statement " + period + " for account " + statement.accountId(),
                text(lead, rows), html(lead, rows), new Message.Attachment(StatementHandler.fileName(statement)
                + ".pdf", pdf, "application/pdf"));
    }

    private static String subject(BillingNotification notice) {
        return switch (notice.getType()) {
            case PAYMENT_DECLINED -> "Action needed: your card was not charged";
            case ACCOUNT_PAUSED -> "Your account " + notice.getAccountId() + " is paused";
            case ACCOUNT_RESUMED -> "Your account " + notice.getAccountId() + " is active again";
            case LOW_BALANCE -> "Low balance on account " + notice.getAccountId();
            case STATEMENT_READY -> "Your statement is ready";
            case RECHARGE_RECEIPT -> "Receipt";
            case PAYMENT_PROCESSING -> "Your bank payment is on its way";
        };
    }

    private static List<String> codes(String joined) {
        return joined == null || joined.isBlank() ? List.of() : Arrays.stream(joined.split(","))
                .map(String::strip).toList();
    }

    private static String text(String lead, List<String[]> rows) {
        StringBuilder text = new StringBuilder(lead).append("\n\n");
        rows.forEach(row -> text.append(row[0]).append(": ").append(row[1]).append('\n'));
        return text.toString();
    }

    private static String html(String lead, List<String[]> rows) {
        StringBuilder html = new StringBuilder("<html><body style=\"font-family:sans-serif\"><p>")
                .append(StatementHtml.escape(lead)).append("</p><table>");
        rows.forEach(row -> html.append("<tr><th style=\"text-align:left\">").append(StatementHtml.escape(row[0]))
                .append("</th><td>").append(StatementHtml.escape(row[1])).append("</td></tr>"));
        return html.append("</table></body></html>").toString();
    }

    /** One text message. */
    public record Sms(String messageId, String to, String text) {
    }
}
