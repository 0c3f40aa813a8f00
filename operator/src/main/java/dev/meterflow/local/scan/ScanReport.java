package dev.meterflow.local.scan;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What {@link SecretScan} looked at and found.
 *
 * @param findings         every leaked secret, in the order found
 * @param recordsPerTopic  records read per topic, every topic scanned (zero for an empty one), by name
 * @param topicsSkipped    topics not scanned: {@code __consumer_offsets} and {@code __transaction_state}
 * @param files            log files scanned
 * @param lines            log lines scanned, all files together
 * @param literalSecrets   how many literal secret values were looked for
 */
public record ScanReport(List<Finding> findings, Map<String, Long> recordsPerTopic, List<String> topicsSkipped,
                         List<Path> files, long lines, int literalSecrets) {

    public ScanReport {
        findings = List.copyOf(findings);
        recordsPerTopic = Map.copyOf(recordsPerTopic);
        topicsSkipped = List.copyOf(topicsSkipped);
        files = List.copyOf(files);
    }

    public boolean ok() {
        return findings.isEmpty();
    }

    public long records() {
        return recordsPerTopic.values().stream().mapToLong(Long::longValue).sum();
    }

    public void print(PrintStream out) {
        out.printf("scanned %d topics (%d records), %d files (%d lines) for card numbers, card fields, API keys"
                + " and %d literal secrets%n", recordsPerTopic.size(), records(), files.size(), lines, literalSecrets);
        recordsPerTopic.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(topic -> out.printf("  topic %s: %d records%n", topic.getKey(), topic.getValue()));
        topicsSkipped.forEach(topic -> out.printf("  topic %s: not scanned (broker internal)%n", topic));
        files.forEach(file -> out.printf("  file %s%n", file));
        findings.forEach(finding -> out.println("FOUND " + finding));
        out.println(ok() ? "no secrets found" : findings.size() + " SECRETS FOUND");
    }
}
