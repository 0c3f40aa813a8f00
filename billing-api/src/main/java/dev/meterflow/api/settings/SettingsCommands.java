package dev.meterflow.api.settings;

import dev.meterflow.api.ApiException;
import dev.meterflow.api.access.Principal;
import dev.meterflow.api.accounts.AccountAccess;
import dev.meterflow.api.accounts.AccountDao;
import dev.meterflow.api.accounts.AccountDao.AccountRow;
import dev.meterflow.api.commands.Acceptance;
import dev.meterflow.api.commands.CommandPublisher;
import dev.meterflow.api.commands.PipelineProgress;
import dev.meterflow.api.commands.ReadModelWatch;
import dev.meterflow.api.commands.RefusalDao;
import dev.meterflow.api.commands.WriteOutcome;
import dev.meterflow.api.readmodel.Projection;
import dev.meterflow.api.settings.SubAccountSettings.Part;
import dev.meterflow.money.Money;
import dev.meterflow.schemas.AccountSettings;
import dev.meterflow.schemas.AutoRecharge;
import dev.meterflow.schemas.AutoRechargeMode;
import dev.meterflow.schemas.PaymentMethodRef;
import dev.meterflow.schemas.PaymentMethodRole;
import dev.meterflow.schemas.PaymentMethodType;
import dev.meterflow.schemas.ServiceAddress;
import dev.meterflow.settings.SettingsRefusal;
import dev.meterflow.settings.SettingsRules;
import dev.meterflow.topics.Topics;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settings changes: checked by the pipeline's own {@link SettingsRules}, so the API never writes settings the
 * pipeline would refuse, then written whole to {@code account-settings} and awaited in the read model.
 */
public final class SettingsCommands {

    private static final Logger log = LoggerFactory.getLogger(SettingsCommands.class);

    private final Jdbi jdbi;
    private final AccountAccess access;
    private final CommandPublisher publisher;
    private final ReadModelWatch watch;
    private final PipelineProgress progress;
    private final Clock clock;

    /** @param progress the pipeline's progress, or null to answer "applied" once the read model shows a write */
    public SettingsCommands(Jdbi jdbi, AccountAccess access, CommandPublisher publisher, ReadModelWatch watch,
                            PipelineProgress progress, Clock clock) {
        this.jdbi = jdbi;
        this.access = access;
        this.publisher = publisher;
        this.watch = watch;
        this.progress = progress;
        this.clock = clock;
    }

    /** Amounts in whole cents, as a person types them. */
    public WriteOutcome updateAutoRecharge(Principal user, String accountId, AutoRechargeChange change) {
        long threshold = Money.centsToMicros(change.thresholdCents());
        long target = Money.centsToMicros(change.targetCents());
        long amount = Money.centsToMicros(change.amountCents());
        return save(user, accountId, "auto-recharge", agencyDecides(Part.AUTO_RECHARGE, settings -> {
            AutoRechargeMode mode = mode(change.mode());
            if (mode == null) {
                return Optional.of("mode must be TOP_UP_TO_TARGET or FIXED_AMOUNT, was '" + change.mode() + "'.");
            }
            settings.setAutoRecharge(AutoRecharge.newBuilder().setEnabled(change.enabled()).setMode(mode)
                    .setThresholdMicros(threshold).setTargetMicros(target).setAmountMicros(amount).build());
            return Optional.empty();
        }));
    }

    public WriteOutcome updateBillingEmails(Principal user, String accountId, List<String> emails) {
        return save(user, accountId, "billing-emails", settings -> {
            settings.setBillingEmails(new ArrayList<>(emails));
            return Optional.empty();
        });
    }

    /** {@code null} removes the phone. */
    public WriteOutcome updateCriticalBillingPhone(Principal user, String accountId, String phone) {
        return save(user, accountId, "critical-billing-phone", settings -> {
            settings.setCriticalBillingPhone(phone);
            return Optional.empty();
        });
    }

