package dev.meterflow.local.faults;

import dev.meterflow.money.Money;
import dev.meterflow.schemas.AccountSettings;
import dev.meterflow.schemas.AutoRecharge;
import dev.meterflow.schemas.AutoRechargeMode;
import dev.meterflow.schemas.PaymentCommand;
import dev.meterflow.schemas.PaymentMethodRef;
import dev.meterflow.schemas.PaymentMethodRole;
import dev.meterflow.schemas.PaymentMethodType;
import dev.meterflow.schemas.Price;
import dev.meterflow.schemas.PriceCategory;
import dev.meterflow.schemas.RateCard;
import dev.meterflow.schemas.ServiceAddress;
import dev.meterflow.schemas.UsageEvent;
import dev.meterflow.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * What the fault suite sends, and what must come out of it, computed from the input alone (the way Kafka's
 * own exactly-once system test recomputes per-key results from its input): accounts of every kind of payer,
 * usage with re-deliveries at other offsets, late and reordered events, usage that cannot be priced, and
 * poison records. Deterministic for a seed.
 */
final class Workload {

    static final String RATE_PLAN = "faults-2026";
    static final long THRESHOLD_MICROS = Money.dollarsToMicros(5);
    static final long TARGET_MICROS = Money.dollarsToMicros(12);
    static final long FIXED_AMOUNT_MICROS = Money.dollarsToMicros(8);
    /** Not on the rate card: such usage is parked on usage-unpriced, never debited. */
    static final String UNKNOWN_SKU = "fax.pages.outbound";
    /** The plan fee: sent once a cycle to the opted-in accounts only, never drawn as random usage. */
    static final String PLAN_FEE_SKU = "plan.fee.monthly";

    /** 7.25 %: the sales tax where the {@link Payer#GOOD} accounts are served (and the exempt {@link Payer#FIXED}). */
    static final long CALIFORNIA_PPM = 72_500;
    /**
     * 8.875 %: the sales tax where the {@link Payer#PLAN_FEE_BANK} accounts are served (not Texas, whose key the bad
     * records use).
     */
    static final long NEW_YORK_PPM = 88_750;
    /** Taxable usage of each taxed or exempt account in the month before the run, and the bank payers' plan fee. */
    static final int TAX_MONTH_EVENTS = 3;

    /** A SKU's price as the rate card states it, restated here so expectations do not come from the code. */
    record UnitPrice(long unitPriceMicros, long unitSize, PriceCategory category) {
        long of(long quantity) {
            return (quantity + unitSize - 1) / unitSize * unitPriceMicros;
        }
    }

    static final Map<String, UnitPrice> PRICES = prices();

    /** How an account pays: what its cards do at the gateway simulator. */
    enum Payer {
        /** Primary card works; the backup must never be charged. */
        GOOD,
        /** Fixed-amount recharges; primary works. */
        FIXED,
        /** Primary soft-declines (insufficient funds) every time, backup works: soft-decline retry limits. */
        SOFT_PRIMARY,
        /** Primary hard-declines (stolen card), backup works: the primary is never tried again. */
        HARD_PRIMARY,
        /** The gateway charges the primary, then does not answer in time: one charge, backup untouched. */
        SLOW_PRIMARY,
        /** Both cards decline: one decline, one pause; a new card at the end: one resume. */
        BOTH_DECLINE,
        /** No automatic recharge: paused once, never resumed. */
        NO_AUTO,
        /**
         * Makes one-time payments now and then (issue 10 §1): with no method chosen (the primary), to the backup
         * chosen, to a stolen card chosen (declined, then passed over as hard-declined).
         */
        PAYS_BY_CARD,
        /**
         * Makes one-time payments from a bank account (ACH, issue 10 §2) that settles after a delay longer than the
         * worker's kill interval; the run's first such payment goes to a bank account that is returned R01.
         */
        PAYS_BY_BANK,
        /** Opted in to the direct charge of the plan fee (issue 10 §3); the primary card pays it. */
        PLAN_FEE_CARD,
        /**
         * Opted in to the direct charge of the plan fee, every card declines and no automatic recharge: each fee is
         * debited from the balance instead; paused once, never resumed.
         */
        PLAN_FEE_DECLINED,
        /**
         * Opted in to the direct charge of the plan fee, paid from its primary, a bank account (ACH) that settles
         * after a delay; its automatic recharges charge its backup card, a bank account never being offered to them.
         * Taxed (issue 10 §4), its fee too.
         */
        PLAN_FEE_BANK,
        /**
         * An agency (issue 10 §5) with two or three sub-accounts billed to it, whose cards both decline: paused
         * with its sub-accounts, and with them resumed by a new card at the end.
         */
        AGENCY,
        /** A sub-account of an agency: priced on its own, debited from the agency, paused and resumed with it. */
        SUB_ACCOUNT;

