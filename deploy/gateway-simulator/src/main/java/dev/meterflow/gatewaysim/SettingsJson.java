package dev.meterflow.gatewaysim;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@link SimulatorSettings} as JSON for {@code /_sim/settings}, with the record's component names. A change
 * names only the settings it changes; the others keep their values.
 */
final class SettingsJson {

    private static final Set<String> NAMES = Set.of("latencyMs", "errorRate", "rateLimitPerSecond",
            "timeoutAfterChargeMs", "timeoutAfterChargeRate", "timeoutAfterChargePaymentMethods", "searchLagMs",
            "seed", "achSettlementDelayMs");

    private SettingsJson() {
    }

    static Map<String, Object> toJson(SimulatorSettings settings) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("latencyMs", settings.latencyMs());
        json.put("errorRate", settings.errorRate());
        json.put("rateLimitPerSecond", settings.rateLimitPerSecond());
        json.put("timeoutAfterChargeMs", settings.timeoutAfterChargeMs());
        json.put("timeoutAfterChargeRate", settings.timeoutAfterChargeRate());
        json.put("timeoutAfterChargePaymentMethods", new TreeSet<>(settings.timeoutAfterChargePaymentMethods()));
        json.put("searchLagMs", settings.searchLagMs());
        json.put("seed", settings.seed());
        json.put("achSettlementDelayMs", settings.achSettlementDelayMs());
        return json;
    }

    /**
     * @throws IllegalArgumentException naming the setting, if a name is unknown or a value has the wrong type
     *                                  or range
     */
    static SimulatorSettings apply(SimulatorSettings current, JsonNode changes) {
        if (changes == null || !changes.isObject()) {
            throw new IllegalArgumentException("settings must be a JSON object, e.g. {\"errorRate\": 0.1}");
        }
        SimulatorSettings.Builder next = current.toBuilder();
        for (Map.Entry<String, JsonNode> field : changes.properties()) {
            apply(next, field.getKey(), field.getValue());
        }
        return next.build();
    }

    private static void apply(SimulatorSettings.Builder next, String name, JsonNode value) {
        switch (name) {
            case "latencyMs" -> next.latencyMs(wholeNumber(name, value));
            case "errorRate" -> next.errorRate(number(name, value));
            case "rateLimitPerSecond" -> next.rateLimitPerSecond(intNumber(name, value));
            case "timeoutAfterChargeMs" -> next.timeoutAfterChargeMs(wholeNumber(name, value));
            case "timeoutAfterChargeRate" -> next.timeoutAfterChargeRate(number(name, value));
            case "timeoutAfterChargePaymentMethods" -> next.timeoutAfterChargePaymentMethods(strings(name, value));
            case "searchLagMs" -> next.searchLagMs(wholeNumber(name, value));
            case "seed" -> next.seed(wholeNumber(name, value));
            case "achSettlementDelayMs" -> next.achSettlementDelayMs(wholeNumber(name, value));
            default -> throw new IllegalArgumentException(
                    "unknown setting '" + name + "'; known settings: " + new TreeSet<>(NAMES));
        }
    }

    private static long wholeNumber(String name, JsonNode value) {
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new IllegalArgumentException(name + " must be a whole number, was " + value);
        }
        return value.longValue();
    }

    private static int intNumber(String name, JsonNode value) {
        if (!value.canConvertToInt()) {
            throw new IllegalArgumentException(name + " must be a whole number up to " + Integer.MAX_VALUE
                    + ", was " + value);
        }
        return (int) wholeNumber(name, value);
    }

    private static double number(String name, JsonNode value) {
        if (!value.isNumber()) {
            throw new IllegalArgumentException(name + " must be a number, was " + value);
        }
        return value.doubleValue();
    }

    private static Set<String> strings(String name, JsonNode value) {
        if (!value.isArray()) {
            throw new IllegalArgumentException(name + " must be an array of strings, was " + value);
        }
        Set<String> strings = new TreeSet<>();
        for (JsonNode element : value) {
            if (!element.isTextual()) {
                throw new IllegalArgumentException(name + " must be an array of strings, was " + value);
            }
            strings.add(element.textValue());
        }
        return strings;
    }
}
