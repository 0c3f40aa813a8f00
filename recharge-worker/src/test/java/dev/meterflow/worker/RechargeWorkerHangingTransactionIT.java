package dev.meterflow.worker;

import static dev.meterflow.testdata.PaymentMethodBuilder.aMastercard;
import static dev.meterflow.testdata.PaymentMethodBuilder.aVisaCard;
import static dev.meterflow.testdata.RechargeRequestBuilder.aRechargeRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meterflow.schemas.PaymentResult;
import dev.meterflow.schemas.PaymentStatus;
import dev.meterflow.schemas.RechargeRequest;
import dev.meterflow.testdata.HangingTransactionBlocker;
import dev.meterflow.testdata.stack.BrokerStack;
import dev.meterflow.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * RELIABILITY.md, "A transaction left open on {@code recharge-attempts} by a broker kill stops the recharge worker
 * for good": a transaction no coordinator has open kept the attempt log's last stable offset below its end, so the
 * worker's read of the log at start-up gave up after two minutes, on every restart. The worker now has the hanging
 * transaction aborted while it reads, starts, and charges each request once.
 */
class RechargeWorkerHangingTransactionIT {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @RegisterExtension
    final WorkerStack stack = WorkerStack.perTest().withoutWorker();
    private final BrokerStack kafka = stack.kafka();

    @Test
    void shouldAbortAHangingAttemptLogTransactionThenStartAndChargeOnceEach() throws Exception {
        // given a worker that charged, then stopped
        stack.startWorker();
        List<String> requestIds = new ArrayList<>(send("before", 2));
        awaitResults(requestIds);
        stack.stopWorker();

        // and a transaction no coordinator has open on the attempt log, last written an hour ago
        TopicPartition attemptLog = new TopicPartition(Topics.RECHARGE_ATTEMPTS.name(), 0);
        HangingTransactionBlocker.hangOn(kafka.bootstrapServers(), attemptLog,
                Instant.now().minus(Duration.ofHours(1)));

        // when the worker starts again (it used to give up reading the attempt log here, on every restart)
        stack.startWorker();

        // then the hanging transaction is gone and the worker charges what comes, once each
        assertThat(openTransactions(attemptLog)).as("transactions open on %s", attemptLog).isZero();
        requestIds.addAll(send("after", 3));
        awaitResults(requestIds);
        assertChargedAndAnsweredOnceEach(requestIds);
    }

    private long openTransactions(TopicPartition partition) throws Exception {
        try (Admin admin = kafka.admin()) {
            return admin.describeProducers(List.of(partition)).partitionResult(partition).get().activeProducers()
                    .stream().filter(producer -> producer.currentTransactionStartOffset().isPresent()).count();
        }
    }

    private void assertChargedAndAnsweredOnceEach(List<String> requestIds) {
        Map<String, Long> resultsPerRequest = results().stream()
                .collect(Collectors.groupingBy(PaymentResult::getRequestId, Collectors.counting()));
        assertThat(resultsPerRequest).containsOnlyKeys(requestIds).allSatisfy((requestId, count) ->
                assertThat(count).as("payment results of %s", requestId).isEqualTo(1L));
        assertThat(results()).allSatisfy(result -> assertThat(result.getStatus()).isEqualTo(PaymentStatus.SUCCEEDED));
        assertThat(stack.simulator().successfulChargesByRequestId()).containsOnlyKeys(requestIds).allSatisfy(
                (requestId, charges) -> assertThat(charges).as("successful charges of %s", requestId).hasSize(1));
    }

    private void awaitResults(List<String> requestIds) {
        await("a payment result for each of " + requestIds).atMost(WAIT)
                .until(() -> results().stream().map(PaymentResult::getRequestId).toList().containsAll(requestIds));
    }

    /** Sends {@code count} requests, each for an account of its own; returns their request ids. */
    private List<String> send(String phase, int count) {
        List<RechargeRequest> requests = IntStream.rangeClosed(1, count)
                .mapToObj(i -> aRechargeRequest().withId("rr-hanging-" + phase + "-" + i)
                        .forAccount("acct-hanging-" + phase + "-" + i)
                        .payingWith(aVisaCard().primary(), aMastercard().backup()).build())
                .toList();
        requests.forEach(request -> kafka.send(Topics.RECHARGE_REQUESTS, request.getAccountId(), request));
        kafka.flush();
        return requests.stream().map(RechargeRequest::getRequestId).toList();
    }

    private List<PaymentResult> results() {
        return kafka.values(Topics.PAYMENT_RESULTS);
    }
}