    /** Adds a gateway token with its display details; a PRIMARY or BACKUP role moves off the method that had it. */
    public WriteOutcome addPaymentMethod(Principal user, String accountId, NewPaymentMethod method) {
        return save(user, accountId, "payment-methods", agencyDecides(Part.PAYMENT_METHODS, settings -> {
            PaymentMethodRole role = role(method.role());
            if (role == null) {
                return Optional.of("role must be PRIMARY, BACKUP or OTHER, was '" + method.role() + "'.");
            }
            String brand = method.brand() == null ? "" : method.brand().toLowerCase(Locale.ROOT);
            PaymentMethodRef added = PaymentMethodRef.newBuilder().setPaymentMethodId(method.paymentMethodId())
                    .setCustomerId(method.customerId() == null ? "" : method.customerId())
                    .setType("bank".equals(brand) ? PaymentMethodType.ACH : PaymentMethodType.CARD)
                    .setBrand(brand).setLast4(method.last4()).setRole(role).setExpMonth(method.expMonth())
                    .setExpYear(method.expYear()).build();
            Optional<SettingsRefusal> refusal = SettingsRules.newPaymentMethod(added);
            if (refusal.isPresent()) {
                return refusal.map(SettingsRefusal::message);
            }
            List<PaymentMethodRef> methods = new ArrayList<>();
            for (PaymentMethodRef existing : settings.getPaymentMethods()) {
                if (existing.getPaymentMethodId().equals(method.paymentMethodId())) {
                    continue;
                }
                methods.add(role != PaymentMethodRole.OTHER && existing.getRole() == role
                        ? PaymentMethodRef.newBuilder(existing).setRole(PaymentMethodRole.OTHER).build() : existing);
            }
            methods.add(added);
            settings.setPaymentMethods(methods);
            return Optional.empty();
        }));
    }

    /**
     * Makes a payment method PRIMARY or BACKUP (the method that had the role gives it up) or NONE (no role: charged
     * only when chosen for a payment).
     */
    public WriteOutcome setPaymentMethodRole(Principal user, String accountId, String paymentMethodId, String role) {
        return save(user, accountId, "payment-method-role", agencyDecides(Part.PAYMENT_METHODS, settings -> {
            PaymentMethodRole newRole = switch (String.valueOf(role)) {
                case "PRIMARY" -> PaymentMethodRole.PRIMARY;
                case "BACKUP" -> PaymentMethodRole.BACKUP;
                case "NONE" -> PaymentMethodRole.OTHER;
                default -> null;
            };
            if (newRole == null) {
                return Optional.of("role must be PRIMARY, BACKUP or NONE, was '" + role + "'.");
            }
            if (settings.getPaymentMethods().stream().noneMatch(m -> m.getPaymentMethodId().equals(paymentMethodId))) {
                throw ApiException.notFound("unknown_payment_method", "Payment method '" + paymentMethodId
                        + "' is not one of this account's.");
            }
            settings.setPaymentMethods(PaymentMethodRoles.assign(settings.getPaymentMethods(), paymentMethodId,
                    newRole));
            return Optional.empty();
        }));
    }

    /** The address the service is used at: it decides the sales tax jurisdiction. */
    public WriteOutcome updateServiceAddress(Principal user, String accountId, ServiceAddressChange address) {
        return save(user, accountId, "service-address", settings -> {
            Optional<String> problem = address.problem();
            if (problem.isPresent()) {
                return problem;
            }
            settings.setServiceAddress(ServiceAddress.newBuilder().setLine1(address.line1().strip())
                    .setCity(address.city().strip()).setRegion(address.region().strip())
                    .setPostalCode(address.postalCode().strip()).setCountry(address.country().strip()).build());
            return Optional.empty();
        });
    }

    public WriteOutcome updateTaxExemption(Principal user, String accountId, boolean taxExempt) {
        return save(user, accountId, "tax-exemption", settings -> {
            settings.setTaxExempt(taxExempt);
            return Optional.empty();
        });
    }

    /** Whether the monthly plan fee is charged to the primary card instead of the prepaid balance. */
    public WriteOutcome updateDirectChargePlanFee(Principal user, String accountId, boolean directCharge) {
        return save(user, accountId, "plan-fee", agencyDecides(Part.PLAN_FEE, settings -> {
            settings.setDirectChargePlanFee(directCharge);
            return Optional.empty();
        }));
    }

    public WriteOutcome removePaymentMethod(Principal user, String accountId, String paymentMethodId) {
        return save(user, accountId, "payment-methods", agencyDecides(Part.PAYMENT_METHODS, settings -> {
            List<PaymentMethodRef> kept = settings.getPaymentMethods().stream()
                    .filter(method -> !method.getPaymentMethodId().equals(paymentMethodId)).toList();
            if (kept.size() == settings.getPaymentMethods().size()) {
                throw ApiException.notFound("unknown_payment_method", "Payment method '" + paymentMethodId
                        + "' is not one of this account's.");
            }
            settings.setPaymentMethods(new ArrayList<>(kept));
            return Optional.empty();
        }));
    }