        /** The payers of the accounts the workload deals round; sub-accounts come with their agency. */
        static List<Payer> dealt() {
            return Arrays.stream(values()).filter(payer -> payer != SUB_ACCOUNT).toList();
        }
    }

    /**
     * An account of the workload and the cards it has.
     *
     * @param parent the agency of a sub-account, else {@code null}
     */
    record Account(String id, Payer payer, String primary, String backup, String parent) {
        boolean autoRecharge() {
            return payer != Payer.NO_AUTO && payer != Payer.PLAN_FEE_DECLINED && payer != Payer.SUB_ACCOUNT;
        }

        /** Whether every card of the account declines until it gets a new one at the end of the run. */
        boolean cardsDecline() {
            return payer == Payer.BOTH_DECLINE || payer == Payer.AGENCY;
        }

        /** A stolen card a payer of {@link Payer#PAYS_BY_CARD} chooses for some payments. */
        String stolenCard() {
            return "pm_card_chargeDeclinedStolenCard__" + id + "-chosen";
        }

        /** The bank account (ACH) that settles. */
        String bank() {
            return "pm_usBankAccount_success__" + id;
        }

        /** The bank account (ACH) that is returned R01, insufficient funds. */
        String returnedBank() {
            return "pm_usBankAccount_insufficientFunds__" + id;
        }

        /** The jurisdiction of its service address (issue 10 §4), or {@code null} when it has none. */
        String jurisdiction() {
            return switch (payer) {
                case GOOD, FIXED -> "US-CA";
                case PLAN_FEE_BANK -> "US-NY";
                default -> null;
            };
        }

        /** Exempt from sales tax: every account but the taxed ones, the {@link Payer#FIXED} ones with an address. */
        boolean taxExempt() {
            return payer != Payer.GOOD && payer != Payer.PLAN_FEE_BANK;
        }

        /** The card added at the end of the run to an account whose cards all declined. */
        String replacementCard() {
            return "pm_card_visa__" + id + "-new";
        }
    }

    /** One record to send: a usage event on {@code usage-events}, or any record on any topic either app reads. */
    record Send(String topic, String key, byte[] value, String eventId, Kind kind, Instant timestamp) {

        /** Stamped by the producer when it is sent. */
        Send(String topic, String key, byte[] value, String eventId, Kind kind) {
            this(topic, key, value, eventId, kind, null);
        }

        Send(String key, byte[] value, String eventId, Kind kind) {
            this(Topics.USAGE_EVENTS.name(), key, value, eventId, kind);
        }
    }

    /**
     * What a sent record must become: usage debited once (its re-deliveries dropped as duplicates) or parked;
     * poison dead-lettered by the app that reads its topic; a valid record refused with a reason; settings or a
     * rate card applied.
     */
    enum Kind { DEBIT, REDELIVERY, UNPRICED, POISON, REFUSED, APPLIED }

    private final Random random;
    /** Draws of {@link #extraUsage()}, apart from the cycles', which stay the seed's however much extra was sent. */
    private final Random extraRandom;
    private final List<Account> accounts;
    private final Instant base;
    private final BadRecords badRecords;
    private final String nearLimitTopic;
    private final List<UsageEvent> debitable = new ArrayList<>();
    private final List<UsageEvent> taxMonthEvents = new ArrayList<>();
    private int sequence;
    private int extraSequence;
    private int cycles;

    Workload(int accountCount, long seed, Instant base) {
        this.random = new Random(seed);
        this.extraRandom = new Random(~seed);
        this.base = base;
        this.accounts = accounts(accountCount);
        this.badRecords = new BadRecords(random, base);
        this.nearLimitTopic = BadRecords.nearLimitTopic(seed);
    }

    /** The topic that gets the run's one record just under 1 MB. */
    String nearLimitTopic() {
        return nearLimitTopic;
    }

    List<Account> accounts() {
        return accounts;
    }

    /** The account whose balance pays for {@code accountId}'s usage: its agency for a sub-account, else itself. */
    String payerOf(String accountId) {
        return accounts.stream().filter(account -> account.id().equals(accountId)).findFirst()
                .map(account -> account.parent() == null ? account.id() : account.parent()).orElse(accountId);
    }

