package dev.meterflow.api.statements;

import dev.meterflow.money.Money;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A statement as a printable page: well-formed XHTML (the PDF renders the same text) with print CSS, every
 * value from the read model escaped.
 */
public final class StatementHtml {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final String CSS = """
            body { font-family: sans-serif; font-size: 11pt; color: #111; margin: 2em; }
            h1 { font-size: 16pt; margin-bottom: 0; }
            table { border-collapse: collapse; width: 100%; margin: 1em 0; }
            th, td { border-bottom: 1px solid #ccc; padding: 3px 6px; text-align: left; }
            td.amount, th.amount { text-align: right; white-space: nowrap; }
            tr.day td { font-weight: bold; background: #f3f3f3; }
            .balance { font-size: 13pt; font-weight: bold; }
            @page { size: A4; margin: 15mm; }
            @media print { body { margin: 0; } a { color: inherit; text-decoration: none; }
              tr { page-break-inside: avoid; } }
            """;

    private StatementHtml() {
    }

    public static String render(Statement statement) {
        StringBuilder html = new StringBuilder(4096);
        html.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\"><head>")
                .append("<meta charset=\"utf-8\"/><title>Statement ").append(escape(statement.accountId()))
                .append("</title><style>").append(CSS).append("</style></head><body>")
                .append("<h1>Statement</h1><p>Account ").append(escape(statement.accountId())).append(", ")
                .append(statement.period().from()).append(" to ").append(statement.period().to())
                .append(" (UTC days)</p><p class=\"balance\">Opening balance ")
                .append(Money.format(statement.openingBalanceMicros())).append("</p>");
        days(html, statement);
        summary(html, statement);
        payments(html, statement);
        html.append("<p class=\"balance\">Closing balance ").append(Money.format(statement.closingBalanceMicros()))
                .append("</p></body></html>\n");
        return html.toString();
    }

    private static void days(StringBuilder html, Statement statement) {
        html.append("<h2>Activity</h2><table><thead><tr><th>Day</th><th>Description</th><th class=\"amount\">")
                .append("Quantity</th><th class=\"amount\">Amount</th><th class=\"amount\">Balance</th></tr></thead>")
                .append("<tbody>");
        if (statement.days().isEmpty()) {
            html.append("<tr><td colspan=\"5\">No activity in this period.</td></tr>");
        }
        for (Statement.Day day : statement.days()) {
            for (Statement.Line line : day.lines()) {
                html.append("<tr><td>").append(day.day()).append("</td><td>").append(escape(line.description()))
                        .append("</td><td class=\"amount\">").append(line.quantity()).append("</td>")
                        .append("<td class=\"amount\">").append(Money.format(line.amountMicros()))
                        .append("</td><td></td></tr>");
            }
            html.append("<tr class=\"day\"><td>").append(day.day()).append("</td><td>End of day</td><td></td>")
                    .append("<td class=\"amount\">").append(Money.format(day.netMicros())).append("</td>")
                    .append("<td class=\"amount\">").append(Money.format(day.closingBalanceMicros()))
                    .append("</td></tr>");
        }
        html.append("</tbody></table>");
    }

    private static void summary(StringBuilder html, Statement statement) {
        var totals = statement.totals();
        html.append("<h2>Summary</h2><table><tbody>");
        for (Statement.Category category : statement.usageByCategory()) {
            row(html, "Usage: " + (category.sku().isEmpty() ? "other" : category.sku()) + " (" + category.quantity()
                    + ")", category.amountMicros());
        }
        row(html, "Usage", totals.usageMicros());
        row(html, "Taxes", totals.taxMicros());
        row(html, "Recharges and payments", totals.creditsMicros());
        row(html, "Plan fees", totals.planFeesMicros());
        if (totals.planFeesChargedMicros() != 0) {
            row(html, "Plan fees paid by card or bank account, not from the balance",
                    totals.planFeesChargedMicros());
        }
        row(html, "Adjustments", totals.adjustmentsMicros());
        html.append("</tbody></table>");
    }

    private static void payments(StringBuilder html, Statement statement) {
        html.append("<h2>Card charges</h2><table><thead><tr><th>When</th><th>Charge</th><th>Card</th><th>Outcome")
                .append("</th><th class=\"amount\">Amount</th></tr></thead><tbody>");
        if (statement.payments().isEmpty()) {
            html.append("<tr><td colspan=\"5\">No card charges in this period.</td></tr>");
        }
        for (PaymentLine payment : statement.payments()) {
            html.append("<tr><td>").append(TIME.format(payment.at())).append("</td><td>")
                    .append(escape(payment.requestId())).append("</td><td>").append(escape(payment.method()))
                    .append("</td><td>").append(escape(payment.outcome())).append("</td><td class=\"amount\">")
                    .append(Money.formatCents(payment.amountCents())).append("</td></tr>");
        }
        html.append("</tbody></table>");
    }

    private static void row(StringBuilder html, String label, long micros) {
        html.append("<tr><td>").append(escape(label)).append("</td><td class=\"amount\">")
                .append(Money.format(micros)).append("</td></tr>");
    }

    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
