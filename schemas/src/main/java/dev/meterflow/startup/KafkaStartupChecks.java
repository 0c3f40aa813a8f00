package dev.meterflow.startup;

import dev.meterflow.config.AppConfig.ConfigException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An app's questions to the cluster before it starts anything: are the client settings usable, does the
 * cluster answer (reported within seconds while the app keeps asking), do the topics it needs exist and
 * are the ones it reads together co-partitioned. Each problem is one line naming what to fix.
 */
public final class KafkaStartupChecks implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaStartupChecks.class);
    private static final Duration ATTEMPT = Duration.ofSeconds(5);
    private static final Duration PAUSE = Duration.ofSeconds(1);
    /** While the cluster does not answer, the warning is repeated about once a minute, not once a second. */
    private static final int ATTEMPTS_PER_WARNING = 10;

    private final Admin admin;
    private final String bootstrapServers;

    private KafkaStartupChecks(Admin admin, String bootstrapServers) {
        this.admin = admin;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * An admin client on the app's own client settings (security included), created only once
     * {@code bootstrap.servers} is well-formed and resolves.
     */
    public static KafkaStartupChecks open(Map<String, Object> adminSettings) {
        Object bootstrap = adminSettings.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
        String bootstrapServers = bootstrap instanceof Collection<?> list
                ? list.stream().map(String::valueOf).collect(Collectors.joining(",")) : (String) bootstrap;
        BootstrapServers.requireResolvable(bootstrapServers);
        Map<String, Object> settings = new HashMap<>(adminSettings);
        settings.put(AdminClientConfig.CLIENT_ID_CONFIG, "meterflow-startup-checks");
        // the client's own warning per failed connection would repeat every second
        settings.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 5_000);
        try {
            return new KafkaStartupChecks(Admin.create(settings), bootstrapServers);
        } catch (KafkaException e) {
            throw new ConfigException("Kafka client settings: " + rootMessage(e));
        }
    }

    /**
     * Waits until the cluster answers, warning in one line within seconds if it does not.
     *
     * @return {@code false} when a stop was asked for before it answered
     */
    public boolean awaitCluster(ShutdownSignal signal) throws InterruptedException {
        int failures = 0;
        while (!signal.isRequested()) {
            try {
                String clusterId = admin.describeCluster(new DescribeClusterOptions()
                        .timeoutMs((int) ATTEMPT.toMillis())).clusterId().get();
                log.info("kafka reachable bootstrap.servers='{}' clusterId='{}'", bootstrapServers, clusterId);
                return true;
            } catch (ExecutionException e) {
                refusedIfAuthentication(e.getCause());
                if (failures++ % ATTEMPTS_PER_WARNING == 0) {
                    log.warn("kafka not reachable bootstrap.servers='{}' waited={}s; still trying: {}",
                            bootstrapServers, ATTEMPT.toSeconds(), e.getCause().toString());
                }
            }
            signal.await(PAUSE);
        }
        return false;
    }

    /** Every needed topic exists and each group of topics read together has one partition count. */
    public void requireTopics(Collection<String> needed, Collection<Set<String>> readTogether)
            throws InterruptedException {
        try {
            Set<String> existing = admin.listTopics().names().get(ATTEMPT.toMillis() * 6, TimeUnit.MILLISECONDS);
            TopicRequirements.missing(needed, existing).ifPresent(problem -> {
                throw new ConfigException(problem);
            });
            Set<String> grouped = readTogether.stream().flatMap(Set::stream).collect(Collectors.toSet());
            Map<String, Integer> partitions = new TreeMap<>();
            admin.describeTopics(grouped).allTopicNames().get(ATTEMPT.toMillis() * 6, TimeUnit.MILLISECONDS)
                    .forEach((name, description) -> partitions.put(name, description.partitions().size()));
            TopicRequirements.coPartitioning(partitions, readTogether).ifPresent(problem -> {
                throw new ConfigException(problem);
            });
        } catch (ExecutionException e) {
            refusedIfAuthentication(e.getCause());
            throw new IllegalStateException("cannot check the topics at bootstrap.servers='" + bootstrapServers
                    + "': " + rootMessage(e), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot check the topics at bootstrap.servers='" + bootstrapServers
                    + "': no answer within " + ATTEMPT.multipliedBy(6).toSeconds() + "s", e);
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }

    private void refusedIfAuthentication(Throwable cause) {
        if (cause instanceof AuthenticationException || cause instanceof AuthorizationException) {
            throw new ConfigException("Kafka at bootstrap.servers='" + bootstrapServers + "' refused this app's "
                    + "credentials or ACLs: " + cause.getMessage());
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
