package dev.meterflow.metering.ledger;

import java.util.List;

/**
 * An account's billing settings, as the ledger sees them.
 *
 * @param parentAccountId      the agency billed for this account's usage, or {@code null}
 * @param criticalBillingPhone SMS recipient for critical billing events, or {@code null}
 */
public record BillingSettings(String accountId, String ratePlanId, String parentAccountId,
                              AutoRechargePolicy autoRecharge, List<PaymentMethod> paymentMethods,
                              List<String> billingEmails, String criticalBillingPhone) {

    public BillingSettings {
        paymentMethods = List.copyOf(paymentMethods);
        billingEmails = List.copyOf(billingEmails);
    }

    /** SMS recipients: the critical billing phone, if set. */
    public List<String> smsRecipients() {
        return criticalBillingPhone == null || criticalBillingPhone.isBlank() ? List.of() : List.of(criticalBillingPhone);
    }
}