    /** Every sub-account and its agency. */
    Map<String, String> subAccounts() {
        Map<String, String> subs = new TreeMap<>();
        accounts.stream().filter(account -> account.parent() != null)
                .forEach(account -> subs.put(account.id(), account.parent()));
        return subs;
    }

    /** Whether the event is a plan fee (its sku's category on the rate card). */
    static boolean planFee(UsageEvent event) {
        UnitPrice price = PRICES.get(event.getSku());
        return price != null && price.category() == PriceCategory.PLAN_FEE;
    }

    /** The sales tax rates of the jurisdictions the accounts are served in, as {@code tax-rates} states them. */
    static Map<String, Long> taxRates() {
        return Map.of("US-CA", CALIFORNIA_PPM, "US-NY", NEW_YORK_PPM);
    }

    /** The rate of each taxed account's jurisdiction: accounts with a service address that are not exempt. */
    Map<String, Long> taxedRates() {
        Map<String, Long> rates = new TreeMap<>();
        accounts.stream().filter(account -> account.jurisdiction() != null && !account.taxExempt())
                .forEach(account -> rates.put(account.id(), taxRates().get(account.jurisdiction())));
        return rates;
    }

    /** When the run began: its usage is stamped up to six hours before. */
    Instant runStart() {
        return base;
    }

    /** The month before the run's: its tax run begins when the first record stamped in the run's month arrives. */
    YearMonth taxMonth() {
        return YearMonth.from(base.atZone(ZoneOffset.UTC)).minusMonths(1);
    }

    /** The usage events of {@link #taxMonth()}, as {@link #taxMonthUsage()} made them. */
    List<UsageEvent> taxMonthEvents() {
        return List.copyOf(taxMonthEvents);
    }

    /**
     * What the run sends before anything else (issue 10 §4), stamped in {@link #taxMonth()}: the settings of every
     * account with a service address. The suite waits until they are applied, then sends {@link #taxMonthUsage()}.
     */
    List<Send> taxMonthSettings() {
        Instant monthsLastDay = monthsLastDay();
        List<Send> sends = new ArrayList<>();
        for (Account account : served()) {
            AccountSettings settings = settings(account, monthsLastDay);
            sends.add(new Send(Topics.ACCOUNT_SETTINGS.name(), account.id(), Topics.ACCOUNT_SETTINGS.valueSerde()
                    .serializer().serialize(Topics.ACCOUNT_SETTINGS.name(), settings), "settings-" + account.id()
                    + "-tax-month", Kind.APPLIED, monthsLastDay));
        }
        return sends;
    }

    /**
     * Usage stamped in {@link #taxMonth()}: a few events of taxable usage of every account with a service address,
     * and the plan fee of each {@link Payer#PLAN_FEE_BANK} account, whose bank debit settles after that month's tax
     * run has begun. Everything sent after it is stamped in the run's own month, so a task's first such record
     * begins the run of the month before, by stream time.
     */
    List<Send> taxMonthUsage() {
        Instant monthsLastDay = monthsLastDay();
        List<Send> sends = new ArrayList<>();
        for (Account account : served()) {
            for (int n = 0; n < TAX_MONTH_EVENTS; n++) {
                sends.add(taxMonthUsage(usage(account), monthsLastDay.plus(Duration.ofHours(12).plusMinutes(n))));
            }
            if (account.payer() == Payer.PLAN_FEE_BANK) {
                sends.add(taxMonthUsage(planFee(account), monthsLastDay.plus(Duration.ofHours(13))));
            }
        }
        return sends;
    }

