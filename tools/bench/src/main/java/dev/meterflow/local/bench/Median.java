package dev.meterflow.local.bench;

import java.util.List;

/** The median of a few runs' figures: the middle one, or the mean of the two middle ones, rounded. */
final class Median {

    private Median() {
    }

    static long of(List<Long> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values to take the median of");
        }
        List<Long> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        if (sorted.size() % 2 == 1) {
            return sorted.get(middle);
        }
        return Math.round((sorted.get(middle - 1) + sorted.get(middle)) / 2.0);
    }
}
