package dev.meterflow.local.reconcile;

import dev.meterflow.gatewaysim.GatewaySimulator;
import java.time.Instant;
import java.util.List;

/** Where the gateway's successful charges come from. */
@FunctionalInterface
public interface ChargeSource {

    /**
     * Every successful charge made at or after {@code since} ({@code null}: all of them); charges without a
     * {@code requestId} in their metadata included, so they can be counted.
     */
    List<GatewayCharge> successfulCharges(Instant since);

    /** A short description for the report, e.g. the base URL; never the API key. */
    default String describe() {
        return getClass().getSimpleName();
    }

    /**
     * The charges of a simulator running in this JVM, from its own authoritative ledger: no API key, and none
     * of the delay with which Stripe's search (and the simulator's, when configured so) shows a new charge.
     */
    static ChargeSource of(GatewaySimulator simulator) {
        return new ChargeSource() {
            @Override
            public List<GatewayCharge> successfulCharges(Instant since) {
                return simulator.charges().stream()
                        .filter(charge -> charge.succeeded()
                                && (since == null || !charge.createdAt().isBefore(since)))
                        .map(charge -> new GatewayCharge(charge.id(), charge.requestId(), charge.accountId(),
                                charge.amountCents(), charge.createdAt()))
                        .toList();
            }

            @Override
            public String describe() {
                return "gateway simulator ledger at " + simulator.baseUrl();
            }
        };
    }
}
