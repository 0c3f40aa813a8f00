package dev.meterflow.worker.recharge;

import dev.meterflow.schemas.PaymentMethodRef;
import dev.meterflow.schemas.PaymentMethodType;
import dev.meterflow.schemas.RechargeReason;
import dev.meterflow.schemas.RechargeRequest;
import dev.meterflow.topics.Topics;
import dev.meterflow.worker.gateway.ChargeCommand;
import dev.meterflow.worker.recharge.RequestRefusal.Reason;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * What a recharge request must satisfy before the gateway is called (issue 17): ids present and well-formed, the
 * amount within the configured bounds, payment methods and recipients capped and sane, and every record the worker
 * would publish for it, whatever the gateway answers, within the broker's record size. The worker checks its input
 * itself rather than trust the pipeline: a request it cannot publish the outcome of must not be charged.
 */
public final class RequestCheck {

    public static final int MAX_ID_LENGTH = 255;
    /** Stripe's limit on an idempotency key ({@code meterflow/<requestId>/<paymentMethodId>}). */
    public static final int MAX_IDEMPOTENCY_KEY_LENGTH = 255;
    public static final int MAX_PAYMENT_METHODS = 10;
    public static final int MAX_EMAILS = 10;
    /** RFC 5321's limit on a forward path. */
    public static final int MAX_EMAIL_LENGTH = 254;
    /** Room left in a record for its key, headers and batch framing. */
    static final int RECORD_OVERHEAD_BYTES = 4_096;

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+$");
    private static final Pattern E164 = Pattern.compile("^\\+[1-9][0-9]{6,14}$");
    /** A payment method id of bare digits is most likely a card number pasted where a token belongs. */
    private static final Pattern DIGITS_ONLY = Pattern.compile("^[0-9 -]{12,}$");

    private final long minAmountCents;
    private final long maxAmountCents;
    private final int maxRecordBytes;

    /** @param maxRecordBytes the largest record the worker's producer may send ({@code max.request.size}) */
    public RequestCheck(long minAmountCents, long maxAmountCents, int maxRecordBytes) {
        this.minAmountCents = minAmountCents;
        this.maxAmountCents = maxAmountCents;
        this.maxRecordBytes = maxRecordBytes;
    }

    /** The most bytes a record the worker publishes may take, before its key, headers and framing. */
    public int recordBudget() {
        return maxRecordBytes - RECORD_OVERHEAD_BYTES;
    }

    /** The first rule the request breaks, or empty when it may go to the gateway. */
    public Optional<RequestRefusal> check(String recordKey, RechargeRequest request) {
        return firstOf(() -> answerableProblem(recordKey, request), () -> idempotencyKeys(request),
                () -> amount(request), () -> paymentMethods(request.getPaymentMethods()),
                () -> bankAccountForAutoRecharge(request), () -> recipients(request),
                () -> outputSize(request));
    }

    /**
     * Whether a refused request can still be answered with a FAILED result: its ids are sound and its key is its
     * account, so the result reaches the account's pending recharge instead of leaving it waiting.
     */
    public static boolean answerable(String recordKey, RechargeRequest request) {
        return answerableProblem(recordKey, request).isEmpty();
    }

    private static Optional<RequestRefusal> answerableProblem(String recordKey, RechargeRequest request) {
        return firstOf(() -> id("requestId", request.getRequestId()), () -> id("accountId", request.getAccountId()),
                () -> request.getAccountId().equals(recordKey) ? Optional.empty() : refuse(Reason.KEY_MISMATCH,
                        "the record key is not the request's accountId '" + shorten(request.getAccountId()) + "'"));
    }

    private static Optional<RequestRefusal> id(String field, String value) {
        if (value == null || value.isBlank()) {
            return refuse(Reason.BLANK_ID, field + " is blank");
        }
        if (value.length() > MAX_ID_LENGTH) {
            return refuse(Reason.ILL_FORMED_ID, field + " is " + value.length() + " characters long, at most "
                    + MAX_ID_LENGTH);
        }
        if (value.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            return refuse(Reason.ILL_FORMED_ID, field + " contains a space or control character");
        }
        return Optional.empty();
    }

    private static Optional<RequestRefusal> idempotencyKeys(RechargeRequest request) {
        for (PaymentMethodRef method : request.getPaymentMethods()) {
            if (ChargeCommand.idempotencyKey(request.getRequestId(), method.getPaymentMethodId()).length()
                    > MAX_IDEMPOTENCY_KEY_LENGTH) {
                return refuse(Reason.ILL_FORMED_ID, "requestId with a payment method id makes an idempotency key "
                        + "longer than the gateway's " + MAX_IDEMPOTENCY_KEY_LENGTH + " characters");
            }
        }
        return Optional.empty();
    }

    private Optional<RequestRefusal> amount(RechargeRequest request) {
        if (!"USD".equals(request.getCurrency())) {
            return refuse(Reason.UNSUPPORTED_CURRENCY, "currency '" + shorten(request.getCurrency())
                    + "' is not USD, the balances' currency");
        }
        long cents = request.getAmountCents();
        if (cents < minAmountCents || cents > maxAmountCents) {
            return refuse(Reason.AMOUNT_OUT_OF_BOUNDS, "amountCents " + cents + " is outside " + minAmountCents
                    + ".." + maxAmountCents);
        }
        return Optional.empty();
    }

