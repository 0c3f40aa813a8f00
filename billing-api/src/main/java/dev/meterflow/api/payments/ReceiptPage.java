package dev.meterflow.api.payments;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meterflow.api.http.Html;
import dev.meterflow.api.payments.PaymentDao.PaymentLine;
import dev.meterflow.api.payments.PaymentQueries.ReceiptView;
import dev.meterflow.money.Money;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** A printable receipt: one HTML page whose print CSS is the printed form (no second rendering path). */
public final class ReceiptPage {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("d MMMM yyyy, HH:mm 'UTC'",
            Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STYLE = """
            body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; color: #222; }
            h1 { font-size: 1.4rem; } dt { font-weight: 600; margin-top: .6rem; } dd { margin: 0; }
            .actions { margin-top: 2rem; }
            @media print { .actions { display: none; } body { margin: 0; max-width: none; font-size: 11pt; }
              @page { margin: 2cm; } }""";

    private ReceiptPage() {
    }

    public static String render(ReceiptView view) {
        PaymentLine payment = view.payment();
        String card = Html.escape(brand(payment.brand())) + " ending in " + Html.escape(payment.last4());
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Receipt "
                + Html.escape(payment.receiptId()) + "</title><style>" + STYLE + "</style></head><body>\n"
                + "<h1>Payment receipt</h1>\n<dl>\n"
                + item("Date", DATE.format(payment.chargedAt()))
                + item("Amount", Money.formatCents(payment.amountCents()) + " " + payment.currency())
                + item("For", PaymentDescription.purpose(payment.reason()))
                + "<dt>Card</dt><dd>" + card + "</dd>\n"
                + item("Charge", payment.gatewayChargeId())
                + item("Receipt", payment.receiptId())
                + item("Account", view.account().accountId())
                + "<dt>Billing address</dt><dd>" + address(view.account().serviceAddress()) + "</dd>\n"
                + "</dl>\n<p class=\"actions\"><button onclick=\"window.print()\">Print</button></p>\n"
                + "</body></html>\n";
    }

    private static String item(String label, String value) {
        return "<dt>" + label + "</dt><dd>" + Html.escape(value) + "</dd>\n";
    }

    private static String brand(String code) {
        return code == null || code.isEmpty() ? "Card" : Character.toUpperCase(code.charAt(0)) + code.substring(1);
    }

    private static String address(String json) {
        if (json == null) {
            return "not on file";
        }
        try {
            JsonNode address = JSON.readTree(json);
            return Html.escape(address.path("line1").asText()) + "<br>" + Html.escape(address.path("city").asText())
                    + ", " + Html.escape(address.path("region").asText()) + " "
                    + Html.escape(address.path("postalCode").asText()) + "<br>"
                    + Html.escape(address.path("country").asText());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the read model holds an invalid address", e);
        }
    }
}
