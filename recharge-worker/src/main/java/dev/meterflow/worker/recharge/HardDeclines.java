package dev.meterflow.worker.recharge;

import dev.meterflow.schemas.PaymentMethodRef;
import dev.meterflow.schemas.RechargeRequest;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A hard-declined card stays skipped only until its details change (issue 10, §6): an issuer's account updater
 * shows a reissued card as new details under the same payment method id, and that card may be charged again.
 * The details are what the contract's {@code PaymentMethodRef} carries of the card: its last 4 and, when known,
 * its expiry, kept in the attempt log as {@code 4242} or {@code 4242 08/2028}. A decline seen without an expiry
 * (recorded before expiries were kept, or a card whose expiry is not known) still matches the same last 4 with any
 * expiry: the change that lets a card be charged again must be one the account actually shows. Pure.
 */
public final class HardDeclines {

    /** The details of a hard decline recorded before details were kept: such a card stays skipped. */
    public static final String UNKNOWN_DETAILS = "unknown";

    private HardDeclines() {
    }

    /** The details a request names for one of its payment methods. */
    public static String details(PaymentMethodRef method) {
        if (method.getExpMonth() == null || method.getExpYear() == null) {
            return method.getLast4();
        }
        return method.getLast4() + " " + String.format("%02d/%04d", method.getExpMonth(), method.getExpYear());
    }

    /** The details a request names, by payment method id. */
    public static Map<String, String> detailsOf(RechargeRequest request) {
        return request.getPaymentMethods().stream().collect(Collectors.toUnmodifiableMap(
                PaymentMethodRef::getPaymentMethodId, HardDeclines::details, (first, second) -> first));
    }

    /**
     * The offered payment methods still skipped: hard-declined when they had the details the request names, or
     * declined before details were kept.
     *
     * @param declined payment method id to the details each of its hard declines was seen with
     * @param offered  payment method id to the details the request names
     */
    public static Set<String> stillSkipped(Map<String, Set<String>> declined, Map<String, String> offered) {
        return offered.entrySet().stream()
                .filter(method -> {
                    Set<String> seen = declined.getOrDefault(method.getKey(), Set.of());
                    return seen.contains(UNKNOWN_DETAILS)
                            || seen.stream().anyMatch(details -> sameCard(details, method.getValue()));
                })
                .map(Map.Entry::getKey)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** The same last 4, and the same expiry unless one of the two does not know it. */
    private static boolean sameCard(String declinedDetails, String offeredDetails) {
        String[] declined = declinedDetails.split(" ", 2);
        String[] offered = offeredDetails.split(" ", 2);
        return declined[0].equals(offered[0])
                && (declined.length == 1 || offered.length == 1 || declined[1].equals(offered[1]));
    }
}
