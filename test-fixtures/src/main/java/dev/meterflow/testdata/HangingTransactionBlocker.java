package dev.meterflow.testdata;

import static org.awaitility.Awaitility.await;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.ResponseHeader;
import org.apache.kafka.common.requests.TxnOffsetCommitRequest;
import org.apache.kafka.common.requests.TxnOffsetCommitResponse;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Makes a hanging transaction on a real broker, the state issue 17 found a changelog in after a broker SIGKILL (and
 * the fault suite the recharge worker's attempt log):
 * a transactional record on a partition that the transaction coordinator of its producer id knows nothing of, so
 * that nobody will ever write its marker. The record is produced by a raw {@code Produce} request (version 11,
 * before transactions v2) for a producer id whose transactional id the coordinator holds with no transaction
 * open, with the broker's partition verification (KIP-890) switched off, which would otherwise refuse a
 * transactional write the coordinator does not know. Its timestamp lies in the past, as that of a transaction
 * whose producer wrote last long ago.
 */
public final class HangingTransactionBlocker {

    private static final short PRODUCE_VERSION = 11;
    private static final short TXN_OFFSET_COMMIT_VERSION = 3;

    private HangingTransactionBlocker() {
    }

    /** The producer id and epoch of the hanging transaction, once the broker has appended its record. */
    public record Hanging(long producerId, short producerEpoch) {
    }

    public static Hanging hangOn(String bootstrapServers, TopicPartition partition, Instant lastWrite) throws Exception {
        String transactionalId = "hanging-transaction-it-" + partition;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            verifyPartitions(admin, false);
            TransactionDescription producer = registeredProducer(admin, bootstrapServers, transactionalId);
            Hanging hanging = new Hanging(producer.producerId(), (short) producer.producerEpoch());
            int brokerPort = Integer.parseInt(bootstrapServers.substring(bootstrapServers.lastIndexOf(':') + 1));
            // the broker may take a moment to apply the switched-off verification
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).until(() ->
                    produce(brokerPort, partition, hanging, transactionalId, lastWrite) == Errors.NONE);
            verifyPartitions(admin, true);
            return hanging;
        }
    }

    /**
     * Makes the state KAFKA-20734 leaves after an unclean broker restart: one producer id and epoch of an
     * application's own transactional id with a transaction open on each of {@code partitions} and, by a raw
     * {@code TxnOffsetCommit}, on its group's offsets partition (re-committing {@code input}'s offset, so that
     * neither its commit nor its abort moves the group), while its coordinator holds the transactional id with no
     * transaction open, as one that completed without writing a marker.
     */
    public static Hanging orphanOn(String bootstrapServers, String transactionalId, List<TopicPartition> partitions,
            String groupId, TopicPartition input, long inputOffset) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            verifyPartitions(admin, false);
            TransactionDescription producer = registeredProducer(admin, bootstrapServers, transactionalId);
            Hanging orphan = new Hanging(producer.producerId(), (short) producer.producerEpoch());
            int brokerPort = Integer.parseInt(bootstrapServers.substring(bootstrapServers.lastIndexOf(':') + 1));
            Instant now = Instant.now();
            for (TopicPartition partition : partitions) {
                await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).until(() ->
                        produce(brokerPort, partition, orphan, transactionalId, now) == Errors.NONE);
            }
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).until(() ->
                    commitOffset(brokerPort, orphan, transactionalId, groupId, input, inputOffset) == Errors.NONE);
            verifyPartitions(admin, true);
            return orphan;
        }
    }

    private static Errors commitOffset(int brokerPort, Hanging orphan, String transactionalId, String groupId,
            TopicPartition input, long inputOffset) throws IOException {
        // generation -1 with no member id: the transactional commit the group coordinator takes in any group state
        TxnOffsetCommitRequestData data = new TxnOffsetCommitRequestData().setTransactionalId(transactionalId)
                .setGroupId(groupId).setProducerId(orphan.producerId()).setProducerEpoch(orphan.producerEpoch())
                .setGenerationIdOrMemberEpoch(-1).setMemberId("").setGroupInstanceId(null)
                .setTopics(List.of(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic()
                        .setName(input.topic()).setPartitions(List.of(
                                new TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition()
                                        .setPartitionIndex(input.partition()).setCommittedOffset(inputOffset)
                                        .setCommittedLeaderEpoch(-1).setCommittedMetadata("")))));
        ByteBuffer answer = send(brokerPort, ApiKeys.TXN_OFFSET_COMMIT, TXN_OFFSET_COMMIT_VERSION,
                TxnOffsetCommitRequest.Builder.forTopicNames(data, false).build(TXN_OFFSET_COMMIT_VERSION));
        TxnOffsetCommitResponse response = TxnOffsetCommitResponse.parse(new ByteBufferAccessor(answer),
                TXN_OFFSET_COMMIT_VERSION);
        return Errors.forCode(response.data().topics().get(0).partitions().get(0).errorCode());
    }

    private static void verifyPartitions(Admin admin, boolean enabled) throws ExecutionException,
            InterruptedException {
        ConfigResource cluster = new ConfigResource(ConfigResource.Type.BROKER, "");
        admin.incrementalAlterConfigs(Map.of(cluster, List.of(new AlterConfigOp(new ConfigEntry(
                "transaction.partition.verification.enable", String.valueOf(enabled)), AlterConfigOp.OpType.SET))))
                .all().get();
    }

    /** A producer id and epoch the coordinator has handed out, with no transaction open. */
    private static TransactionDescription registeredProducer(Admin admin, String bootstrapServers,
            String transactionalId) throws ExecutionException, InterruptedException {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
        }
        return admin.describeTransactions(List.of(transactionalId)).description(transactionalId).get();
    }

    private static Errors produce(int brokerPort, TopicPartition partition, Hanging hanging,
            String transactionalId, Instant lastWrite) throws IOException {
        MemoryRecords records = MemoryRecords.withTransactionalRecords(Compression.NONE, hanging.producerId(),
                hanging.producerEpoch(), 0, new SimpleRecord(lastWrite.toEpochMilli(),
                        "hanging".getBytes(StandardCharsets.UTF_8), "never ended".getBytes(StandardCharsets.UTF_8)));
        ProduceRequestData data = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(30_000)
                .setTransactionalId(transactionalId)
                .setTopicData(new ProduceRequestData.TopicProduceDataCollection(List.of(
                        new ProduceRequestData.TopicProduceData().setName(partition.topic()).setPartitionData(
                                List.of(new ProduceRequestData.PartitionProduceData()
                                        .setIndex(partition.partition()).setRecords(records)))).iterator()));
        ByteBuffer answer = send(brokerPort, ApiKeys.PRODUCE, PRODUCE_VERSION,
                new ProduceRequest.Builder(PRODUCE_VERSION, PRODUCE_VERSION, data).build(PRODUCE_VERSION));
        ProduceResponse response = ProduceResponse.parse(new ByteBufferAccessor(answer), PRODUCE_VERSION);
        return Errors.forCode(response.data().responses().iterator().next().partitionResponses().get(0)
                .errorCode());
    }

    /** One request on a fresh connection; the answer past its header. */
    private static ByteBuffer send(int brokerPort, ApiKeys api, short version, AbstractRequest request)
            throws IOException {
        RequestHeader header = new RequestHeader(api, version, "hanging-transaction-it", 1);
        ByteBuffer bytes = request.serializeWithHeader(header);
        try (Socket socket = new Socket("127.0.0.1", brokerPort)) {
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(bytes.remaining());
            out.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] answer = new byte[in.readInt()];
            in.readFully(answer);
            ByteBuffer buffer = ByteBuffer.wrap(answer);
            ResponseHeader.parse(buffer, api.responseHeaderVersion(version));
            return buffer;
        }
    }
}
