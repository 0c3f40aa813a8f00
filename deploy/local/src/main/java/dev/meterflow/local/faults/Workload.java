package dev.meterflow.local.faults;

import dev.meterflow.money.Money;
import dev.meterflow.schemas.AccountSettings;
import dev.meterflow.schemas.AutoRecharge;
import dev.meterflow.schemas.AutoRechargeMode;
import dev.meterflow.schemas.PaymentMethodRef;
import dev.meterflow.schemas.PaymentMethodRole;
import dev.meterflow.schemas.PaymentMethodType;
import dev.meterflow.schemas.Price;
import dev.meterflow.schemas.PriceCategory;
import dev.meterflow.schemas.RateCard;
import dev.meterflow.schemas.UsageEvent;
import dev.meterflow.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
        NO_AUTO
    }

    /** An account of the workload and the cards it has. */
    record Account(String id, Payer payer, String primary, String backup) {
        boolean autoRecharge() {
            return payer != Payer.NO_AUTO;
        }

        /** Whether some card of the account is charged successfully. */
        boolean canPay() {
            return payer != Payer.NO_AUTO && payer != Payer.BOTH_DECLINE;
        }

        /** The card added at the end of the run to an account whose cards all declined. */
        String replacementCard() {
            return "pm_card_visa__" + id + "-new";
        }
    }

    /** One record to send: a usage event on {@code usage-events}, or any record on any topic either app reads. */
    record Send(String topic, String key, byte[] value, String eventId, Kind kind) {

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
    private final List<Account> accounts;
    private final Instant base;
    private final BadRecords badRecords;
    private final String nearLimitTopic;
    private final List<UsageEvent> debitable = new ArrayList<>();
    private int sequence;

    Workload(int accountCount, long seed, Instant base) {
        this.random = new Random(seed);
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
        return settings(account, List.of(card(account.primary(), account, PaymentMethodRole.PRIMARY),
                card(account.backup(), account, PaymentMethodRole.BACKUP)), now);
    }

    /** The account after its admin added a working card as the new primary. */
    AccountSettings settingsWithReplacementCard(Account account, Instant now) {
        return settings(account, List.of(card(account.replacementCard(), account, PaymentMethodRole.PRIMARY)), now);
    }

    private static AccountSettings settings(Account account, List<PaymentMethodRef> cards, Instant now) {
        return AccountSettings.newBuilder()
                .setAccountId(account.id())
                .setRatePlanId(RATE_PLAN)
                .setParentAccountId(null)
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
                .setDirectChargePlanFee(false)
                .setServiceAddress(null)
                .setTaxExempt(true)
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
        Collections.shuffle(sends, random);
        return sends;
    }

    /** One cycle's bad records ({@link BadRecords}), under the key of an account picked at random. */
    private List<Send> poison() {
        Account account = accounts.get(random.nextInt(accounts.size()));
        return badRecords.cycle(account, encode(usage(account)), nearLimitTopic);
    }

    private UsageEvent usage(Account account) {
        List<String> skus = List.copyOf(PRICES.keySet());
        String sku = skus.get(random.nextInt(skus.size()));
        long quantity = PRICES.get(sku).unitSize() == 1 ? 1 + random.nextInt(3) : 1 + random.nextInt(600);
        // most events happened within the last minutes; one in twenty is late by up to six hours
        Duration age = random.nextInt(20) == 0 ? Duration.ofMinutes(30 + random.nextInt(330))
                : Duration.ofSeconds(random.nextInt(300));
        return UsageEvent.newBuilder()
                .setEventId(String.format("flt-%07d", ++sequence))
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

    private static List<Account> accounts(int count) {
        Payer[] payers = Payer.values();
        List<Account> accounts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Payer payer = payers[i % payers.length];
            String id = String.format("flt-acct-%03d", i + 1);
            String primary = switch (payer) {
                case SOFT_PRIMARY -> "pm_card_chargeDeclinedInsufficientFunds__" + id;
                case HARD_PRIMARY, BOTH_DECLINE -> "pm_card_chargeDeclinedStolenCard__" + id;
                case SLOW_PRIMARY -> "pm_card_visa__" + id + "-slow";
                default -> "pm_card_visa__" + id;
            };
            String backup = payer == Payer.BOTH_DECLINE ? "pm_card_chargeDeclined__" + id
                    : "pm_card_mastercard__" + id;
            accounts.add(new Account(id, payer, primary, backup));
        }
        return List.copyOf(accounts);
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
        return Collections.unmodifiableMap(new TreeMap<>(prices));
    }
}