    private static Optional<RequestRefusal> paymentMethods(List<PaymentMethodRef> methods) {
        if (methods.size() > MAX_PAYMENT_METHODS) {
            return refuse(Reason.TOO_MANY_PAYMENT_METHODS, methods.size() + " payment methods, at most "
                    + MAX_PAYMENT_METHODS);
        }
        for (int i = 0; i < methods.size(); i++) {
            PaymentMethodRef method = methods.get(i);
            String id = method.getPaymentMethodId();
            boolean tokenOk = id(id).isEmpty() && id.indexOf('/') < 0 && !DIGITS_ONLY.matcher(id).matches();
            boolean restOk = id(method.getCustomerId()).isEmpty() && method.getBrand().length() <= MAX_ID_LENGTH
                    && method.getLast4().length() <= 4;
            if (!tokenOk || !restOk) {
                // never echo the id: it may be a card number
                return refuse(Reason.INVALID_PAYMENT_METHOD, "payment method " + (i + 1) + " is not a gateway token "
                        + "with its customer, brand and last four digits");
            }
        }
        return Optional.empty();
    }

    /**
     * The topology never offers a bank account to an automatic recharge (it settles in days, while the balance runs
     * down now); the worker refuses one too rather than charge it, so a bug upstream cannot break the promise.
     */
    private static Optional<RequestRefusal> bankAccountForAutoRecharge(RechargeRequest request) {
        if (request.getReason() != RechargeReason.AUTO_RECHARGE) {
            return Optional.empty();
        }
        for (int i = 0; i < request.getPaymentMethods().size(); i++) {
            if (request.getPaymentMethods().get(i).getType() == PaymentMethodType.ACH) {
                return refuse(Reason.ACH_FOR_AUTO_RECHARGE, "payment method " + (i + 1) + " is a bank account (ACH),"
                        + " which an automatic recharge never charges: bank debits settle in days");
            }
        }
        return Optional.empty();
    }

    private static Optional<RequestRefusal> id(String value) {
        return id("id", value);
    }

    private static Optional<RequestRefusal> recipients(RechargeRequest request) {
        List<String> emails = request.getBillingEmails();
        if (emails.size() > MAX_EMAILS) {
            return refuse(Reason.TOO_MANY_RECIPIENTS, emails.size() + " billing emails, at most " + MAX_EMAILS);
        }
        for (String email : emails) {
            if (email.length() > MAX_EMAIL_LENGTH || !EMAIL.matcher(email).matches()) {
                return refuse(Reason.INVALID_RECIPIENT, "billing email '" + shorten(email) + "' is not an address");
            }
        }
        String phone = request.getCriticalBillingPhone();
        if (phone != null && !phone.isEmpty() && !E164.matcher(phone).matches()) {
            return refuse(Reason.INVALID_RECIPIENT, "criticalBillingPhone '" + shorten(phone) + "' is not E.164");
        }
        return Optional.empty();
    }

    /** The largest outputs the request can have: every outcome, the most attempts listed, the longest texts. */
    private Optional<RequestRefusal> outputSize(RechargeRequest request) {
        int largest = worstCaseOutputs(request).stream().mapToInt(RequestCheck::largestRecord).max().orElse(0);
        int limit = recordBudget();
        return largest <= limit ? Optional.empty() : refuse(Reason.OUTPUTS_TOO_LARGE, "its outputs could reach "
                + largest + " bytes, over the record limit of " + limit);
    }

    static List<RechargeOutputs> worstCaseOutputs(RechargeRequest request) {
        List<RechargeOutputs> outputs = new ArrayList<>();
        Optional<PaymentMethodRef> widest = request.getPaymentMethods().stream().max(Comparator.comparingInt(
                m -> m.getPaymentMethodId().length() + m.getBrand().length()));
        String methodId = widest.map(PaymentMethodRef::getPaymentMethodId).orElse("");
        String longText = "x".repeat(Attempt.MAX_GATEWAY_TEXT);
        List<Attempt> attempts = new ArrayList<>();
        for (int i = 0; i < RechargeOutputs.MAX_LISTED_ATTEMPTS; i++) {
            attempts.add(new Attempt(methodId, ChargeCommand.idempotencyKey(request.getRequestId(), methodId),
                    Attempt.Outcome.DECLINED_SOFT, longText + i, longText, longText, Long.MAX_VALUE));
        }
        long now = Long.MAX_VALUE;
        outputs.add(RechargeOutputs.of(request, new Step.Finish(Step.Status.DECLINED, null, null, attempts), now));
        widest.ifPresent(method -> outputs.add(RechargeOutputs.of(request, new Step.Finish(Step.Status.SUCCEEDED,
                method.getPaymentMethodId(), longText, attempts), now)));
        return outputs;
    }

    private static int largestRecord(RechargeOutputs outputs) {
        int largest = Topics.PAYMENT_RESULTS.valueSerde().serializer()
                .serialize(Topics.PAYMENT_RESULTS.name(), outputs.result()).length;
        if (outputs.receipt().isPresent()) {
            largest = Math.max(largest, Topics.RECEIPTS.valueSerde().serializer()
                    .serialize(Topics.RECEIPTS.name(), outputs.receipt().get()).length);
        }
        for (var notice : outputs.notifications()) {
            largest = Math.max(largest, Topics.BILLING_NOTIFICATIONS.valueSerde().serializer()
                    .serialize(Topics.BILLING_NOTIFICATIONS.name(), notice).length);
        }
        return largest;
    }

    /** The first refusal, in order; later checks may assume the earlier ones passed. */
    @SafeVarargs
    private static Optional<RequestRefusal> firstOf(Supplier<Optional<RequestRefusal>>... checks) {
        for (Supplier<Optional<RequestRefusal>> check : checks) {
            Optional<RequestRefusal> refusal = check.get();
            if (refusal.isPresent()) {
                return refusal;
            }
        }
        return Optional.empty();
    }

    private static Optional<RequestRefusal> refuse(Reason reason, String detail) {
        return Optional.of(new RequestRefusal(reason, detail));
    }

    private static String shorten(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }
}
