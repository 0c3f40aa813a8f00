package dev.meterflow.worker.recharge;

import dev.meterflow.money.Money;
import dev.meterflow.schemas.AttemptOutcome;
import dev.meterflow.schemas.BillingNotification;
import dev.meterflow.schemas.NotificationType;
import dev.meterflow.schemas.PaymentAttempt;
import dev.meterflow.schemas.PaymentMethodRef;
import dev.meterflow.schemas.PaymentMethodType;
import dev.meterflow.schemas.PaymentResult;
import dev.meterflow.schemas.PaymentStatus;
import dev.meterflow.schemas.Receipt;
import dev.meterflow.schemas.RechargeReason;
import dev.meterflow.schemas.RechargeRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The records a finished request produces, all with ids derived from the request id so a replay writes the
 * same ids: the {@code PaymentResult}; on success a {@code Receipt} and a RECHARGE_RECEIPT notice to the
 * billing emails; on a decline, or a failure (no method could be charged, issue 10 §6), a PAYMENT_DECLINED notice
 * by email and, if set, SMS to the critical phone. A card
 * passed over at its soft-decline retry limit appears in no attempt (nothing was sent to the gateway) and as
 * {@code retry_limit_reached} among the notice's {@code declineCodes}.
 */
public record RechargeOutputs(PaymentResult result, Optional<Receipt> receipt, List<BillingNotification> notifications) {

    /**
     * The most attempts a result lists. A request held while a card's outcome stays unknown is tried again at every
     * reconcile interval, so its attempts grow with time; the result keeps every answered one (at most one per
     * payment method decides) and the latest unresolved ones, so it always fits in a record.
     */
    public static final int MAX_LISTED_ATTEMPTS = 100;

    public static RechargeOutputs of(RechargeRequest request, Step.Finish finish, long nowMillis) {
        Instant now = Instant.ofEpochMilli(nowMillis);
        PaymentResult result = PaymentResult.newBuilder()
                .setRequestId(request.getRequestId())
                .setAccountId(request.getAccountId())
                .setReason(request.getReason())
                .setStatus(PaymentStatus.valueOf(finish.status().name()))
                .setAmountCents(request.getAmountCents())
                .setPaymentMethodId(finish.paymentMethodId())
                .setGatewayChargeId(finish.chargeId())
                .setAttempts(listed(finish.attempts()).stream().map(RechargeOutputs::attempt).toList())
                .setCompletedAt(now)
                .build();
        return switch (finish.status()) {
            case SUCCEEDED -> succeeded(request, finish, result, now);
            case DECLINED, FAILED -> new RechargeOutputs(result, Optional.empty(),
                    List.of(declined(request, finish, now)));
        };
    }

    private static RechargeOutputs succeeded(RechargeRequest request, Step.Finish finish, PaymentResult result,
                                             Instant now) {
        PaymentMethodRef card = method(request, finish.paymentMethodId());
        Receipt receipt = Receipt.newBuilder()
                .setReceiptId("receipt:" + request.getRequestId())
                .setRequestId(request.getRequestId())
                .setAccountId(request.getAccountId())
                .setAmountCents(request.getAmountCents())
                .setCurrency(request.getCurrency())
                .setBrand(card.getBrand())
                .setLast4(card.getLast4())
                .setGatewayChargeId(finish.chargeId())
                .setChargedAt(now)
                .setRecipients(request.getBillingEmails())
                .build();
        BillingNotification notice = BillingNotification.newBuilder()
                .setNotificationId("recharge-receipt:" + request.getAccountId() + ":" + request.getRequestId())
                .setAccountId(request.getAccountId())
                .setType(NotificationType.RECHARGE_RECEIPT)
                .setEmailRecipients(request.getBillingEmails())
                .setSmsRecipients(List.of())
                .setSummary(receiptSummary(request, card))
                .setAttributes(Map.of("requestId", request.getRequestId(), "receiptId", receipt.getReceiptId(),
                        "amountCents", Long.toString(request.getAmountCents()), "reason",
                        request.getReason().name()))
                .setAt(now)
                .build();
        return new RechargeOutputs(result, Optional.of(receipt), List.of(notice));
    }

    /**
     * The PAYMENT_PROCESSING notice of a bank debit sent and not settled yet (issue 10 §2), to the billing emails, once
     * per request: its id is derived from the request id. The result follows when the bank settles it.
     */
    public static BillingNotification processing(RechargeRequest request, String paymentMethodId, long nowMillis) {
        PaymentMethodRef bank = method(request, paymentMethodId);
        String amount = Money.formatCents(request.getAmountCents());
        return BillingNotification.newBuilder()
                .setNotificationId("payment-processing:" + request.getAccountId() + ":" + request.getRequestId())
                .setAccountId(request.getAccountId())
                .setType(NotificationType.PAYMENT_PROCESSING)
                .setEmailRecipients(request.getBillingEmails())
                .setSmsRecipients(List.of())
                .setSummary("Your bank payment of " + amount + " from the account ending " + bank.getLast4()
                        + " is on its way: banks take up to 4 business days to settle it. We will write again when"
                        + " it has.")
                .setAttributes(Map.of("requestId", request.getRequestId(), "amountCents",
                        Long.toString(request.getAmountCents()), "reason", request.getReason().name()))
                .setAt(Instant.ofEpochMilli(nowMillis))
                .build();
    }