    private Instant monthsLastDay() {
        return taxMonth().atEndOfMonth().atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private List<Account> served() {
        return accounts.stream().filter(account -> account.jurisdiction() != null).toList();
    }

    private Send taxMonthUsage(UsageEvent event, Instant occurredAt) {
        UsageEvent stamped = UsageEvent.newBuilder(event).setOccurredAt(occurredAt).build();
        debitable.add(stamped);
        taxMonthEvents.add(stamped);
        return new Send(Topics.USAGE_EVENTS.name(), stamped.getAccountId(), encode(stamped), stamped.getEventId(),
                Kind.DEBIT, occurredAt);
    }

    /** The slow card tokens: the simulator charges them, then holds the answer past the worker's timeout. */
    List<String> slowCards() {
        return accounts.stream().filter(a -> a.payer() == Payer.SLOW_PRIMARY).map(Account::primary).toList();
    }

    static RateCard rateCard(Instant now) {
        Map<String, Price> prices = new LinkedHashMap<>();
        PRICES.forEach((sku, price) -> prices.put(sku, Price.newBuilder().setUnitPriceMicros(price.unitPriceMicros())
                .setUnitSize(price.unitSize()).setCategory(price.category()).setTaxable(true).build()));
        return RateCard.newBuilder().setRatePlanId(RATE_PLAN).setCurrency("USD").setPrices(prices).setUpdatedAt(now)
                .build();
    }

    AccountSettings settings(Account account, Instant now) {
        List<PaymentMethodRef> methods = new ArrayList<>();
        if (account.payer() == Payer.PLAN_FEE_BANK) {
            methods.add(bank(account.primary(), account, PaymentMethodRole.PRIMARY));
            methods.add(card(account.backup(), account, PaymentMethodRole.BACKUP));
        } else if (account.primary() != null) {
            methods.add(card(account.primary(), account, PaymentMethodRole.PRIMARY));
            methods.add(card(account.backup(), account, PaymentMethodRole.BACKUP));
        }
        if (account.payer() == Payer.PAYS_BY_CARD) {
            methods.add(card(account.stolenCard(), account, PaymentMethodRole.OTHER));
        }
        if (account.payer() == Payer.PAYS_BY_BANK) {
            methods.add(bank(account.bank(), account, PaymentMethodRole.OTHER));
            methods.add(bank(account.returnedBank(), account, PaymentMethodRole.OTHER));
        }
        return settings(account, methods, now);
    }

    /** The account after its admin added a working card as the new primary. */
    AccountSettings settingsWithReplacementCard(Account account, Instant now) {
        return settings(account, List.of(card(account.replacementCard(), account, PaymentMethodRole.PRIMARY)), now);
    }

    private static AccountSettings settings(Account account, List<PaymentMethodRef> cards, Instant now) {
        return AccountSettings.newBuilder()
                .setAccountId(account.id())
                .setRatePlanId(RATE_PLAN)
                .setParentAccountId(account.parent())
                .setAutoRecharge(AutoRecharge.newBuilder()
                        .setEnabled(account.autoRecharge())
                        .setMode(account.payer() == Payer.FIXED ? AutoRechargeMode.FIXED_AMOUNT
                                : AutoRechargeMode.TOP_UP_TO_TARGET)
                        .setThresholdMicros(THRESHOLD_MICROS)
                        .setTargetMicros(TARGET_MICROS)
                        .setAmountMicros(FIXED_AMOUNT_MICROS)
                        .build())
                .setPaymentMethods(cards)
                .setBillingEmails(List.of("billing@" + account.id() + ".example"))
                .setCriticalBillingPhone(null)
                .setDirectChargePlanFee(account.payer() == Payer.PLAN_FEE_CARD
                        || account.payer() == Payer.PLAN_FEE_DECLINED || account.payer() == Payer.PLAN_FEE_BANK)
                .setServiceAddress(serviceAddress(account.jurisdiction()))
                .setTaxExempt(account.taxExempt())
                .setUpdatedAt(now)
                .build();
    }

    /**
     * One cycle's records, in the order to send them: fresh usage (a few events late by hours), re-deliveries of
     * events sent in this or an earlier cycle, usage that cannot be priced, poison and refused records on every
     * topic either app reads, shuffled together.
     */
    List<Send> cycle(int events) {
        List<Send> sends = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            UsageEvent event = usage(accounts.get(random.nextInt(accounts.size())));
            debitable.add(event);
            sends.add(new Send(event.getAccountId(), encode(event), event.getEventId(), Kind.DEBIT));
        }
        int redeliveries = Math.max(1, events / 20);
        for (int i = 0; i < redeliveries; i++) {
            UsageEvent again = debitable.get(random.nextInt(debitable.size()));
            sends.add(new Send(again.getAccountId(), encode(again), again.getEventId(), Kind.REDELIVERY));
        }
        for (int i = 0; i < Math.max(1, events / 100); i++) {
            Account account = accounts.get(random.nextInt(accounts.size()));
            UsageEvent unpriced = UsageEvent.newBuilder(usage(account)).setSku(UNKNOWN_SKU).build();
            sends.add(new Send(account.id(), encode(unpriced), unpriced.getEventId(), Kind.UNPRICED));
        }
        sends.addAll(poison());
        List<Send> payments = payments(++cycles);
        sends.addAll(payments.stream().filter(send -> !bankPayment(send)).toList());
        sends.addAll(planFees());
        Collections.shuffle(sends, random);
        // bank payments first: parked by the time the cycle's worker kills come, settling after them
        sends.addAll(0, payments.stream().filter(Workload::bankPayment).toList());
        return sends;
    }

