package dev.meterflow.metering.ledger;

import java.util.List;
import java.util.Map;

/** Something a ledger decision asks the topology to publish. */
public sealed interface Effect {

    /** A ledger entry was posted. */
    record Posted(Posting posting) implements Effect {
    }

    /** The account was paused or resumed. */
    record StatusChanged(String accountId, boolean paused, String reason, long balanceMicros, long atMillis)
            implements Effect {
    }

    /**
     * Ask the recharge worker to charge {@code amountCents}, trying the methods in order; it tells
     * {@code billingEmails} (and {@code criticalBillingPhone}, if set, of a decline) how it went.
     */
    record RechargeRequested(String requestId, String accountId, RequestReason reason, long amountCents,
                             List<PaymentMethod> paymentMethods, long balanceMicros, long thresholdMicros,
                             long targetMicros, long requestedAtMillis, List<String> billingEmails,
                             String criticalBillingPhone)
            implements Effect {
        public RechargeRequested {
            paymentMethods = List.copyOf(paymentMethods);
            billingEmails = List.copyOf(billingEmails);
        }
    }

    /** Tell the account's billing admins. */
    record Notify(String notificationId, String accountId, NotificationKind kind, List<String> emailRecipients,
                  List<String> smsRecipients, String summary, Map<String, String> attributes, long atMillis)
            implements Effect {
        public Notify {
            emailRecipients = List.copyOf(emailRecipients);
            smsRecipients = List.copyOf(smsRecipients);
            attributes = Map.copyOf(attributes);
        }
    }

    /** A payment result the ledger cannot apply; it must be parked for an operator, not dropped. */
    record Unmatched(String reason, String detail) implements Effect {
    }

    enum NotificationKind { ACCOUNT_PAUSED, ACCOUNT_RESUMED, LOW_BALANCE }

    /** Why a charge is asked for: the contract's {@code RechargeReason}. */
    enum RequestReason { AUTO_RECHARGE, ONE_TIME_PAYMENT, PLAN_FEE_DIRECT }
}
