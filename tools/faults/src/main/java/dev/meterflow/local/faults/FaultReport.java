package dev.meterflow.local.faults;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a fault-suite run did and found: the faults injected, the figures (in, debited, parked, dead-lettered,
 * lost, doubled, recharges, charges, duplicate charges, receipts) and every check with its verdict.
 */
public final class FaultReport {

    /** One invariant: its name, whether it held and, if not, what was found. */
    public record Check(String name, boolean ok, String detail) {
    }

    private final Instant startedAt;
    private final Map<String, Integer> faultsInjected = new LinkedHashMap<>();
    private final Map<String, Integer> asIntended = new LinkedHashMap<>();
    private final List<String> faultNotes = new ArrayList<>();
    private final Map<String, Long> figures = new LinkedHashMap<>();
    private final List<Check> checks = new ArrayList<>();
    private int cycles;
    private Duration elapsed = Duration.ZERO;

    FaultReport(Instant startedAt) {
        this.startedAt = startedAt;
    }

    void cycleRun() {
        cycles++;
    }

    /**
     * @param intended whether it happened as the fault means it (a kill inside an open transaction, while a store
     *                 restored, with a charge in flight ...): timing decides, so a few may miss
     */
    void injected(String fault, boolean intended, String note) {
        faultsInjected.merge(fault, 1, Integer::sum);
        asIntended.merge(fault, intended ? 1 : 0, Integer::sum);
        faultNotes.add(note);
    }

    void figure(String name, long value) {
        figures.put(name, value);
    }

    /** Adds one to a figure (zero until then). */
    void count(String name) {
        figures.merge(name, 1L, Long::sum);
    }

    void check(String name, boolean ok, String detail) {
        checks.add(new Check(name, ok, ok ? "" : detail));
    }

    void finished(Instant at) {
        elapsed = Duration.between(startedAt, at);
    }

    public boolean ok() {
        return !checks.isEmpty() && checks.stream().allMatch(Check::ok);
    }

    public int cycles() {
        return cycles;
    }

    public Map<String, Integer> faultsInjected() {
        return Map.copyOf(faultsInjected);
    }

    /** How many injections of each fault happened as the fault means it. */
    public Map<String, Integer> faultsAsIntended() {
        return Map.copyOf(asIntended);
    }

    public Map<String, Long> figures() {
        return Map.copyOf(figures);
    }

    public long figure(String name) {
        Long value = figures.get(name);
        if (value == null) {
            throw new IllegalArgumentException("no figure '" + name + "' in the report; there are " + figures.keySet());
        }
        return value;
    }

    public List<Check> checks() {
        return List.copyOf(checks);
    }

    public List<Check> failed() {
        return checks.stream().filter(check -> !check.ok()).toList();
    }

    public void print(PrintStream out) {
        out.println();
        out.printf("fault suite: %d cycles in %s%n", cycles, format(elapsed));
        faultsInjected.forEach((fault, count) -> out.printf("  %-24s x%d, %d as intended%n", fault, count,
                asIntended.get(fault)));
        out.println("figures:");
        figures.forEach((name, value) -> out.printf("  %-40s %d%n", name, value));
        out.println("checks:");
        for (Check check : checks) {
            out.printf("  [%s] %s%s%n", check.ok() ? "ok" : "FAILED", check.name(),
                    check.ok() ? "" : ": " + check.detail());
        }
        out.println(ok() ? "ALL CHECKS HOLD" : "SOME CHECKS FAILED: " + failed().size());
    }

    /** The full text, for a test failure message. */
    public String text() {
        java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(buffer, true, java.nio.charset.StandardCharsets.UTF_8)) {
            print(out);
            out.println("fault notes:");
            faultNotes.forEach(note -> out.println("  " + note));
        }
        return buffer.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The figures as a Markdown section, for docs/RELIABILITY.md. */
    String markdown(String machine, String settings) {
        StringBuilder md = new StringBuilder();
        md.append("Run of ").append(startedAt.toString(), 0, 10).append(" on ").append(machine).append(", ")
                .append(cycles).append(" cycles in ").append(format(elapsed)).append(" (").append(settings)
                .append(").\n\n");
        md.append("| fault injected | times | as intended |\n|---|---:|---:|\n");
        faultsInjected.forEach((fault, count) -> md.append("| ").append(fault).append(" | ").append(count)
                .append(" | ").append(asIntended.get(fault)).append(" |\n"));
        md.append("\n| figure | value |\n|---|---:|\n");
        figures.forEach((name, value) -> md.append("| ").append(name).append(" | ").append(value).append(" |\n"));
        md.append("\n| check | result |\n|---|---|\n");
        checks.forEach(check -> md.append("| ").append(check.name().replace("|", "\\|")).append(" | ")
                .append(check.ok() ? "ok" : "**FAILED**: " + check.detail().replace("|", "\\|")).append(" |\n"));
        md.append("\n").append(ok() ? "All checks held." : "**Some checks failed.**").append("\n");
        return md.toString();
    }

    private static String format(Duration duration) {
        return String.format("%dm%02ds", duration.toMinutes(), duration.toSecondsPart());
    }
}