    private static boolean bankPayment(Send send) {
        if (!send.topic().equals(Topics.PAYMENT_COMMANDS.name())) {
            return false;
        }
        String method = Topics.PAYMENT_COMMANDS.valueSerde().deserializer().deserialize(send.topic(), send.value())
                .getPaymentMethodId();
        return method != null && method.startsWith("pm_usBankAccount_");
    }

    /**
     * A cycle's one-time payments (issue 10 §1, §2): two per card payer, in turn with no method chosen, the backup
     * chosen and a stolen card chosen; one per bank payer from its bank account, and in the first cycle one from the
     * first bank payer's account that is returned. The command id is derived from the account and the cycle.
     */
    private List<Send> payments(int cycle) {
        List<Send> sends = new ArrayList<>();
        boolean returnedSent = false;
        for (Account account : accounts) {
            if (account.payer() == Payer.PAYS_BY_CARD) {
                for (int n = 0; n < 2; n++) {
                    int turn = (2 * cycle + n) % 3;
                    String method = turn == 0 ? null : turn == 1 ? account.backup() : account.stolenCard();
                    sends.add(payment(account, cycle, n, 1_000 + 500L * turn, method));
                }
            }
            if (account.payer() == Payer.PAYS_BY_BANK) {
                sends.add(payment(account, cycle, 0, 2_500, account.bank()));
                if (cycle == 1 && !returnedSent) {
                    returnedSent = true;
                    sends.add(payment(account, cycle, 1, 3_000, account.returnedBank()));
                }
            }
        }
        return sends;
    }

    private Send payment(Account account, int cycle, int n, long cents, String paymentMethodId) {
        PaymentCommand command = PaymentCommand.newBuilder()
                .setCommandId(String.format("flt-pay-%s-c%d-%d", account.id(), cycle, n))
                .setAccountId(account.id()).setAmountCents(cents).setPaymentMethodId(paymentMethodId)
                .setRequestedAt(base).build();
        return new Send(Topics.PAYMENT_COMMANDS.name(), account.id(), Topics.PAYMENT_COMMANDS.valueSerde()
                .serializer().serialize(Topics.PAYMENT_COMMANDS.name(), command), command.getCommandId(),
                Kind.APPLIED);
    }

    /** One plan fee a cycle for every opted-in account (issue 10 §3): usage to debit, or to charge directly. */
    private List<Send> planFees() {
        List<Send> sends = new ArrayList<>();
        for (Account account : accounts) {
            if (account.payer() == Payer.PLAN_FEE_CARD || account.payer() == Payer.PLAN_FEE_DECLINED
                    || account.payer() == Payer.PLAN_FEE_BANK) {
                UsageEvent fee = planFee(account);
                debitable.add(fee);
                sends.add(new Send(account.id(), encode(fee), fee.getEventId(), Kind.DEBIT));
            }
        }
        return sends;
    }

    private UsageEvent planFee(Account account) {
        return UsageEvent.newBuilder(usage(account)).setSku(PLAN_FEE_SKU).setQuantity(1).build();
    }

    /**
     * One more event of fresh usage beyond the cycles', for a fault that needs the pipeline busy until it lands
     * ({@code KILL_METERING}). Never re-delivered: the cycles' re-deliveries draw from their own events only.
     */
    Send extraUsage() {
        Account account = accounts.get(extraRandom.nextInt(accounts.size()));
        UsageEvent event = usage(account, extraRandom, String.format("flt-extra-%07d", ++extraSequence));
        return new Send(event.getAccountId(), encode(event), event.getEventId(), Kind.DEBIT);
    }

    /** One cycle's bad records ({@link BadRecords}), under the key of an account picked at random. */
    private List<Send> poison() {
        Account account = accounts.get(random.nextInt(accounts.size()));
        return badRecords.cycle(account, encode(usage(account)), nearLimitTopic);
    }

    private UsageEvent usage(Account account) {
        return usage(account, random, String.format("flt-%07d", ++sequence));
    }

