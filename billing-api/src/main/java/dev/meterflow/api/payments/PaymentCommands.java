package dev.meterflow.api.payments;

import dev.meterflow.api.ApiException;
import dev.meterflow.api.access.Principal;
import dev.meterflow.api.accounts.AccountAccess;
import dev.meterflow.api.accounts.AccountDao.AccountRow;
import dev.meterflow.api.commands.CommandPublisher;
import dev.meterflow.api.commands.ReadModelWatch;
import dev.meterflow.api.commands.RefusalDao;
import dev.meterflow.api.commands.WriteOutcome;
import dev.meterflow.api.readmodel.Projection;
import dev.meterflow.money.Money;
import dev.meterflow.payments.SubAccountPayments;
import dev.meterflow.schemas.PaymentCommand;
import dev.meterflow.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Make a Payment: a {@code PaymentCommand} on {@code payment-commands}, its id derived from the account and the
 * client's idempotency key, so a retried request is the same command (the pipeline dedups by command id).
 */
public final class PaymentCommands {

    private static final Logger log = LoggerFactory.getLogger(PaymentCommands.class);

    private final Jdbi jdbi;
    private final AccountAccess access;
    private final CommandPublisher publisher;
    private final ReadModelWatch watch;
    private final Clock clock;

    public PaymentCommands(Jdbi jdbi, AccountAccess access, CommandPublisher publisher, ReadModelWatch watch,
                           Clock clock) {
        this.jdbi = jdbi;
        this.access = access;
        this.publisher = publisher;
        this.watch = watch;
        this.clock = clock;
    }

    public WriteOutcome pay(Principal user, String accountId, long amountCents, String paymentMethodId,
                            String idempotencyKey) {
        AccountRow account = access.toChange(user, accountId);
        if (idempotencyKey == null || idempotencyKey.isBlank() || idempotencyKey.length() > 200) {
            throw ApiException.badRequest("idempotency_key_required", "Send an Idempotency-Key header (a value of"
                    + " your own, at most 200 characters, the same on a retry) so a retried payment is made once.");
        }
        PaymentAmount.problem(amountCents).ifPresent(problem -> {
            throw ApiException.badRequest("invalid_amount", problem);
        });
        // the pipeline would refuse it with the same words; saying so now spares a command that cannot pass
        SubAccountPayments.refusal(account.parentAccountId()).ifPresent(refusal -> {
            throw new ApiException(409, SubAccountPayments.REASON.toLowerCase(Locale.ROOT), refusal);
        });
        if (paymentMethodId != null && (account.paymentMethods() == null
                || !account.paymentMethods().contains("\"" + paymentMethodId + "\""))) {
            throw ApiException.badRequest("unknown_payment_method", "Payment method '" + paymentMethodId
                    + "' is not one of this account's; pick one from the summary or leave it out for the primary.");
        }
        String commandId = commandId(accountId, idempotencyKey);
        PaymentCommand command = PaymentCommand.newBuilder().setCommandId(commandId).setAccountId(accountId)
                .setAmountCents(amountCents).setPaymentMethodId(paymentMethodId)
                .setRequestedAt(Instant.now(clock).truncatedTo(ChronoUnit.MILLIS)).build();
        publisher.publish(Topics.PAYMENT_COMMANDS, accountId, command, user.actor());
        log.info("payment command written account='{}' commandId='{}' amountCents={} actor='{}'", accountId,
                commandId, amountCents, user.userId());
        Instant requestedAt = command.getRequestedAt();
        String requestId = PaymentRequestIds.of(accountId, commandId);
        boolean done = watch.await(() -> outcome(accountId, requestId).isPresent(), () -> jdbi.withExtension(
                RefusalDao.class, dao -> dao.refusalMessage(Projection.PAYMENT_REFUSAL, commandId, requestedAt)));
        return done ? WriteOutcome.applied(outcome(accountId, requestId).map(PaymentCommands::described)
                .orElseThrow(), commandId) : WriteOutcome.of(false, commandId);
    }

    /** The command's charge or decline, once its result is in the read model. */
    private Optional<PaymentDao.PaymentLine> outcome(String accountId, String requestId) {
        return jdbi.withExtension(PaymentDao.class, dao -> dao.findPayment(accountId, requestId));
    }

    private static String described(PaymentDao.PaymentLine payment) {
        String amount = Money.formatCents(payment.amountCents());
        return "SUCCEEDED".equals(payment.status()) ? "Paid " + amount + "."
                : "Not charged: " + PaymentQueries.PaymentItem.of(payment).failureReason();
    }

    /** 128 bits of SHA-256: two keys of one account never share a command by accident. */
    static String commandId(String accountId, String idempotencyKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((accountId + "\u001f" + idempotencyKey)
                    .getBytes(StandardCharsets.UTF_8));
            return "pay-" + accountId + "-" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
