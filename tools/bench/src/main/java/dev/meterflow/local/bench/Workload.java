package dev.meterflow.local.bench;

import dev.meterflow.local.stack.UsageGenerator;
import dev.meterflow.local.stack.UsageGenerator.AccountChooser;
import java.util.List;
import java.util.function.IntFunction;

/**
 * How usage is spread over the accounts in one part of a benchmark run: every account alike, or Zipf-skewed
 * like a platform whose big customers send most of the calls.
 *
 * @param name     the run's section in the report and its data directory
 * @param accounts the chooser for a number of accounts (the throughput run's and the latency run's differ)
 */
record Workload(String name, String description, IntFunction<AccountChooser> accounts) {

    static Workload uniform() {
        return new Workload("uniform", "every account equally active", UsageGenerator::uniform);
    }

    static Workload skewed(double exponent) {
        if (!(exponent > 0)) {
            throw new IllegalArgumentException("--zipf-exponent must be above 0, was " + exponent);
        }
        return new Workload("skewed", "account activity Zipf-distributed, s = " + exponent,
                accounts -> new ZipfAccounts(accounts, exponent));
    }

    /** The workloads named, in the order given: {@code uniform}, {@code skewed}. */
    static List<Workload> named(List<String> names, double zipfExponent) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("name at least one workload: uniform, skewed");
        }
        return names.stream().map(name -> switch (name) {
            case "uniform" -> uniform();
            case "skewed" -> skewed(zipfExponent);
            default -> throw new IllegalArgumentException("unknown workload '" + name + "': uniform, skewed");
        }).toList();
    }
}
