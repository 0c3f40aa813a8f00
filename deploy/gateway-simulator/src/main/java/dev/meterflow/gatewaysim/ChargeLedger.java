package dev.meterflow.gatewaysim;

import java.util.ArrayList;
import java.util.List;

/** The authoritative record of every charge attempt, in the order they were made. */
final class ChargeLedger {

    private final List<Charge> charges = new ArrayList<>();

    synchronized void record(Charge charge) {
        charges.add(charge);
    }

    /** A pending bank debit settled: its entry takes its final status, in place. */
    synchronized void settle(String chargeId, ChargeStatus status, String failureCode, String declineCode) {
        charges.replaceAll(charge -> charge.id().equals(chargeId) ? charge.settled(status, failureCode, declineCode)
                : charge);
    }

    synchronized List<Charge> all() {
        return List.copyOf(charges);
    }

    synchronized void clear() {
        charges.clear();
    }
}