    private UsageEvent usage(Account account, Random draws, String eventId) {
        List<String> skus = PRICES.keySet().stream().filter(sku -> !sku.equals(PLAN_FEE_SKU)).toList();
        String sku = skus.get(draws.nextInt(skus.size()));
        long quantity = PRICES.get(sku).unitSize() == 1 ? 1 + draws.nextInt(3) : 1 + draws.nextInt(600);
        // most events happened within the last minutes; one in twenty is late by up to six hours
        Duration age = draws.nextInt(20) == 0 ? Duration.ofMinutes(30 + draws.nextInt(330))
                : Duration.ofSeconds(draws.nextInt(300));
        return UsageEvent.newBuilder()
                .setEventId(eventId)
                .setAccountId(account.id())
                .setSku(sku)
                .setQuantity(quantity)
                .setOccurredAt(base.minus(age))
                .setAttributes(Map.of("source", "fault-suite"))
                .build();
    }

    static byte[] encode(UsageEvent event) {
        return Topics.USAGE_EVENTS.valueSerde().serializer().serialize(Topics.USAGE_EVENTS.name(), event);
    }

    static long price(UsageEvent event) {
        return PRICES.get(event.getSku()).of(event.getQuantity());
    }

    /**
     * {@code count} accounts dealt the payers in turn, each agency followed by its sub-accounts (three for the first
     * agency, two for the next, and so on), which come on top of {@code count}.
     */
    private static List<Account> accounts(int count) {
        List<Payer> payers = Payer.dealt();
        List<Account> accounts = new ArrayList<>();
        int agencies = 0;
        for (int i = 0; i < count; i++) {
            Payer payer = payers.get(i % payers.size());
            String id = String.format("flt-acct-%03d", i + 1);
            String primary = switch (payer) {
                case SOFT_PRIMARY, PLAN_FEE_DECLINED -> "pm_card_chargeDeclinedInsufficientFunds__" + id;
                case HARD_PRIMARY, BOTH_DECLINE, AGENCY -> "pm_card_chargeDeclinedStolenCard__" + id;
                case SLOW_PRIMARY -> "pm_card_visa__" + id + "-slow";
                case PLAN_FEE_BANK -> "pm_usBankAccount_success__" + id;
                default -> "pm_card_visa__" + id;
            };
            String backup = payer == Payer.BOTH_DECLINE || payer == Payer.AGENCY || payer == Payer.PLAN_FEE_DECLINED
                    ? "pm_card_chargeDeclined__" + id : "pm_card_mastercard__" + id;
            accounts.add(new Account(id, payer, primary, backup, null));
            if (payer == Payer.AGENCY) {
                int subs = agencies++ % 2 == 0 ? 3 : 2;
                for (int n = 1; n <= subs; n++) {
                    accounts.add(new Account(id + "-sub-" + n, Payer.SUB_ACCOUNT, null, null, id));
                }
            }
        }
        return List.copyOf(accounts);
    }

    private static PaymentMethodRef bank(String token, Account account, PaymentMethodRole role) {
        return PaymentMethodRef.newBuilder().setPaymentMethodId(token).setCustomerId("cus_" + account.id()
                        .replace("-", "")).setType(PaymentMethodType.ACH).setBrand("bank").setLast4("6789")
                .setRole(role).build();
    }

    private static ServiceAddress serviceAddress(String jurisdiction) {
        if (jurisdiction == null) {
            return null;
        }
        String region = jurisdiction.substring(jurisdiction.indexOf('-') + 1);
        return ServiceAddress.newBuilder().setLine1("1 Main St").setCity("Springfield").setRegion(region)
                .setPostalCode("00000").setCountry("US").build();
    }

    private static PaymentMethodRef card(String token, Account account, PaymentMethodRole role) {
        return PaymentMethodRef.newBuilder().setPaymentMethodId(token).setCustomerId("cus_" + account.id()
                        .replace("-", "")).setType(PaymentMethodType.CARD).setBrand("visa").setLast4("0000")
                .setRole(role).build();
    }

    private static Map<String, UnitPrice> prices() {
        Map<String, UnitPrice> prices = new HashMap<>();
        prices.put("call.minutes.local", new UnitPrice(25_000, 60, PriceCategory.CALL_MINUTES));
        prices.put("call.minutes.tollfree", new UnitPrice(45_000, 60, PriceCategory.CALL_MINUTES));
        prices.put("transcription.minutes", new UnitPrice(50_000, 60, PriceCategory.TRANSCRIPTION));
        prices.put("callerid.enhanced.lookup", new UnitPrice(15_000, 1, PriceCategory.ENHANCED_CALLER_ID));
        prices.put(PLAN_FEE_SKU, new UnitPrice(3_000_000, 1, PriceCategory.PLAN_FEE));
        return Collections.unmodifiableMap(new TreeMap<>(prices));
    }
}
