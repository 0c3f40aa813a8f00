package dev.meterflow.api.accounts;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.locator.UseClasspathSqlLocator;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** Reads of the {@code accounts} table; SQL in {@code AccountDao/<method>.sql} beside this class. */
@UseClasspathSqlLocator
@RegisterConstructorMapper(AccountDao.AccountRow.class)
public interface AccountDao {

    @SqlQuery
    Optional<AccountRow> findAccount(@Bind("accountId") String accountId);

    /** The accounts whose parent (agency) is {@code accountId}. */
    @SqlQuery
    java.util.List<AccountRow> subAccounts(@Bind("accountId") String accountId);

    /** One account as the read model holds it; settings columns are null until its settings are seen. */
    record AccountRow(String accountId, String ratePlanId, String parentAccountId, Boolean autoRechargeEnabled,
                      String rechargeMode,
                      Long thresholdMicros, Long targetMicros, Long amountMicros, String paymentMethods,
                      String billingEmails, String criticalBillingPhone, Boolean directChargePlanFee,
                      String serviceAddress, Boolean taxExempt, Instant settingsUpdatedAt, Long balanceMicros,
                      String status, String pendingRechargeId, Instant balanceUpdatedAt, String statusReason,
                      Instant statusChangedAt) {
    }
}
