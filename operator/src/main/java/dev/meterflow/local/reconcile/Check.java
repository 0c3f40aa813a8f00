package dev.meterflow.local.reconcile;

/** The reconciliations, each comparing two records of the same money. */
public enum Check {
    LEDGER("ledger replay = balances",
            "per account: the ledger entries sum to the latest balance, each balanceAfterMicros is the running sum,"
                    + " no entryId twice"),
    RESULTS("recharge requests = payment results = ledger credits",
            "per request: exactly one payment result; per SUCCEEDED result: exactly one credit of its amount (a RECHARGE"
                    + " ledger entry, or a PAYMENT for a one-time payment); no result or credit without a request"),
    RECEIPTS("succeeded results = receipts",
            "per SUCCEEDED result: exactly one receipt of its amount and one RECHARGE_RECEIPT notice; none without"
                    + " a SUCCEEDED result"),
    USAGE("usage in = debited + duplicates + parked + dead-lettered",
            "per usage-events partition and offset range: every record processed is dead-lettered, or its event"
                    + " debited once, parked, or a duplicate of a debited event"),
    CHARGES("receipts = the gateway's charges",
            "per SUCCEEDED result: exactly one successful charge of its amount; no successful charge without a"
                    + " SUCCEEDED result (charged, not credited); no request charged twice");

    private final String title;
    private final String rule;

    Check(String title, String rule) {
        this.title = title;
        this.rule = rule;
    }

    public String title() {
        return title;
    }

    public String rule() {
        return rule;
    }
}
