package dev.meterflow.api.settings;

import dev.meterflow.api.ApiException;
import dev.meterflow.api.access.Principal;
import dev.meterflow.api.accounts.AccountAccess;
import dev.meterflow.api.accounts.AccountDao;
import dev.meterflow.api.accounts.AccountDao.AccountRow;
import dev.meterflow.api.commands.CommandPublisher;
import dev.meterflow.api.commands.ReadModelWatch;
import dev.meterflow.api.commands.WriteOutcome;
import dev.meterflow.money.Money;
import dev.meterflow.schemas.AccountSettings;
import dev.meterflow.schemas.AutoRecharge;
import dev.meterflow.schemas.AutoRechargeMode;
import dev.meterflow.topics.Topics;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Settings changes: validated, written whole to {@code account-settings}, then awaited in the read model. */
public final class SettingsCommands {

    private static final Logger log = LoggerFactory.getLogger(SettingsCommands.class);

    private final Jdbi jdbi;
    private final AccountAccess access;
    private final CommandPublisher publisher;
    private final ReadModelWatch watch;
    private final Clock clock;

    public SettingsCommands(Jdbi jdbi, AccountAccess access, CommandPublisher publisher, ReadModelWatch watch,
                            Clock clock) {
        this.jdbi = jdbi;
        this.access = access;
        this.publisher = publisher;
        this.watch = watch;
        this.clock = clock;
    }

    /** Amounts in whole cents, as a person types them. */
    public WriteOutcome updateAutoRecharge(Principal user, String accountId, AutoRechargeChange change) {
        AccountRow row = access.toChange(user, accountId);
        long threshold = Money.centsToMicros(change.thresholdCents());
        long target = Money.centsToMicros(change.targetCents());
        long amount = Money.centsToMicros(change.amountCents());
        List<String> problems = SettingsRules.autoRecharge(change.mode(), threshold, target, amount);
        AccountSettings.Builder settings = CurrentSettings.of(row);
        if (problems.isEmpty()) {
            problems = SettingsRules.usableMethod(change.enabled(),
                    settings.getPaymentMethods().stream().map(method -> method.getBrand()).toList());
        }
        if (!problems.isEmpty()) {
            throw ApiException.badRequest("invalid_settings", String.join("; ", problems) + ".");
        }
        Instant updatedAt = CurrentSettings.nextUpdateTime(row, Instant.now(clock).truncatedTo(ChronoUnit.MILLIS));
        AccountSettings updated = settings.setAutoRecharge(AutoRecharge.newBuilder().setEnabled(change.enabled())
                        .setMode(AutoRechargeMode.valueOf(change.mode())).setThresholdMicros(threshold)
                        .setTargetMicros(target).setAmountMicros(amount).build())
                .setUpdatedAt(updatedAt).build();
        publisher.publish(Topics.ACCOUNT_SETTINGS, accountId, updated, user.actor());
        log.info("settings written account='{}' actor='{}' part='auto-recharge'", accountId, user.userId());
        return WriteOutcome.of(watch.await(() -> seen(accountId, updatedAt)), "settings:" + accountId + ":"
                + updatedAt.toEpochMilli());
    }

    private boolean seen(String accountId, Instant updatedAt) {
        return jdbi.withExtension(AccountDao.class, dao -> dao.findAccount(accountId))
                .map(row -> row.settingsUpdatedAt() != null && !row.settingsUpdatedAt().isBefore(updatedAt))
                .orElse(false);
    }

    /** The auto-recharge part of the settings form; {@code targetCents} or {@code amountCents} per mode. */
    public record AutoRechargeChange(boolean enabled, String mode, long thresholdCents, long targetCents,
                                     long amountCents) {
    }
}
