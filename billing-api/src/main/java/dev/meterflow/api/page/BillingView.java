package dev.meterflow.api.page;

import dev.meterflow.api.accounts.SubAccounts;
import dev.meterflow.api.advice.AdviceQueries.AdviceView;
import dev.meterflow.api.billinglog.BillingLogDao.LogLine;
import dev.meterflow.api.payments.PaymentQueries.PaymentItem;
import dev.meterflow.api.payments.PaymentQueries.PendingPayment;
import dev.meterflow.api.tax.TaxCharges.Taxes;
import java.util.List;
import java.util.Map;

/**
 * Everything the Billing Settings page shows of one account, read from the same services as the JSON API; the
 * template only lays it out.
 *
 * @param notice   a sentence confirming the last change ("Saved."), or null
 * @param form     the refused form, with its typed values and problems, or {@link Form#NONE}
 */
public record BillingView(Viewer viewer, Live live, List<Method> methods, List<TestCard> testCards,
                          AutoRecharge autoRecharge, AdviceView advice, String criticalBillingPhone,
                          PaymentOutcome payment, History history, BillingLog log, Statements statements,
                          boolean directChargePlanFee, List<String> billingEmails, Address serviceAddress,
                          Taxes taxes, Agency agency,
                          String notice, Form form) {

    /** Who is looking, and the token every form of theirs carries. */
    public record Viewer(String accountId, String email, String role, boolean canWrite, String csrfToken) {
    }

    /**
     * The part that refreshes while the page is open.
     *
     * @param billedTo a sub-account's agency, whose balance its usage is debited from (null for any other account)
     */
    public record Live(String accountId, String balance, boolean negative, String status, boolean paused,
                       boolean rechargePending, String billedTo) {
    }

    /** @param expires the card's expiry as {@code MM/YYYY}, {@code null} when not known */
    public record Method(String paymentMethodId, String brand, String last4, String type, String role,
                         String expires) {
    }

    /** A gateway test token the local stack's simulator knows, with what the page shows of it. */
    public record TestCard(String token, String label, String brand, String last4) {
    }

    /** The current settings as the form shows them (dollars as typed, e.g. "25.50"). */
    public record AutoRecharge(boolean enabled, String mode, String threshold, String target, String amount) {
    }

    /**
     * The outcome of a payment made from this page: {@code WAITING} until its result is read, then
     * {@code SUCCEEDED} with a receipt or {@code DECLINED}/{@code FAILED} with the reason in words.
     */
    public record PaymentOutcome(String commandId, String state, String amount, String reason, String receiptUrl) {
    }

    public record History(List<PaymentItem> payments, List<PendingPayment> requested, String nextCursor,
                          String cursor) {
    }

    /** The search as typed, the matching lines, the next page of the same search, and its CSV export. */
    public record BillingLog(Map<String, String> filter, List<String> kinds, List<LogLine> lines, String olderUrl,
                             String csvUrl, String error) {
    }

    /** @param dialogOpen the dialog is rendered open: asked for without JavaScript, or a form in it was refused */
    public record Statements(String from, String to, String email, List<Map<String, Object>> schedules,
                             boolean dialogOpen) {
    }

    /** The service address as the form shows it; every field empty when there is none yet. */
    public record Address(String line1, String city, String region, String postalCode, String country) {

        /** The form's fields in order, with their labels and what browsers may fill them with. */
        public static final List<Field> FIELDS = List.of(new Field("line1", "Street address", "address-line1"),
                new Field("city", "City", "address-level2"),
                new Field("region", "State or region (e.g. CA)", "address-level1"),
                new Field("postalCode", "ZIP or postal code", "postal-code"),
                new Field("country", "Country (two letters, e.g. US)", "country"));

        public boolean isSet() {
            return !country.isEmpty();
        }

        public String get(String field) {
            return switch (field) {
                case "line1" -> line1;
                case "city" -> city;
                case "region" -> region;
                case "postalCode" -> postalCode;
                case "country" -> country;
                default -> throw new IllegalArgumentException("no address field '" + field + "'");
            };
        }

        public record Field(String name, String label, String autocomplete) {
        }
    }

    /**
     * Agency billing: {@code billedTo} is the agency a sub-account's usage is debited from (null for any other
     * account), {@code subAccounts} the agency's sub-accounts, shown to its agency admin only (else null).
     */
    public record Agency(String billedTo, SubAccountList subAccounts) {
    }

    /** The part of the agency's page that refreshes with the sub-accounts' status and balance. */
    public record SubAccountList(String accountId, List<SubAccounts.SubAccount> accounts) {
    }
}
