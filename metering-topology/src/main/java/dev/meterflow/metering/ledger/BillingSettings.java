package dev.meterflow.metering.ledger;

import java.util.List;

/**
 * An account's billing settings, as the ledger sees them.
 *
 * @param parentAccountId      the agency billed for this account's usage, or {@code null}
 * @param criticalBillingPhone SMS recipient for critical billing events, or {@code null}
 * @param directChargePlanFee  the account's plan fee is charged to its payment methods, not its balance
 */
public record BillingSettings(String accountId, String ratePlanId, String parentAccountId,
                              AutoRechargePolicy autoRecharge, List<PaymentMethod> paymentMethods,
                              List<String> billingEmails, String criticalBillingPhone,
                              boolean directChargePlanFee) {

    public BillingSettings {
        paymentMethods = List.copyOf(paymentMethods);
        billingEmails = List.copyOf(billingEmails);
    }

    /** Settings without the direct charge of the plan fee. */
    public BillingSettings(String accountId, String ratePlanId, String parentAccountId,
                           AutoRechargePolicy autoRecharge, List<PaymentMethod> paymentMethods,
                           List<String> billingEmails, String criticalBillingPhone) {
        this(accountId, ratePlanId, parentAccountId, autoRecharge, paymentMethods, billingEmails,
                criticalBillingPhone, false);
    }

    /** SMS recipients: the critical billing phone, if set. */
    public List<String> smsRecipients() {
        return criticalBillingPhone == null || criticalBillingPhone.isBlank() ? List.of() : List.of(criticalBillingPhone);
    }
}
