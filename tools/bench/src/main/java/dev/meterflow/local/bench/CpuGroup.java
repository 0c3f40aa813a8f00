package dev.meterflow.local.bench;

import java.util.List;

/**
 * Who a thread of the harness's one JVM works for, by its name: the application measured (the topology's stream
 * threads, or the baseline's copy loop), that application's Kafka client I/O threads, the embedded broker's threads
 * by kind, or the harness and the JVM's own Java threads. The broker's thread names are Kafka's own
 * ({@code data-plane-kafka-request-handler-0}, {@code TxnMarkerSenderThread-1}, ...), stable across its releases.
 */
enum CpuGroup {
    APP,
    APP_IO,
    BROKER_REQUEST_HANDLERS,
    BROKER_NETWORK,
    BROKER_TRANSACTIONS,
    BROKER_OTHER,
    JVM,
    HARNESS;

    /** The client threads Kafka names {@code <kind> | <client id>}: the producer's sender, the consumer's heartbeat. */
    private static final List<String> CLIENT_IO = List.of("kafka-producer-network-thread",
            "kafka-coordinator-heartbeat-thread", "consumer_background_thread", "kafka-admin-client-thread");
    private static final List<String> BROKER_NETWORK_NAMES = List.of("kafka-network-thread", "socket-acceptor");
    private static final List<String> BROKER_TRANSACTION_NAMES = List.of("Txn", "transaction");
    private static final List<String> BROKER_OTHER_NAMES = List.of("raft", "quorum-controller", "controller-",
            "ExpirationReaper", "kafka-scheduler", "log-cleaner", "LogDirFailureHandler", "group-coordinator",
            "share-coordinator", "lifecycle-manager", "channel-manager", "metadata-loader", "ThrottledChannelReaper",
            "broker-", "kafka-log", "ReplicaFetcherThread");
    /** The JVM's own threads that a recording shows as Java threads (the MXBean hides the compilers). */
    private static final List<String> JVM_NAMES = List.of("CompilerThread", "Sweeper thread", "JFR ",
            "Reference Handler", "Finalizer", "Common-Cleaner", "Signal Dispatcher", "Service Thread",
            "Notification Thread", "Attach Listener");

    /**
     * @param threadName the thread's name
     * @param appMarker  what the measured application's thread names and client ids contain: its application id
     *                   (the stream threads are {@code <application.id>-<uuid>-StreamThread-<n>}), or the name of
     *                   the baseline's copy thread and client ids
     */
    static CpuGroup of(String threadName, String appMarker) {
        if (CLIENT_IO.stream().anyMatch(threadName::startsWith)) {
            return threadName.contains(appMarker) ? APP_IO : HARNESS;
        }
        if (threadName.contains(appMarker)) {
            // the topology's state cleaner and the like run rarely; counted with the stream threads they serve
            return APP;
        }
        if (threadName.contains("kafka-request-handler")) {
            return BROKER_REQUEST_HANDLERS;
        }
        if (BROKER_NETWORK_NAMES.stream().anyMatch(threadName::contains)) {
            return BROKER_NETWORK;
        }
        if (BROKER_TRANSACTION_NAMES.stream().anyMatch(threadName::contains)) {
            return BROKER_TRANSACTIONS;
        }
        if (BROKER_OTHER_NAMES.stream().anyMatch(threadName::contains)) {
            return BROKER_OTHER;
        }
        if (JVM_NAMES.stream().anyMatch(threadName::contains)) {
            return JVM;
        }
        return HARNESS;
    }

    /** The name a report gives the group, the measured application named by {@code app}. */
    String label(String app) {
        return switch (this) {
            case APP -> app;
            case APP_IO -> app + ": Kafka client I/O threads";
            case BROKER_REQUEST_HANDLERS -> "broker: request handlers";
            case BROKER_NETWORK -> "broker: network threads";
            case BROKER_TRANSACTIONS -> "broker: transaction coordinator";
            case BROKER_OTHER -> "broker: other threads (controller, log, purgatories)";
            case JVM -> "JVM's Java threads (JIT compilers, JFR, reference handling)";
            case HARNESS -> "harness and other Java threads";
        };
    }
}
