package dev.meterflow.api.page;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one form sent back when it was refused: the values as typed and the problems by field, so the page shows
 * each problem next to its field and keeps what was typed. Field {@code ""} is a problem of the whole form.
 *
 * @param section the form's id on the page, e.g. {@code auto-recharge}
 */
public record Form(String section, Map<String, String> values, Map<String, String> errors) {

    public static final Form NONE = new Form("", Map.of(), Map.of());

    public static Form of(String section, Map<String, String> values) {
        return new Form(section, Map.copyOf(values), new LinkedHashMap<>());
    }

    public Form withError(String field, String message) {
        Map<String, String> errors = new LinkedHashMap<>(this.errors);
        errors.putIfAbsent(field, message);
        return new Form(section, values, errors);
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    /** The typed value when this is the refused form, else {@code fallback} (what the account holds now). */
    public String value(String section, String field, String fallback) {
        return this.section.equals(section) && values.containsKey(field) ? values.get(field) : fallback;
    }

    /** The problem of {@code field} in {@code section}'s form, or null. */
    public String error(String section, String field) {
        return this.section.equals(section) ? errors.get(field) : null;
    }
}
