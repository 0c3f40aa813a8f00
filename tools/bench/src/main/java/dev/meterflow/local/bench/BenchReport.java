package dev.meterflow.local.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The figures of one benchmark run, with the settings they were measured under, as a table and as JSON. */
final class BenchReport {

    private final Map<String, Object> settings = new LinkedHashMap<>();
    private final Map<String, Map<String, Object>> sections = new LinkedHashMap<>();

    void setting(String name, Object value) {
        settings.put(name, value);
    }

    void figure(String section, String name, Object value) {
        sections.computeIfAbsent(section, s -> new LinkedHashMap<>()).put(name, value);
    }

    Object figure(String section, String name) {
        Map<String, Object> figures = sections.get(section);
        return figures == null ? null : figures.get(name);
    }

    void print(PrintStream out) {
        out.println();
        out.println("settings:");
        settings.forEach((name, value) -> out.printf("  %-28s %s%n", name, value));
        sections.forEach((section, figures) -> {
            out.println(section + ":");
            figures.forEach((name, value) -> out.printf("  %-28s %s%n", name, value));
        });
    }

    /** A section named {@code workload/part} is written as {@code part} inside {@code workload}. */
    @SuppressWarnings("unchecked")
    void writeJson(Path file) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("settings", settings);
        sections.forEach((section, figures) -> {
            int slash = section.indexOf('/');
            if (slash < 0) {
                json.put(section, figures);
            } else {
                ((Map<String, Object>) json.computeIfAbsent(section.substring(0, slash), s -> new LinkedHashMap<>()))
                        .put(section.substring(slash + 1), figures);
            }
        });
        Files.createDirectories(file.toAbsolutePath().getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
    }
}
