package dev.meterflow.metering.topology;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.TaskId;

/**
 * Counters of records the billing processor could not apply, per task, in Kafka Streams' own metrics (so
 * they show in JMX and {@code KafkaStreams#metrics()} next to the built-in ones). Group {@value #GROUP}.
 */
final class MeteringMetrics {

    static final String GROUP = "meterflow-metering";

    private final StreamsMetrics metrics;
    private final TaskId taskId;
    private final Map<String, Sensor> sensors = new HashMap<>();

    MeteringMetrics(StreamsMetrics metrics, TaskId taskId) {
        this.metrics = metrics;
        this.taskId = taskId;
    }

    /** A usage event debited (once per eventId). */
    void debitedUsage() {
        count("usage-debited-total", "Usage events debited", null, null);
    }

    /** A usage event parked on usage-unpriced, by reason. */
    void unpriced(String reason) {
        count("usage-unpriced-total", "Usage events parked on usage-unpriced", "reason", reason);
    }

    /** A sub-account's usage event sent to its agency's partition, to be debited there. */
    void routedToAgency() {
        count("usage-routed-to-agency-total", "Sub-account usage events sent to their agency's partition", null, null);
    }

    /** A usage event whose eventId was already debited. */
    void duplicateUsage() {
        count("usage-duplicate-total", "Usage events skipped because their eventId was already debited", null, null);
    }

    /** A payment result already applied, delivered again. */
    void duplicatePaymentResult() {
        count("payment-result-duplicate-total", "Payment results skipped because they were already applied", null,
                null);
    }

    /** A payment result parked because it matches no account or pending request. */
    void unmatchedPaymentResult(String reason) {
        count("payment-result-unmatched-total", "Payment results parked on payment-results-unmatched", "reason",
                reason);
    }

    /** Account settings refused (the previous ones kept), by reason. */
    void settingsRejected(String reason) {
        count("settings-rejected-total", "Account settings refused and parked on account-settings-rejected",
                "reason", reason);
    }

    /** A payment command refused (nothing charged), by reason. */
    void paymentRejected(String reason) {
        count("payment-commands-rejected-total", "Payment commands refused and parked on payment-commands-rejected",
                "reason", reason);
    }

    /** An automatic recharge still without a result after the pending timeout (reported once per request). */
    void overduePendingRecharge() {
        count("recharge-pending-overdue-total", "Automatic recharges with no result after the pending timeout", null,
                null);
    }

    /** A plan fee asked of the worker instead of debited (once per eventId). */
    void planFeeCharged() {
        count("plan-fee-direct-total", "Plan fees asked of the recharge worker instead of debited", null, null);
    }

    /** A monthly tax line debited (issue 10, §4). */
    void taxCharged() {
        count("tax-charged-total", "Monthly sales tax lines debited", null, null);
    }

    /** Taxable usage of an account and month not taxed, by reason (exempt, no address, no rate, ...). */
    void taxNotCharged(String reason) {
        count("tax-not-charged-total", "Monthly tax lines not charged (no address, no rate, exempt, ...)", "reason",
                reason);
    }

    /** A tax line whose entry id was already debited, met again (a replay). */
    void duplicateTax() {
        count("tax-duplicate-total", "Monthly tax lines skipped because their entry id was already debited", null,
                null);
    }

    void close() {
        sensors.values().forEach(metrics::removeSensor);
        sensors.clear();
    }

    private void count(String name, String description, String tagKey, String tagValue) {
        String sensorName = "meterflow." + taskId + "." + name + (tagValue == null ? "" : "." + tagValue);
        sensors.computeIfAbsent(sensorName, key -> {
            Sensor sensor = metrics.addSensor(key, Sensor.RecordingLevel.INFO);
            Map<String, String> tags = new LinkedHashMap<>();
            tags.put("thread-id", Thread.currentThread().getName());
            tags.put("task-id", taskId.toString());
            if (tagKey != null) {
                tags.put(tagKey, tagValue);
            }
            sensor.add(new MetricName(name, GROUP, description, tags), new CumulativeCount());
            return sensor;
        }).record();
    }
}
