package dev.meterflow.local.bench;

import dev.meterflow.local.stack.UsageGenerator.AccountChooser;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Account activity as a telephony platform's customers have it: the account of rank k is picked with a weight of
 * 1/k^s (Zipf), so a few big customers send most of the traffic. Account 1 is the busiest. The cumulative
 * weights are computed once; each pick is a binary search, so it stays cheap at 100,000 accounts.
 */
final class ZipfAccounts implements AccountChooser {

    private final double[] cumulative;

    ZipfAccounts(int accounts, double exponent) {
        if (accounts < 1) {
            throw new IllegalArgumentException("accounts must be at least 1, was " + accounts);
        }
        if (!(exponent > 0)) {
            throw new IllegalArgumentException("the Zipf exponent must be above 0, was " + exponent);
        }
        cumulative = new double[accounts];
        double sum = 0;
        for (int rank = 1; rank <= accounts; rank++) {
            sum += Math.pow(rank, -exponent);
            cumulative[rank - 1] = sum;
        }
        for (int i = 0; i < accounts; i++) {
            cumulative[i] /= sum;
        }
    }

    @Override
    public int next(SplittableRandom random) {
        int index = Arrays.binarySearch(cumulative, random.nextDouble());
        int rank = index >= 0 ? index + 1 : -index;
        return Math.min(rank, cumulative.length);
    }

    /** The share of all events the busiest {@code fraction} of the accounts should carry, by the weights. */
    double expectedShareOfBusiest(double fraction) {
        int busiest = Math.max(1, (int) Math.round(cumulative.length * fraction));
        return cumulative[busiest - 1];
    }
}
