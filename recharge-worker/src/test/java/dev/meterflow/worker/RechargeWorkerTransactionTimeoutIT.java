package dev.meterflow.worker;

import static dev.meterflow.testdata.PaymentMethodBuilder.aMastercard;
import static dev.meterflow.testdata.PaymentMethodBuilder.aVisaCard;
import static dev.meterflow.testdata.RechargeRequestBuilder.aRechargeRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meterflow.gatewaysim.SimulatorSettings;
import dev.meterflow.schemas.PaymentResult;
import dev.meterflow.schemas.PaymentStatus;
import dev.meterflow.schemas.RechargeRequest;
import dev.meterflow.testdata.PaymentMethodBuilder;
import dev.meterflow.testdata.stack.BrokerStack;
import dev.meterflow.topics.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * RELIABILITY.md, "The recharge worker exits after a commit timeout": a transaction of the worker that cannot end
 * while the broker is away. The fault suite saw {@code commitTransaction} time out after 60 s ({@code max.block.ms})
 * during a broker restart; the worker then stopped, and on its way out its rebalance listener's
 * {@code beginTransaction} was refused ("the previous call to commitTransaction timed out and must be retried").
 * Here {@code max.block.ms} is 2 s, set through the worker's configuration, so a transactional call times out within
 * seconds of the broker going away; the worker must wait the broker out, stay up, and give every request one result
 * and at most one charge. A broker of its own per test.
 */
class RechargeWorkerTransactionTimeoutIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    /** How long a transactional call of the worker waits before it times out: short, so a test sees many. */
    private static final Duration MAX_BLOCK = Duration.ofSeconds(2);
    /** Several timeouts long, and longer than the worker's 10 s transaction timeout. */
    private static final Duration OUTAGE = Duration.ofSeconds(20);
    /** The consumer loop thread of {@link RechargeWorkerService}: alive until the worker stops, cleanly or not. */
    private static final String WORKER_LOOP_THREAD = "recharge-worker-loop";

    @RegisterExtension
    final WorkerStack stack = WorkerStack.perTest().withoutWorker();
    private final BrokerStack kafka = stack.kafka();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private RechargeWorkerService worker;

    /**
     * The broker goes away with a finished request still to publish: its charge made and on the attempt log, its
     * transaction not begun. Right after the commit of an earlier request (the worker's own hook, on its poll
     * thread), the test waits until that request's gateway answer is recorded, then stops the broker; the next
     * transaction's calls time out for as long as it is away, longer than the transaction timeout. The worker must
     * wait, then publish the request once, whichever way the transaction ends (committed, or aborted and done again
     * from the attempt log).
     */
    @Test
    void shouldWaitOutTheBrokerWithAFinishedRequestStillToPublish() {
        worker = stack.startWorker(Map.of("max.block.ms", Long.toString(MAX_BLOCK.toMillis())), registry);
        List<String> requestIds = new ArrayList<>();
        List<String> before = send("away-before", 1);
        requestIds.addAll(before);
        awaitResults(before);

        // the second request pays with a card whose answer comes late, so the first one's transaction commits alone
        String slowCard = aMastercard().build().getPaymentMethodId();
        stack.simulator().updateSettings(SimulatorSettings.defaults().toBuilder()
                .timeoutAfterCharge(Duration.ofSeconds(2), slowCard).build());
        double succeededBefore = succeeded();
        AtomicBoolean brokerStopped = new AtomicBoolean();
        worker.afterEachCommit(() -> {
            // only the commit that carried the first request's result: not a late hook call of an earlier commit
            if (brokerStopped.get() || succeeded() < succeededBefore + 1) {
                return;
            }
            await("the slow charge's answer recorded").atMost(WAIT).until(() -> succeeded() >= succeededBefore + 2);
            kafka.stopBroker();
            brokerStopped.set(true);
        });
        List<String> during = List.of(sendOne("away-1", aVisaCard(), aMastercard()),
                sendOne("away-2", aMastercard(), aVisaCard()));
        requestIds.addAll(during);
        await("the broker stopped with the slow request's result unpublished").atMost(WAIT)
                .failFast("the recharge worker stopped", () -> !workerLoopRunning()).untilTrue(brokerStopped);
        long stoppedAt = System.nanoTime();
        await("the worker waiting for the broker to end its transaction, not ready").atMost(WAIT)
                .failFast("the recharge worker stopped", () -> !workerLoopRunning())
                .until(() -> worker.notReadyReason().orElse("").contains("Transaction waiting for the broker"));
        await("the broker away for " + OUTAGE + ", the worker waiting all along").atMost(OUTAGE.plus(WAIT))
                .failFast("the recharge worker stopped", () -> !workerLoopRunning())
                .until(() -> Duration.ofNanos(System.nanoTime() - stoppedAt).compareTo(OUTAGE) >= 0
                        && worker.notReadyReason().isPresent());
        kafka.startBroker();
        stack.simulator().updateSettings(SimulatorSettings.defaults());

        awaitResults(during);
        List<String> after = send("away-after", 2);
        requestIds.addAll(after);
        awaitResults(requestIds);

        assertChargedAndAnsweredOnceEach(requestIds);
    }

    private double succeeded() {
        Counter counter = registry.find("meterflow.recharge.outcomes").tag("outcome", "SUCCEEDED").counter();
        return counter == null ? 0 : counter.count();
    }

    /** One committed payment result and one successful charge per request, and the worker still running. */
    private void assertChargedAndAnsweredOnceEach(List<String> requestIds) {
        Map<String, Long> resultsPerRequest = results().stream()
                .collect(Collectors.groupingBy(PaymentResult::getRequestId, Collectors.counting()));
        assertThat(resultsPerRequest).containsOnlyKeys(requestIds).allSatisfy((requestId, count) ->
                assertThat(count).as("payment results of %s", requestId).isEqualTo(1L));
        assertThat(results()).allSatisfy(result -> assertThat(result.getStatus()).isEqualTo(PaymentStatus.SUCCEEDED));
        assertThat(stack.simulator().successfulChargesByRequestId()).containsOnlyKeys(requestIds).allSatisfy(
                (requestId, charges) -> assertThat(charges).as("successful charges of %s", requestId).hasSize(1));
        assertThat(workerLoopRunning()).as("the worker is still running").isTrue();
    }

    /** Waits for a committed payment result of every request, failing at once if the worker stops. */
    private void awaitResults(List<String> requestIds) {
        await("a payment result for each of " + requestIds).atMost(WAIT)
                .failFast("the recharge worker stopped", () -> !workerLoopRunning())
                .until(() -> results().stream().map(PaymentResult::getRequestId).toList()
                        .containsAll(requestIds));
    }

    private static boolean workerLoopRunning() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(thread -> WORKER_LOOP_THREAD.equals(thread.getName()) && thread.isAlive());
    }

    /** Sends {@code count} requests, each for an account of its own; returns their request ids. */
    private List<String> send(String phase, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            ids.add(sendOne(phase + "-" + i, aVisaCard(), aMastercard()));
        }
        return ids;
    }

    /** Sends one request of an account of its own; returns its id. */
    private String sendOne(String name, PaymentMethodBuilder primary, PaymentMethodBuilder backup) {
        RechargeRequest request = aRechargeRequest().withId("rr-txn-" + name).forAccount("acct-txn-" + name)
                .payingWith(primary.primary(), backup.backup()).build();
        kafka.send(Topics.RECHARGE_REQUESTS, request.getAccountId(), request);
        kafka.flush();
        return request.getRequestId();
    }

    private List<PaymentResult> results() {
        return kafka.values(Topics.PAYMENT_RESULTS);
    }
}