    private static BillingNotification declined(RechargeRequest request, Step.Finish finish, Instant now) {
        // a card passed over at its retry limit has no attempt; the notice still says why it was not charged
        String codes = String.join(",", Stream.concat(
                finish.attempts().stream().map(Attempt::declineCode).filter(Objects::nonNull),
                finish.passedOver().stream().map(passedOver -> Step.PassedOver.REASON)).distinct().toList());
        String phone = request.getCriticalBillingPhone();
        return BillingNotification.newBuilder()
                .setNotificationId("payment-declined:" + request.getAccountId() + ":" + request.getRequestId())
                .setAccountId(request.getAccountId())
                .setType(NotificationType.PAYMENT_DECLINED)
                .setEmailRecipients(request.getBillingEmails())
                .setSmsRecipients(phone == null || phone.isBlank() ? List.of() : List.of(phone))
                .setSummary(declineSummary(request, finish.status()))
                .setAttributes(Map.of("requestId", request.getRequestId(), "declineCodes", codes,
                        "amountCents", Long.toString(request.getAmountCents()), "status", finish.status().name(),
                        "reason", request.getReason().name()))
                .setAt(now)
                .build();
    }

    /** A plan fee charged directly is not added to the balance: it pays the fee (issue 10, §3). */
    private static String receiptSummary(RechargeRequest request, PaymentMethodRef card) {
        String charged = "We charged " + Money.formatCents(request.getAmountCents());
        String to = " to your " + card.getBrand() + " ending " + card.getLast4();
        return request.getReason() == RechargeReason.PLAN_FEE_DIRECT
                ? charged + " for your plan fee" + to + "; your prepaid balance is unchanged."
                : charged + to + " and added it to your balance.";
    }

    private static String declineSummary(RechargeRequest request, Step.Status status) {
        String amount = Money.formatCents(request.getAmountCents());
        String what = switch (request.getReason()) {
            case ONE_TIME_PAYMENT -> "Your payment of " + amount + " was not charged: ";
            case PLAN_FEE_DIRECT -> "Your plan fee of " + amount + " was not charged: ";
            case AUTO_RECHARGE -> "We could not charge " + amount + ": ";
        };
        boolean bank = request.getPaymentMethods().stream()
                .anyMatch(method -> method.getType() == PaymentMethodType.ACH);
        String why = status == Step.Status.FAILED
                ? "the payment service could not process any of your payment methods."
                : bank ? "your bank or card issuer declined or returned it." : "your cards on file were declined.";
        // the topology debits a plan fee no method paid, whatever the reason (issue 10, §3)
        String then = request.getReason() == RechargeReason.PLAN_FEE_DIRECT
                ? " It is debited from your prepaid balance instead. Please update your payment method."
                : " Please update your payment method to keep calls connected.";
        return what + why + then;
    }

    /** Every attempt, or when there are too many, the decisive ones and the latest unresolved ones, in order. */
    static List<Attempt> listed(List<Attempt> attempts) {
        if (attempts.size() <= MAX_LISTED_ATTEMPTS) {
            return attempts;
        }
        long decisive = attempts.stream().filter(attempt -> !attempt.unresolved()).count();
        long unresolvedToSkip = attempts.size() - decisive - Math.max(0, MAX_LISTED_ATTEMPTS - decisive);
        List<Attempt> listed = new ArrayList<>();
        long skipped = 0;
        for (Attempt attempt : attempts) {
            if (attempt.unresolved() && skipped < unresolvedToSkip) {
                skipped++;
            } else if (listed.size() < MAX_LISTED_ATTEMPTS) {
                listed.add(attempt);
            }
        }
        return listed;
    }

    private static PaymentMethodRef method(RechargeRequest request, String paymentMethodId) {
        return request.getPaymentMethods().stream()
                .filter(m -> m.getPaymentMethodId().equals(paymentMethodId))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("request " + request.getRequestId()
                        + " charged a payment method it does not list: " + paymentMethodId));
    }

    private static PaymentAttempt attempt(Attempt attempt) {
        return PaymentAttempt.newBuilder()
                .setPaymentMethodId(attempt.paymentMethodId())
                .setOutcome(attempt.outcome() == null || attempt.processing() ? AttemptOutcome.UNKNOWN
                        : AttemptOutcome.valueOf(attempt.outcome().name()))
                .setDeclineCode(attempt.declineCode())
                .setGatewayReference(attempt.gatewayReference())
                .setAt(Instant.ofEpochMilli(attempt.atMillis()))
                .build();
    }
}
