package dev.meterflow.local.bench;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/** Counts the events of each account, to tell how much of the traffic the busiest accounts carried. */
final class ActivityShare {

    private final Map<String, long[]> perAccount = new HashMap<>();
    private long events;

    void count(String accountId) {
        perAccount.computeIfAbsent(accountId, id -> new long[1])[0]++;
        events++;
    }

    /**
     * The share (0-1) of the events counted that the busiest {@code fraction} of {@code accounts} sent; accounts
     * that sent nothing count among the accounts, so a uniform workload reads about {@code fraction}.
     */
    double busiestShare(int accounts, double fraction) {
        if (events == 0) {
            return 0;
        }
        int busiest = Math.max(1, (int) Math.round(accounts * fraction));
        long[] counts = perAccount.values().stream().mapToLong(count -> count[0]).toArray();
        Arrays.sort(counts);
        long top = 0;
        for (int i = counts.length - 1; i >= Math.max(0, counts.length - busiest); i--) {
            top += counts[i];
        }
        return (double) top / events;
    }
}
