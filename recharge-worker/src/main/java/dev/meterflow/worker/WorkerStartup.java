package dev.meterflow.worker;

import dev.meterflow.config.AppConfig.ConfigException;
import dev.meterflow.config.KafkaKeys;
import dev.meterflow.startup.KafkaStartupChecks;
import dev.meterflow.startup.ShutdownSignal;
import dev.meterflow.topics.Topics;
import dev.meterflow.worker.config.WorkerConfig;
import dev.meterflow.worker.gateway.stripe.StripeGateway;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the recharge worker checks before it starts: its Kafka client settings as Kafka validates them, the
 * cluster answering, its topics present, and the gateway accepting its key.
 */
final class WorkerStartup {

    private static final Logger log = LoggerFactory.getLogger(WorkerStartup.class);

    /** Every topic the worker reads or writes. */
    static final List<String> TOPICS = List.of(Topics.RECHARGE_REQUESTS.name(), Topics.PAYMENT_RESULTS.name(),
            Topics.RECEIPTS.name(), Topics.BILLING_NOTIFICATIONS.name(), Topics.RECHARGE_ATTEMPTS.name(),
            Topics.RECHARGE_REQUESTS_DLQ.name());

    private WorkerStartup() {
    }

    /** {@code true} once the cluster answers and the topics exist; {@code false} if SIGTERM came first. */
    static boolean clusterReady(WorkerConfig config, ShutdownSignal signal) throws InterruptedException {
        Map<String, Object> clients = config.kafkaClientProperties();
        validateClients(clients);
        try (KafkaStartupChecks checks = KafkaStartupChecks.open(adminSettings(clients))) {
            if (!checks.awaitCluster(signal)) {
                return false;
            }
            checks.requireTopics(TOPICS, List.of());
            return true;
        }
    }

    /** The consumer's and producer's settings as Kafka itself validates them, before any client is made. */
    static void validateClients(Map<String, Object> clients) {
        Map<String, Object> consumer = new HashMap<>(clients);
        consumer.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        consumer.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        Map<String, Object> producer = new HashMap<>(clients);
        producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        producer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        try {
            new ConsumerConfig(consumer);
            new ProducerConfig(producer);
        } catch (org.apache.kafka.common.config.ConfigException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /** A refused key stops the worker; a gateway that does not answer yet does not (requests wait for it). */
    static void requireGatewayKey(StripeGateway gateway, String baseUrl) {
        switch (gateway.checkApiKey()) {
            case ACCEPTED -> log.info("gateway accepted the api key gateway='{}'", baseUrl);
            case REFUSED -> throw new ConfigException("the gateway at " + baseUrl + " refused "
                    + WorkerConfig.GATEWAY_API_KEY.name() + " (401): set the right key in "
                    + "METERFLOW_GATEWAY_API_KEY or the file named by " + WorkerConfig.GATEWAY_API_KEY_FILE.name());
            case NOT_ANSWERED -> log.warn("gateway key not checked gateway='{}'; requests wait until the gateway "
                    + "answers", baseUrl);
        }
    }

    private static Map<String, Object> adminSettings(Map<String, Object> clients) {
        Map<String, Object> admin = new HashMap<>();
        clients.forEach((key, value) -> {
            if (AdminClientConfig.configDef().names().contains(key)
                    || key.startsWith(KafkaKeys.CONFIG_PROVIDERS_PREFIX)) {
                admin.put(key, value);
            }
        });
        return admin;
    }
}