    /** {@code change} to a part a sub-account's agency decides: refused (409) for a sub-account before it is made. */
    private static Function<AccountSettings.Builder, Optional<String>> agencyDecides(
            Part part, Function<AccountSettings.Builder, Optional<String>> change) {
        return settings -> {
            SubAccountSettings.requireOwn(part, settings.getAccountId(), settings.getParentAccountId());
            return change.apply(settings);
        };
    }

    /**
     * Applies {@code change} to the current settings (it returns the problem instead when the change cannot be
     * made), checks the whole result as the pipeline will, writes it with a later update time and waits for the
     * read model to show it.
     */
    private WriteOutcome save(Principal user, String accountId, String part,
                              Function<AccountSettings.Builder, Optional<String>> change) {
        AccountRow row = access.toChange(user, accountId);
        AccountSettings.Builder builder = CurrentSettings.of(row);
        Optional<String> problem = change.apply(builder);
        if (problem.isPresent()) {
            throw ApiException.badRequest("invalid_settings", problem.get());
        }
        Instant updatedAt = CurrentSettings.nextUpdateTime(row, Instant.now(clock).truncatedTo(ChronoUnit.MILLIS));
        AccountSettings settings = builder.setUpdatedAt(updatedAt).build();
        Optional<SettingsRefusal> refusal = SettingsRules.check(settings, SettingsRules.DEFAULT_MAX_RECHARGE_MICROS);
        if (refusal.isPresent()) {
            throw ApiException.badRequest("invalid_settings", refusal.get().message());
        }
        RecordMetadata written = publisher.publish(Topics.ACCOUNT_SETTINGS, accountId, settings, user.actor());
        log.info("settings written account='{}' actor='{}' part='{}'", accountId, user.userId(), part);
        // the read model shows settings as soon as they are on the topic; only the pipeline's progress tells
        // that they were not refused
        BooleanSupplier decided = progress == null ? () -> true
                : new Acceptance(progress, written, Topics.ACCOUNT_SETTINGS_REJECTED.name())::decided;
        return WriteOutcome.of(watch.await(() -> decided.getAsBoolean() && seen(accountId, updatedAt),
                () -> refusal(accountId, updatedAt)), "settings:" + accountId + ":" + updatedAt.toEpochMilli());
    }

    private static AutoRechargeMode mode(String mode) {
        try {
            return mode == null ? null : AutoRechargeMode.valueOf(mode);
        } catch (IllegalArgumentException e) {
            return null;
        }
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

    private Optional<String> refusal(String accountId, Instant updatedAt) {
        return jdbi.withExtension(RefusalDao.class, dao -> dao.refusalMessage(Projection.SETTINGS_REFUSAL, accountId,
                updatedAt));
    }

    /**
     * A payment method to add: the gateway's token and what the page shows of it; never a card number. A card's
     * {@code expMonth} (1 to 12) and {@code expYear} (four digits) are optional, both or neither.
     */
    public record NewPaymentMethod(String paymentMethodId, String customerId, String brand, String last4,
                                   String role, Integer expMonth, Integer expYear) {
    }

    /** A service address as the form sends it; {@code country} is ISO 3166 alpha-2 ("US"). */
    public record ServiceAddressChange(String line1, String city, String region, String postalCode, String country) {

        Optional<String> problem() {
            for (String[] field : new String[][] {{"line1", line1}, {"city", city}, {"region", region},
                    {"postalCode", postalCode}, {"country", country}}) {
                if (field[1] == null || field[1].isBlank()) {
                    return Optional.of("the service address needs " + field[0] + ".");
                }
                if (field[1].length() > 200) {
                    return Optional.of(field[0] + " is longer than 200 characters.");
                }
            }
            if (!country.strip().matches("[A-Z]{2}")) {
                return Optional.of("country must be a two-letter ISO code such as US, was '" + country + "'.");
            }
            return Optional.empty();
        }
    }

    /** The auto-recharge part of the settings form; {@code targetCents} or {@code amountCents} per mode. */
    public record AutoRechargeChange(boolean enabled, String mode, long thresholdCents, long targetCents,
                                     long amountCents) {
    }
}
