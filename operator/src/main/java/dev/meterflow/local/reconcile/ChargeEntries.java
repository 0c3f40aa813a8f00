package dev.meterflow.local.reconcile;

import dev.meterflow.metering.payments.MakePayment;
import dev.meterflow.metering.payments.PlanFeeRules;
import dev.meterflow.schemas.LedgerEntry;
import dev.meterflow.schemas.LedgerEntryKind;

/**
 * The ledger entries that record a gateway charge, and what each says of it: the one reading of them that
 * {@code reconcile} and the fault suite's checks share.
 */
public final class ChargeEntries {

    private ChargeEntries() {
    }

    /**
     * The entry of a charge: a RECHARGE, a one-time PAYMENT, or a plan fee charged directly (issue 10), which
     * records the charge without crediting the balance.
     */
    public static boolean isCredit(LedgerEntry entry) {
        return entry.getKind() == LedgerEntryKind.RECHARGE || entry.getKind() == LedgerEntryKind.PAYMENT
                || entry.getKind() == LedgerEntryKind.PLAN_FEE_DIRECT;
    }

    /**
     * A RECHARGE's source is its request; a PAYMENT's is its command and a PLAN_FEE_DIRECT's its usage event,
     * whose request ids are derived from them.
     */
    public static String creditedRequestId(LedgerEntry credit) {
        return switch (credit.getKind()) {
            case PAYMENT -> MakePayment.requestIdOf(credit.getAccountId(), credit.getSourceId());
            case PLAN_FEE_DIRECT -> PlanFeeRules.requestIdOf(credit.getAccountId(), credit.getSourceId());
            default -> credit.getSourceId();
        };
    }

    /** What the charge came to: a plan fee's entry changes no balance and names the fee it charged. */
    public static long creditedMicros(LedgerEntry credit) {
        return credit.getKind() == LedgerEntryKind.PLAN_FEE_DIRECT
                ? credit.getChargedAmountMicros() : credit.getAmountMicros();
    }
}
