package dev.meterflow.api.payments;

import dev.meterflow.api.ApiException;
import dev.meterflow.api.Cursor;
import dev.meterflow.api.access.Principal;
import dev.meterflow.api.accounts.AccountAccess;
import dev.meterflow.api.accounts.AccountDao.AccountRow;
import dev.meterflow.api.payments.PaymentDao.CommandLine;
import dev.meterflow.api.payments.PaymentDao.PaymentLine;
import dev.meterflow.money.Money;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** Payment history, pages by cursor, and single payments for their receipts. */
public final class PaymentQueries {

    public static final int MAX_PAGE = 100;

    private final Jdbi jdbi;
    private final AccountAccess access;

    public PaymentQueries(Jdbi jdbi, AccountAccess access) {
        this.jdbi = jdbi;
        this.access = access;
    }

    public PaymentPage history(Principal user, String accountId, String cursorText, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw ApiException.badRequest("bad_limit", "limit must be between 1 and " + MAX_PAGE + ", was " + limit);
        }
        access.toRead(user, accountId);
        Cursor cursor = Cursor.decode(cursorText);
        List<PaymentLine> lines = jdbi.withExtension(PaymentDao.class,
                dao -> dao.history(accountId, cursor.at(), cursor.id(), limit + 1));
        boolean more = lines.size() > limit;
        List<PaymentItem> items = lines.stream().limit(limit).map(PaymentItem::of).toList();
        String next = more ? new Cursor(items.get(limit - 1).completedAt(), items.get(limit - 1).requestId())
                .encode() : null;
        List<CommandLine> commands = cursor.equals(Cursor.START)
                ? jdbi.withExtension(PaymentDao.class, dao -> dao.commands(accountId, MAX_PAGE)) : List.of();
        return new PaymentPage(items, next, commands.stream().map(PendingPayment::of).toList());
    }

    /** The payment and its account, for a printable receipt; only a charge that succeeded has one. */
    public ReceiptView receipt(Principal user, String accountId, String requestId) {
        AccountRow account = access.toRead(user, accountId);
        PaymentLine line = jdbi.withExtension(PaymentDao.class, dao -> dao.findPayment(accountId, requestId))
                .orElseThrow(() -> ApiException.notFound("unknown_payment", "No payment '" + requestId
                        + "' on account '" + accountId + "'."));
        if (line.receiptId() == null) {
            throw ApiException.notFound("no_receipt", "Payment '" + requestId + "' has no receipt: "
                    + ("SUCCEEDED".equals(line.status()) ? "it is still being issued, try again in a minute."
                    : "the charge was not made."));
        }
        return new ReceiptView(line, account);
    }

    /**
     * The result of the account's payment command {@code commandId} once the read model has it: the pipeline
     * charges it under the request id {@link PaymentRequestIds#of} derives.
     */
    public java.util.Optional<PaymentItem> outcome(Principal user, String accountId, String commandId) {
        access.toRead(user, accountId);
        String requestId = PaymentRequestIds.of(accountId, commandId);
        return jdbi.withExtension(PaymentDao.class, dao -> dao.findPayment(accountId, requestId))
                .map(PaymentItem::of);
    }

    public record PaymentPage(List<PaymentItem> payments, String nextCursor, List<PendingPayment> requested) {
    }

    /**
     * One charge, decline or failure; {@code failureReason} in words for one that did not succeed;
     * {@code description} what it was for, the method that paid and what it did to the balance
     * ({@link PaymentDescription}).
     */
    public record PaymentItem(String requestId, Instant completedAt, String reason, String status, long amountCents,
                              String amount, String brand, String last4, String gatewayChargeId,
                              String failureReason, boolean hasReceipt, String paymentMethodId,
                              String description) {
        static PaymentItem of(PaymentLine line) {
            List<String> codes = line.declineCodes().isEmpty() ? List.of()
                    : Arrays.asList(line.declineCodes().split(", "));
            return new PaymentItem(line.requestId(), line.completedAt(), line.reason(), line.status(),
                    line.amountCents(), Money.formatCents(line.amountCents()), line.brand(), line.last4(),
                    line.gatewayChargeId(), "SUCCEEDED".equals(line.status()) ? null
                    : DeclineReasons.describe(line.status(), codes), line.receiptId() != null,
                    line.paymentMethodId(), PaymentDescription.of(line.reason(), line.status(), line.amountCents(),
                    line.brand(), line.last4(), line.paymentMethodId()));
        }
    }

    /**
     * A one-time payment asked for through the API that has no result yet: PENDING until the charge is made
     * (then it is in the history), or REFUSED by the pipeline with its message (nothing was charged).
     */
    public record PendingPayment(String commandId, Instant requestedAt, long amountCents, String amount,
                                 String paymentMethodId, String requestedBy, String status, String refusal) {
        static PendingPayment of(CommandLine line) {
            return new PendingPayment(line.commandId(), line.requestedAt(), line.amountCents(),
                    Money.formatCents(line.amountCents()), line.paymentMethodId(), line.requestedBy(),
                    line.refusal() == null ? "PENDING" : "REFUSED", line.refusal());
        }
    }

    public record ReceiptView(PaymentLine payment, AccountRow account) {
    }
}
