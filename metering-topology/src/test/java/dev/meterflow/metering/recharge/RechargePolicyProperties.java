package dev.meterflow.metering.recharge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.metering.ledger.AutoRechargePolicy;
import dev.meterflow.metering.ledger.AutoRechargePolicy.Mode;
import dev.meterflow.metering.ledger.PaymentMethod;
import dev.meterflow.metering.ledger.PaymentMethod.Role;
import dev.meterflow.metering.ledger.PaymentMethod.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.statistics.Statistics;

/** How much an automatic recharge charges, and which payment methods it offers in which order. */
class RechargePolicyProperties {

    private static final long MICROS_PER_CENT = 10_000;
    private static final Set<String> REFUSED = Set.of("paypal", "diners");

    // Realistic balances: from a $1M debt to $1M in credit; targets and fixed amounts up to $10,000.
    private static final long MIN_BALANCE = -1_000_000_000_000L;
    private static final long MAX_BALANCE = 1_000_000_000_000L;
    private static final long MAX_TARGET = 10_000_000_000L;
    /** The generated methods have no expiry, so the time does not matter to these properties. */
    private static final long NOW_MILLIS = 1_796_000_000_000L;

    @Property
    void topUpChargesTheShortfallRoundedUpToTheCent(
            @ForAll @LongRange(min = MIN_BALANCE, max = MAX_BALANCE) long balanceMicros,
            @ForAll @LongRange(min = 0, max = MAX_TARGET) long targetMicros) {
        AutoRechargePolicy policy = new AutoRechargePolicy(true, Mode.TOP_UP_TO_TARGET, targetMicros, targetMicros, 0);
        long shortfall = targetMicros - balanceMicros;
        Statistics.label("below target").collect(shortfall > 0);

        long cents = RechargePolicy.amountCents(policy, balanceMicros);

        if (shortfall > 0) {
            long chargedMicros = Math.multiplyExact(cents, MICROS_PER_CENT);
            assertThat(chargedMicros).as("charge covers the shortfall").isGreaterThanOrEqualTo(shortfall);
            assertThat(chargedMicros - shortfall < MICROS_PER_CENT || cents == RechargePolicy.MIN_CHARGE_CENTS)
                    .as("by less than a cent, unless raised to the gateway's minimum charge").isTrue();
        } else {
            assertThat(cents).as("nothing to charge at or above the target").isLessThanOrEqualTo(0);
        }
    }

    @Property
    void fixedAmountChargesTheAmountRoundedUpToTheCent(
            @ForAll @LongRange(min = MIN_BALANCE, max = MAX_BALANCE) long balanceMicros,
            @ForAll @LongRange(min = 1, max = MAX_TARGET) long amountMicros) {
        AutoRechargePolicy policy = new AutoRechargePolicy(true, Mode.FIXED_AMOUNT, 0, 0, amountMicros);

        long chargedMicros = Math.multiplyExact(RechargePolicy.amountCents(policy, balanceMicros), MICROS_PER_CENT);

        assertThat(chargedMicros).isGreaterThanOrEqualTo(amountMicros);
        assertThat(chargedMicros - amountMicros < MICROS_PER_CENT
                || chargedMicros == RechargePolicy.MIN_CHARGE_CENTS * MICROS_PER_CENT)
                .as("by less than a cent, unless raised to the gateway's minimum charge").isTrue();
    }

    @Property
    void methodsInOrderNeverOffersPayPalDinersOrABankAccount(@ForAll("paymentMethods") List<PaymentMethod> methods) {
        assertThat(RechargePolicy.methodsInOrder(methods, NOW_MILLIS))
                .noneMatch(method -> REFUSED.contains(method.brand().toLowerCase(Locale.ROOT)))
                .noneMatch(method -> method.type() == Type.ACH);
    }

    @Property
    void methodsInOrderPutsPrimaryThenBackupThenOthers(@ForAll("paymentMethods") List<PaymentMethod> methods) {
        List<Role> roles = RechargePolicy.methodsInOrder(methods, NOW_MILLIS).stream().map(PaymentMethod::role)
                .toList();

        assertThat(roles).isSorted();
    }

    /** Every accepted method is kept, and methods of the same role stay in the order the account gave them. */
    @Property
    void methodsInOrderKeepsEveryOtherMethod(@ForAll("paymentMethods") List<PaymentMethod> methods) {
        List<PaymentMethod> accepted = methods.stream()
                .filter(method -> !REFUSED.contains(method.brand().toLowerCase(Locale.ROOT)))
                .filter(method -> method.type() != Type.ACH).toList();
        List<PaymentMethod> ordered = RechargePolicy.methodsInOrder(methods, NOW_MILLIS);

        assertThat(ordered).containsExactlyInAnyOrderElementsOf(accepted);
        for (Role role : Role.values()) {
            assertThat(ordered.stream().filter(method -> method.role() == role).toList())
                    .as("%s methods in the account's order", role)
                    .isEqualTo(accepted.stream().filter(method -> method.role() == role).toList());
        }
    }

    /** A decline back-off is lifted when the methods change, not when the same methods are listed differently. */
    @Property
    void fingerprintIgnoresTheOrderOfMethods(@ForAll("paymentMethods") List<PaymentMethod> methods) {
        List<PaymentMethod> reversed = new ArrayList<>(methods);
        Collections.reverse(reversed);

        assertThat(RechargePolicy.fingerprint(reversed)).isEqualTo(RechargePolicy.fingerprint(methods));
    }

    @Provide
    Arbitrary<List<PaymentMethod>> paymentMethods() {
        Arbitrary<String> accepted = Arbitraries.of("visa", "mastercard", "amex", "discover", "jcb", "unionpay",
                "unknown", "bank");
        Arbitrary<String> refused = Arbitraries.of("paypal", "diners").flatMap(RechargePolicyProperties::anyCase);
        Arbitrary<String> brands = Arbitraries.frequencyOf(Tuple.of(2, accepted), Tuple.of(1, refused));
        Arbitrary<PaymentMethod> method = Combinators.combine(
                Arbitraries.integers().between(1, 9).map(n -> "pm_" + n),
                brands,
                Arbitraries.of(Role.class)).as((id, brand, role) -> new PaymentMethod(id, "cus_1",
                brand.equals("bank") ? Type.ACH : Type.CARD, brand, "4242", role));
        return method.list().ofMaxSize(8);
    }

    /** The word with each letter in upper or lower case: "PayPal", "DINERS", "dIneRs", ... */
    private static Arbitrary<String> anyCase(String word) {
        return Arbitraries.integers().between(0, (1 << word.length()) - 1).map(mask -> {
            StringBuilder cased = new StringBuilder(word.length());
            for (int i = 0; i < word.length(); i++) {
                char letter = word.charAt(i);
                cased.append((mask & (1 << i)) != 0 ? Character.toUpperCase(letter) : letter);
            }
            return cased.toString();
        });
    }
}
