package dev.meterflow.worker.recharge;

import dev.meterflow.schemas.PaymentMethodRef;
import dev.meterflow.schemas.RechargeRequest;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A hard-declined card stays skipped only until its details change (issue 10, §6): an issuer's account updater
 * shows a reissued card as new details under the same payment method id, and that card may be charged again.
 * The details are what the contract's {@code PaymentMethodRef} carries of the card: its last 4 (it has no
 * expiry). Pure.
 */
public final class HardDeclines {

    /** The details of a hard decline recorded before details were kept: such a card stays skipped. */
    public static final String UNKNOWN_DETAILS = "unknown";

    private HardDeclines() {
    }

    /** The details a request names for one of its payment methods. */
    public static String details(PaymentMethodRef method) {
        return method.getLast4();
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
                    return seen.contains(UNKNOWN_DETAILS) || seen.contains(method.getValue());
                })
                .map(Map.Entry::getKey)
                .collect(Collectors.toUnmodifiableSet());
    }
}
