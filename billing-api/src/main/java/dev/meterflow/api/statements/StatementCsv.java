package dev.meterflow.api.statements;

import dev.meterflow.money.Money;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * A statement as CSV, one row per line: the opening balance, each day's lines and its closing balance, the card
 * charges, the closing balance. Amounts twice: exact micros for a spreadsheet's sums, dollars for reading.
 */
public final class StatementCsv {

    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setHeader("section", "day", "kind", "sku",
            "description", "quantity", "amount_micros", "amount", "balance").get();

    private StatementCsv() {
    }

    public static void write(Statement statement, Writer out) {
        try (CSVPrinter csv = new CSVPrinter(out, FORMAT)) {
            long opening = statement.openingBalanceMicros();
            csv.printRecord("opening", statement.period().from(), "", "", "Opening balance", "", opening, "",
                    Money.format(opening));
            for (Statement.Day day : statement.days()) {
                for (Statement.Line line : day.lines()) {
                    csv.printRecord("line", day.day(), line.kind(), line.sku(), line.description(), line.quantity(),
                            line.amountMicros(), Money.format(line.amountMicros()), "");
                }
                csv.printRecord("day", day.day(), "", "", "Balance at the end of the day", "", day.netMicros(),
                        Money.format(day.netMicros()), Money.format(day.closingBalanceMicros()));
            }
            for (PaymentLine payment : statement.payments()) {
                csv.printRecord("charge", payment.at(), payment.reason(), "", payment.status() + " "
                        + payment.method() + " " + payment.requestId() + ": " + payment.outcome(), "",
                        Money.centsToMicros(payment.amountCents()), Money.formatCents(payment.amountCents()), "");
            }
            long closing = statement.closingBalanceMicros();
            csv.printRecord("closing", statement.period().to(), "", "", "Closing balance", "", closing, "",
                    Money.format(closing));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the statement as CSV", e);
        }
    }
}
