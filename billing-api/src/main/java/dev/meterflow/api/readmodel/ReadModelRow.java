package dev.meterflow.api.readmodel;

import java.time.Instant;
import java.time.LocalDate;

/** One write the read model makes for a record: each kind is one table (or one column group of {@code accounts}). */
public sealed interface ReadModelRow {

    /** The account's settings, as the settings JSON columns hold them; {@code null} fields for a tombstone. */
    record SettingsRow(String accountId, String ratePlanId, String parentAccountId, Boolean autoRechargeEnabled,
                       String rechargeMode, Long thresholdMicros, Long targetMicros, Long amountMicros,
                       String paymentMethodsJson, String billingEmailsJson, String criticalBillingPhone,
                       Boolean directChargePlanFee, String serviceAddressJson, Boolean taxExempt,
                       Instant updatedAt) implements ReadModelRow {
    }

    record BalanceRow(String accountId, long balanceMicros, String status, String pendingRechargeId,
                      Instant updatedAt) implements ReadModelRow {
    }

    record StatusRow(String accountId, String status, String reason, Instant at) implements ReadModelRow {
    }

    /** A payment result; {@code declineCodes} joined with ", " (empty when none). */
    record PaymentRow(String requestId, Instant completedAt, String accountId, String reason, String status,
                      long amountCents, String paymentMethodId, String gatewayChargeId, String declineCodes)
            implements ReadModelRow, Dated {
        @Override
        public LocalDate day() {
            return Days.utc(completedAt);
        }
    }

    record ReceiptRow(String receiptId, Instant chargedAt, String requestId, String accountId, long amountCents,
                      String currency, String brand, String last4, String gatewayChargeId)
            implements ReadModelRow, Dated {
        @Override
        public LocalDate day() {
            return Days.utc(chargedAt);
        }
    }

    /** @param requestId the request id the pipeline gives the command once it accepts it */
    record PaymentCommandRow(String commandId, String accountId, long amountCents, String paymentMethodId,
                             Instant requestedAt, String requestedBy, String requestId) implements ReadModelRow {
    }

    /**
     * A settings write or payment command the pipeline refused: {@code kind} SETTINGS (subject the account,
     * at its settings' update time) or PAYMENT (subject the command id, at its request time).
     */
    record RefusalRow(String kind, String subjectId, Instant subjectAt, String accountId, String reason,
                      String message, String actor) implements ReadModelRow {
    }

    record BillingLogRow(String logId, String accountId, Instant at, String kind, String summary, String actor)
            implements ReadModelRow {
    }

    record DailyUsageRow(String accountId, LocalDate day, String sku, long quantity, long amountMicros,
                         long eventCount) implements ReadModelRow, Dated {
    }

    record ClosingBalanceRow(String accountId, LocalDate day, long balanceMicros, Instant lastPostedAt,
                             String lastEntryId) implements ReadModelRow, Dated {
    }

    /** One ledger entry's part of its posting day's total per kind and SKU ({@code ""} when none). */
    record LedgerTotalRow(String accountId, LocalDate day, String kind, String sku, long amountMicros, long quantity)
            implements ReadModelRow, Dated {
    }

    /** A TAX ledger entry; the period, jurisdiction, base and rate are null on entries before LedgerEntry v2. */
    record TaxLineRow(String entryId, String accountId, long amountMicros, Instant occurredAt, String taxPeriod,
                      String taxJurisdiction, Long taxableBaseMicros, Long taxRatePpm)
            implements ReadModelRow {
    }

    /**
     * A plan fee charged to a payment method (PLAN_FEE_DIRECT): its entry leaves the balance as it was, so this row
     * keeps what was paid, with what, and the request that charged it.
     */
    record PlanFeeChargeRow(String accountId, LocalDate day, String entryId, String requestId, String sku,
                            long chargedMicros, String paymentMethodId, Instant postedAt)
            implements ReadModelRow, Dated {
    }

    /** A row of a table partitioned by month: the day decides its partition and its retention. */
    interface Dated {
        LocalDate day();
    }
}
