package dev.meterflow.metering.topology;

import dev.meterflow.money.Money;
import dev.meterflow.schemas.PaymentStatus;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One step of a generated billing scenario. Accounts and earlier records are referred to by index (taken
 * modulo what exists when the step runs), so a shrunk scenario stays valid and reads as a short story.
 */
sealed interface BillingAction {

    /** The telephony platform reports new usage for an account. */
    record Use(int account, String sku, long quantity) implements BillingAction {
        @Override
        public String toString() {
            return "Use(account " + account + ", " + quantity + " x " + sku + ")";
        }
    }

    /** Issue 10, section 5: the sub-account billed to account 0 (its agency) reports new usage. */
    record SubAccountUse(String sku, long quantity) implements BillingAction {
        @Override
        public String toString() {
            return "SubAccountUse(" + quantity + " x " + sku + ")";
        }
    }

    /** An earlier usage event is delivered again, byte for byte (same eventId). */
    record ReplayUsage(int earlierEvent) implements BillingAction {
    }

    /** The settings backend publishes new billing settings for an account. */
    record ChangeSettings(int account, SettingsSpec settings) implements BillingAction {
        @Override
        public String toString() {
            return "ChangeSettings(account " + account + ", " + settings + ")";
        }
    }

    /** The recharge worker answers the account's pending recharge request (if it has one). */
    record AnswerRecharge(int account, PaymentStatus status) implements BillingAction {
    }

    /** An account admin makes a one-time payment (Make a Payment) with no chosen method. */
    record Pay(int account, long amountCents) implements BillingAction {
    }

    /** The recharge worker answers the account's oldest one-time payment not answered yet (if any). */
    record AnswerPayment(int account, PaymentStatus status) implements BillingAction {
    }

    /** The recharge worker answers the account's oldest plan fee charged directly and not answered yet (if any). */
    record AnswerPlanFee(int account, PaymentStatus status) implements BillingAction {
    }

    /** An earlier payment result is delivered again, byte for byte. */
    record ReplayPaymentResult(int earlierResult) implements BillingAction {
    }

    /** Time passes: record time and the wall clock move forward. */
    record PassTime(Duration duration) implements BillingAction {
    }

    /** Time passes to just after midnight on the 1st of the next month (UTC): the monthly tax run begins. */
    record TurnOfTheMonth() implements BillingAction {
    }

    /** The auto-recharge part of an account's settings, and its payment methods. */
    record SettingsSpec(boolean autoRecharge, Mode mode, long thresholdMicros, long targetMicros, long amountMicros,
                        List<MethodSpec> paymentMethods, boolean directChargePlanFee) {

        enum Mode { TOP_UP_TO_TARGET, FIXED_AMOUNT }

        @Override
        public String toString() {
            String policy = mode == Mode.TOP_UP_TO_TARGET ? "top up to " + Money.format(targetMicros)
                    : "fixed " + Money.format(amountMicros);
            return "auto-recharge " + (autoRecharge ? "on" : "off") + " below " + Money.format(thresholdMicros) + ", "
                    + policy + ", methods " + paymentMethods.stream().map(MethodSpec::toString)
                    .collect(Collectors.joining(", ", "[", "]")) + (directChargePlanFee ? ", plan fee by card" : "");
        }
    }

    /** A stored payment method: gateway token, brand (any case, as received) and role. */
    record MethodSpec(String paymentMethodId, String brand, Role role) {

        enum Role { PRIMARY, BACKUP, OTHER }

        @Override
        public String toString() {
            return paymentMethodId + " " + brand + " " + role;
        }
    }
}
