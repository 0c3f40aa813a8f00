package dev.meterflow.local.stack;

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
import dev.meterflow.schemas.TaxRate;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The local stack's accounts and rate card: a realistic call-tracking price list, and accounts with
 * thresholds, targets, primary and backup cards — some of which decline (the gateway simulator's test tokens),
 * so recharges, fallbacks, declines and pauses all happen. Most accounts pay well: pauses come from the accounts
 * whose cards decline or that have no automatic recharge.
 */
public final class SeedData {

    public static final String RATE_PLAN = "standard-2026";
    // above the largest monthly fee ($45): a fee charged just above the threshold leaves a balance above zero
    private static final long THRESHOLD_MICROS = Money.dollarsToMicros(60);
    private static final long TARGET_MICROS = Money.dollarsToMicros(200);
    /** What an account without automatic recharge pays by hand before its usage starts: up to the usual target. */
    public static final long OPENING_PAYMENT_CENTS = Money.toCentsRoundingUp(TARGET_MICROS);

    private SeedData() {
    }

    /** Per-minute calls, monthly numbers, transcription, enhanced caller ID, encrypted recording, software fee. */
    public static RateCard rateCard(Instant now) {
        Map<String, Price> prices = new LinkedHashMap<>();
        prices.put("call.minutes.local", price(25_000, 60, PriceCategory.CALL_MINUTES));
        prices.put("call.minutes.tollfree", price(45_000, 60, PriceCategory.CALL_MINUTES));
        prices.put("number.local.monthly", price(3_000_000, 1, PriceCategory.TRACKING_NUMBER));
        prices.put("number.tollfree.monthly", price(5_000_000, 1, PriceCategory.TRACKING_NUMBER));
        prices.put("transcription.minutes", price(50_000, 60, PriceCategory.TRANSCRIPTION));
        prices.put("callerid.enhanced.lookup", price(15_000, 1, PriceCategory.ENHANCED_CALLER_ID));
        prices.put("recording.encrypted.minutes", price(10_000, 60, PriceCategory.ENCRYPTED_RECORDING));
        prices.put("software.monthly", price(45_000_000, 1, PriceCategory.SOFTWARE_FEE));
        return RateCard.newBuilder().setRatePlanId(RATE_PLAN).setCurrency("USD").setPrices(prices)
                .setUpdatedAt(now).build();
    }

    /**
     * Sales tax of the seeded accounts' jurisdictions, so that the monthly tax run on the 1st taxes every seeded
     * account with a service address (rates as published for 2026; the local stack's, not advice).
     */
    public static List<TaxRate> taxRates() {
        return List.of(taxRate("US-TX", 82_500, "Texas state and local sales tax"),
                taxRate("US-CA", 72_500, "California state sales tax"),
                taxRate("US-NY", 88_750, "New York City sales tax"));
    }

    /** Where account {@code index} is served: most in Austin, some in Los Angeles and New York; one exempt. */
    static ServiceAddress serviceAddress(int index) {
        return switch (index % 10) {
            case 4 -> address("350 S Grand Ave", "Los Angeles", "CA", "90071");
            case 8 -> address("1 Liberty Plaza", "New York", "NY", "10006");
            default -> address("500 W 2nd St", "Austin", "TX", "78701");
        };
    }

    /** Account {@code index} is a tax-exempt non-profit: one in twenty-five. */
    static boolean taxExempt(int index) {
        return index % 25 == 6;
    }

    /** What kind of payer an account is, by its index: most pay, some need the backup, a few cannot pay. */
    public enum Payer { GOOD, PRIMARY_DECLINES, BOTH_DECLINE, NO_AUTO_RECHARGE, FIXED_AMOUNT }

    public static Payer payer(int index) {
        return switch (index % 20) {
            case 3, 13 -> Payer.PRIMARY_DECLINES;
            case 7 -> Payer.BOTH_DECLINE;
            case 11 -> Payer.NO_AUTO_RECHARGE;
            case 5, 17 -> Payer.FIXED_AMOUNT;
            default -> Payer.GOOD;
        };
    }

    /** Whether seeded account {@code accountId} ({@link #accountId}) has automatic recharge on. */
    public static boolean autoRecharges(String accountId) {
        return payer(Integer.parseInt(accountId.substring("acct-".length()))) != Payer.NO_AUTO_RECHARGE;
    }

    public static String accountId(int index) {
        return String.format("acct-%04d", index);
    }

    /** The opening payment of {@code accountId}: one per run, charged to its primary card, then its backup. */
    public static PaymentCommand openingPayment(String accountId, String runId, Instant now) {
        return PaymentCommand.newBuilder().setCommandId("opening-" + runId + "-" + accountId).setAccountId(accountId)
                .setAmountCents(OPENING_PAYMENT_CENTS).setPaymentMethodId(null).setRequestedAt(now).build();
    }

    /** The ids of accounts 1 .. {@code count}. */
    public static List<String> accountIds(int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            ids.add(accountId(i));
        }
        return ids;
    }

    /**
     * The agency family (issue 10, section 5): an agency that pays, with good cards and automatic recharge, for
     * its sub-accounts' usage and sales tax. Its sub-accounts have neither cards nor a recharge of their own.
     */
    public static final String AGENCY = "agency-0001";
    public static final List<String> SUB_ACCOUNTS = List.of(AGENCY + "-sub-1", AGENCY + "-sub-2", AGENCY + "-sub-3");

    /** The agency, then its sub-accounts, each in its own city (their addresses decide the tax on their usage). */
    public static List<AccountSettings> agencyFamily(Instant now) {
        List<AccountSettings> family = new ArrayList<>();
        family.add(AccountSettings.newBuilder(settings(AGENCY, Payer.GOOD, now)).setServiceAddress(serviceAddress(0))
                .build());
        for (int i = 0; i < SUB_ACCOUNTS.size(); i++) {
            String subAccount = SUB_ACCOUNTS.get(i);
            family.add(AccountSettings.newBuilder(settings(subAccount, Payer.NO_AUTO_RECHARGE, now))
                    .setParentAccountId(AGENCY).setPaymentMethods(List.of())
                    .setCriticalBillingPhone("+151255590" + (i + 1) + "0")
                    .setServiceAddress(serviceAddress(i * 4)).build());
        }
        return family;
    }

    /**
     * The accounts with a balance of their own: the seeded ones and the agency (a sub-account's usage is debited
     * from its agency's balance).
     */
    public static int payingAccounts(int count) {
        return count + 1;
    }

    /** Whose balance pays for {@code accountId}'s usage: a sub-account's agency, else the account itself. */
    public static String payerOf(String accountId) {
        return SUB_ACCOUNTS.contains(accountId) ? AGENCY : accountId;
    }

    /** The accounts usage is generated for: the seeded ones, then the agency's sub-accounts. */
    public static int usageAccounts(int count) {
        return count + SUB_ACCOUNTS.size();
    }

    /** The id of usage account 1 .. {@link #usageAccounts}: seeded accounts first, then the sub-accounts. */
    public static IntFunction<String> usageAccountIds(int count) {
        return index -> index <= count ? accountId(index) : SUB_ACCOUNTS.get(index - count - 1);
    }

    public static List<AccountSettings> accounts(int count, Instant now) {
        List<AccountSettings> accounts = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            accounts.add(AccountSettings.newBuilder(settings(accountId(i), payer(i), now))
                    .setServiceAddress(serviceAddress(i)).setTaxExempt(taxExempt(i)).build());
        }
        return accounts;
    }

    static AccountSettings settings(String accountId, Payer payer, Instant now) {
        boolean auto = payer != Payer.NO_AUTO_RECHARGE;
        boolean fixed = payer == Payer.FIXED_AMOUNT;
        List<PaymentMethodRef> cards = switch (payer) {
            case PRIMARY_DECLINES -> List.of(card("pm_card_chargeDeclinedInsufficientFunds", accountId, "visa", "9995",
                    PaymentMethodRole.PRIMARY, now), card("pm_card_mastercard", accountId, "mastercard", "4444",
                    PaymentMethodRole.BACKUP, now));
            case BOTH_DECLINE -> List.of(card("pm_card_chargeDeclinedStolenCard", accountId, "visa", "9979",
                    PaymentMethodRole.PRIMARY, now), card("pm_card_chargeDeclinedInsufficientFunds", accountId, "visa",
                    "9995", PaymentMethodRole.BACKUP, now));
            default -> List.of(card("pm_card_visa", accountId, "visa", "4242", PaymentMethodRole.PRIMARY, now),
                    card("pm_card_mastercard", accountId, "mastercard", "4444", PaymentMethodRole.BACKUP, now));
        };
        return AccountSettings.newBuilder()
                .setAccountId(accountId)
                .setRatePlanId(RATE_PLAN)
                .setParentAccountId(null)
                .setAutoRecharge(AutoRecharge.newBuilder()
                        .setEnabled(auto)
                        .setMode(fixed ? AutoRechargeMode.FIXED_AMOUNT : AutoRechargeMode.TOP_UP_TO_TARGET)
                        .setThresholdMicros(THRESHOLD_MICROS)
                        .setTargetMicros(TARGET_MICROS)
                        .setAmountMicros(Money.dollarsToMicros(150))
                        .build())
                .setPaymentMethods(cards)
                .setBillingEmails(List.of("billing@" + accountId + ".example", "owner@" + accountId + ".example"))
                .setCriticalBillingPhone("+1512555" + accountId.substring(accountId.length() - 4))
                .setDirectChargePlanFee(false)
                .setServiceAddress(ServiceAddress.newBuilder().setLine1("500 W 2nd St").setCity("Austin")
                        .setRegion("TX").setPostalCode("78701").setCountry("US").build())
                .setTaxExempt(false)
                .setUpdatedAt(now)
                .build();
    }

    private static TaxRate taxRate(String jurisdiction, long ratePpm, String name) {
        return TaxRate.newBuilder().setJurisdiction(jurisdiction).setRatePpm(ratePpm).setName(name).build();
    }

    private static ServiceAddress address(String line1, String city, String region, String postalCode) {
        return ServiceAddress.newBuilder().setLine1(line1).setCity(city).setRegion(region).setPostalCode(postalCode)
                .setCountry("US").build();
    }

    private static Price price(long unitPriceMicros, long unitSize, PriceCategory category) {
        return Price.newBuilder().setUnitPriceMicros(unitPriceMicros).setUnitSize(unitSize).setCategory(category)
                .setTaxable(category != PriceCategory.SOFTWARE_FEE).build();
    }

    /** A card as issued: valid for three more years from the month the stack is seeded. */
    private static PaymentMethodRef card(String token, String accountId, String brand, String last4,
                                         PaymentMethodRole role, Instant now) {
        YearMonth expiry = YearMonth.from(now.atOffset(ZoneOffset.UTC)).plusYears(3);
        return PaymentMethodRef.newBuilder().setPaymentMethodId(token).setCustomerId("cus_" + accountId.replace("-", ""))
                .setType(PaymentMethodType.CARD).setBrand(brand).setLast4(last4).setRole(role)
                .setExpMonth(expiry.getMonthValue()).setExpYear(expiry.getYear()).build();
    }
}
