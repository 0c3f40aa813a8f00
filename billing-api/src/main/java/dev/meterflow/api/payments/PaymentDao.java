package dev.meterflow.api.payments;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.locator.UseClasspathSqlLocator;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** Reads of payments, receipts and payment commands; SQL in {@code PaymentDao/<method>.sql} beside this class. */
@UseClasspathSqlLocator
@RegisterConstructorMapper(PaymentDao.PaymentLine.class)
@RegisterConstructorMapper(PaymentDao.CommandLine.class)
public interface PaymentDao {

    /** A page, newest first, of the payments completed before ({@code beforeAt}, {@code beforeId}). */
    @SqlQuery
    List<PaymentLine> history(@Bind("accountId") String accountId, @Bind("beforeAt") Instant beforeAt,
                              @Bind("beforeId") String beforeId, @Bind("limit") int limit);

    @SqlQuery
    Optional<PaymentLine> findPayment(@Bind("accountId") String accountId, @Bind("requestId") String requestId);

    /** The account's payment commands that have no result: pending, or refused by the pipeline. */
    @SqlQuery
    List<CommandLine> commands(@Bind("accountId") String accountId, @Bind("limit") int limit);

    @SqlQuery
    Optional<CommandLine> findCommand(@Bind("commandId") String commandId);

    /** A payment with its receipt's card details when it has one. */
    record PaymentLine(String requestId, Instant completedAt, String accountId, String reason, String status,
                       long amountCents, String paymentMethodId, String gatewayChargeId, String declineCodes,
                       String receiptId, String brand, String last4, String currency, Instant chargedAt) {
    }

    /** A payment command without a result yet; {@code refusal} the pipeline's message when it refused it. */
    record CommandLine(String commandId, String accountId, long amountCents, String paymentMethodId,
                       Instant requestedAt, String requestedBy, String refusal) {
    }
}
