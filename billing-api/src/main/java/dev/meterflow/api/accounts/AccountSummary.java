package dev.meterflow.api.accounts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meterflow.api.accounts.AccountDao.AccountRow;
import dev.meterflow.money.Money;
import java.time.Instant;

/** The account summary the page shows first: balance, status, pending recharge, thresholds, settings. */
public record AccountSummary(String accountId, String parentAccountId, Long balanceMicros, String balance,
                             String status, String statusReason, Instant statusChangedAt, String pendingRechargeId,
                             AutoRecharge autoRecharge, JsonNode paymentMethods, JsonNode billingEmails,
                             String criticalBillingPhone, Boolean directChargePlanFee, JsonNode serviceAddress,
                             Boolean taxExempt, Instant settingsUpdatedAt, Instant balanceUpdatedAt) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static AccountSummary of(AccountRow row) {
        AutoRecharge recharge = row.rechargeMode() == null ? null : new AutoRecharge(row.autoRechargeEnabled(),
                row.rechargeMode(), row.thresholdMicros(), Money.format(row.thresholdMicros()), row.targetMicros(),
                row.amountMicros());
        return new AccountSummary(row.accountId(), row.parentAccountId(), row.balanceMicros(),
                row.balanceMicros() == null ? null : Money.format(row.balanceMicros()), row.status(),
                row.statusReason(), row.statusChangedAt(), row.pendingRechargeId(), recharge,
                json(row.paymentMethods()), json(row.billingEmails()), row.criticalBillingPhone(),
                row.directChargePlanFee(), json(row.serviceAddress()), row.taxExempt(), row.settingsUpdatedAt(),
                row.balanceUpdatedAt());
    }

    private static JsonNode json(String text) {
        try {
            return text == null ? null : JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the read model holds invalid JSON", e);
        }
    }

    public record AutoRecharge(Boolean enabled, String mode, Long thresholdMicros, String threshold,
                               Long targetMicros, Long amountMicros) {
    }
}
