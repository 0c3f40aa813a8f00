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
import dev.meterflow.schemas.PaymentMethodRef;
import dev.meterflow.schemas.PaymentMethodRole;
import dev.meterflow.schemas.PaymentMethodType;
import dev.meterflow.topics.Topics;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
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
        long threshold = Money.centsToMicros(change.thresholdCents());
        long target = Money.centsToMicros(change.targetCents());
        long amount = Money.centsToMicros(change.amountCents());
        return save(user, accountId, "auto-recharge", settings -> {
            List<String> problems = SettingsRules.autoRecharge(change.mode(), threshold, target, amount);
            if (problems.isEmpty()) {
                problems = SettingsRules.usableMethod(change.enabled(), brands(settings.getPaymentMethods()));
            }
            if (problems.isEmpty()) {
                settings.setAutoRecharge(AutoRecharge.newBuilder().setEnabled(change.enabled())
                        .setMode(AutoRechargeMode.valueOf(change.mode())).setThresholdMicros(threshold)
                        .setTargetMicros(target).setAmountMicros(amount).build());
            }
            return problems;
        });
    }

    public WriteOutcome updateBillingEmails(Principal user, String accountId, List<String> emails) {
        return save(user, accountId, "billing-emails", settings -> {
            List<String> problems = SettingsRules.billingEmails(emails);
            if (problems.isEmpty()) {
                settings.setBillingEmails(List.copyOf(emails));
            }
            return problems;
        });
    }

    /** {@code null} removes the phone. */
    public WriteOutcome updateCriticalBillingPhone(Principal user, String accountId, String phone) {
        return save(user, accountId, "critical-billing-phone", settings -> {
            List<String> problems = SettingsRules.criticalBillingPhone(phone);
            if (problems.isEmpty()) {
                settings.setCriticalBillingPhone(phone);
            }
            return problems;
        });
    }

    /** Adds a gateway token with its display details; a PRIMARY or BACKUP role moves off the method that had it. */
    public WriteOutcome addPaymentMethod(Principal user, String accountId, NewPaymentMethod method) {
        return save(user, accountId, "payment-methods", settings -> {
            List<String> problems = SettingsRules.paymentMethod(method.paymentMethodId(), method.brand(),
                    method.last4());
            if (!problems.isEmpty()) {
                return problems;
            }
            PaymentMethodRole role = role(method.role());
            if (role == null) {
                return List.of("role must be PRIMARY, BACKUP or OTHER, was '" + method.role() + "'");
            }
            List<PaymentMethodRef> methods = new ArrayList<>();
            for (PaymentMethodRef existing : settings.getPaymentMethods()) {
                if (existing.getPaymentMethodId().equals(method.paymentMethodId())) {
                    continue;
                }
                methods.add(role != PaymentMethodRole.OTHER && existing.getRole() == role
                        ? PaymentMethodRef.newBuilder(existing).setRole(PaymentMethodRole.OTHER).build() : existing);
            }
            methods.add(PaymentMethodRef.newBuilder().setPaymentMethodId(method.paymentMethodId())
                    .setCustomerId(method.customerId() == null ? "" : method.customerId())
                    .setType("bank".equals(method.brand()) ? PaymentMethodType.ACH : PaymentMethodType.CARD)
                    .setBrand(method.brand().toLowerCase(Locale.ROOT)).setLast4(method.last4()).setRole(role).build());
            settings.setPaymentMethods(methods);
            return List.of();
        });
    }

    public WriteOutcome removePaymentMethod(Principal user, String accountId, String paymentMethodId) {
        return save(user, accountId, "payment-methods", settings -> {
            List<PaymentMethodRef> kept = settings.getPaymentMethods().stream()
                    .filter(method -> !method.getPaymentMethodId().equals(paymentMethodId)).toList();
            if (kept.size() == settings.getPaymentMethods().size()) {
                throw ApiException.notFound("unknown_payment_method", "Payment method '" + paymentMethodId
                        + "' is not one of this account's.");
            }
            List<String> problems = SettingsRules.usableMethod(settings.getAutoRecharge().getEnabled(), brands(kept));
            if (problems.isEmpty()) {
                settings.setPaymentMethods(kept);
            }
            return problems;
        });
    }

    /**
     * Applies {@code change} to the current settings (it lists problems instead of changing when the change is
     * refused), writes the whole record with a later update time and waits for the read model to show it.
     */
    private WriteOutcome save(Principal user, String accountId, String part,
                              Function<AccountSettings.Builder, List<String>> change) {
        AccountRow row = access.toChange(user, accountId);
        AccountSettings.Builder settings = CurrentSettings.of(row);
        List<String> problems = change.apply(settings);
        if (!problems.isEmpty()) {
            throw ApiException.badRequest("invalid_settings", String.join("; ", problems) + ".");
        }
        Instant updatedAt = CurrentSettings.nextUpdateTime(row, Instant.now(clock).truncatedTo(ChronoUnit.MILLIS));
        publisher.publish(Topics.ACCOUNT_SETTINGS, accountId, settings.setUpdatedAt(updatedAt).build(), user.actor());
        log.info("settings written account='{}' actor='{}' part='{}'", accountId, user.userId(), part);
        return WriteOutcome.of(watch.await(() -> seen(accountId, updatedAt)), "settings:" + accountId + ":"
                + updatedAt.toEpochMilli());
    }

    private static List<String> brands(List<PaymentMethodRef> methods) {
        return methods.stream().map(PaymentMethodRef::getBrand).toList();
    }

    private static PaymentMethodRole role(String role) {
        try {
            return role == null ? PaymentMethodRole.OTHER : PaymentMethodRole.valueOf(role);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private boolean seen(String accountId, Instant updatedAt) {
        return jdbi.withExtension(AccountDao.class, dao -> dao.findAccount(accountId))
                .map(row -> row.settingsUpdatedAt() != null && !row.settingsUpdatedAt().isBefore(updatedAt))
                .orElse(false);
    }

    /** A payment method to add: the gateway's token and what the page shows of it; never a card number. */
    public record NewPaymentMethod(String paymentMethodId, String customerId, String brand, String last4,
                                   String role) {
    }

    /** The auto-recharge part of the settings form; {@code targetCents} or {@code amountCents} per mode. */
    public record AutoRechargeChange(boolean enabled, String mode, long thresholdCents, long targetCents,
                                     long amountCents) {
    }
}
