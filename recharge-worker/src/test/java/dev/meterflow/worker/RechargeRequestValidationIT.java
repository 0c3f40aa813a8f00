package dev.meterflow.worker;

import static dev.meterflow.testdata.PaymentMethodBuilder.aVisaCard;
import static dev.meterflow.testdata.RechargeRequestBuilder.aRechargeRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meterflow.schemas.PaymentResult;
import dev.meterflow.schemas.PaymentStatus;
import dev.meterflow.schemas.RechargeRequest;
import dev.meterflow.testdata.stack.BrokerStack;
import dev.meterflow.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 17, section 2: a request the worker could not publish the outcome of, or should not charge, is refused
 * before the gateway: nothing charged, dead-lettered with its reason, the worker still running and answering the
 * next request of the account.
 */
class RechargeRequestValidationIT {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @RegisterExtension
    static final WorkerStack stack = WorkerStack.perClass();
    private static final BrokerStack kafka = stack.kafka();

    @Test
    void shouldRefuseARequestNearTheRecordSizeLimitWithoutChargingIt() {
        // about 1,046,000 bytes of billing emails: its receipt or decline notice could not be published
        List<String> emails = IntStream.range(0, 4_220)
                .mapToObj(i -> "billing-" + "x".repeat(220) + "-" + i + "@huge.example").toList();
        RechargeRequest huge = aRechargeRequest().withId("rr-huge-1").forAccount("acct-huge")
                .payingWith(aVisaCard().primary()).billingEmails(emails.toArray(String[]::new)).build();
        byte[] value = serialize(huge);
        assertThat(value.length).isBetween(1_044_600, 1_048_000);

        send("acct-huge", value);

        ConsumerRecord<byte[], byte[]> deadLetter = awaitDeadLetter("acct-huge");
        assertThat(header(deadLetter, Topics.REASON_HEADER)).isEqualTo("TOO_MANY_RECIPIENTS");
        assertThat(deadLetter.value()).as("too large to copy with the headers").isNull();
        assertThat(header(deadLetter, "meterflow.source")).startsWith("recharge-requests/");
        assertThat(awaitResult("rr-huge-1").getStatus()).as("the pending recharge is released")
                .isEqualTo(PaymentStatus.FAILED);
        assertNeverChargedAndTheNextRequestAnswered("rr-huge-1", "acct-huge");
    }

    @Test
    void shouldRefuseRequestsWithBlankIdsWithoutChargingThem() {
        send("acct-blank", serialize(aRechargeRequest().withId(" ").forAccount("acct-blank")
                .payingWith(aVisaCard().primary()).build()));
        send("acct-blank", serialize(aRechargeRequest().withId("rr-blank-account").forAccount("")
                .payingWith(aVisaCard().primary()).build()));

        await().atMost(WAIT).until(() -> deadLetters("acct-blank").size() == 2);
        assertThat(deadLetters("acct-blank")).extracting(record -> header(record, Topics.REASON_HEADER))
                .containsExactly("BLANK_ID", "BLANK_ID");
        assertThat(stack.simulator().charges()).noneMatch(charge -> "acct-blank".equals(charge.accountId())
                || "".equals(charge.accountId()) || " ".equals(charge.requestId()));
        assertNeverChargedAndTheNextRequestAnswered("rr-blank-account", "acct-blank");
    }

    @Test
    void shouldRefuseAnOversizedRecipientListWithoutCharging() {
        String[] emails = IntStream.rangeClosed(1, 11).mapToObj(i -> "billing" + i + "@acct-many.example")
                .toArray(String[]::new);
        send("acct-many", serialize(aRechargeRequest().withId("rr-many-1").forAccount("acct-many")
                .payingWith(aVisaCard().primary()).billingEmails(emails).build()));

        ConsumerRecord<byte[], byte[]> deadLetter = awaitDeadLetter("acct-many");
        assertThat(header(deadLetter, Topics.REASON_HEADER)).isEqualTo("TOO_MANY_RECIPIENTS");
        assertThat(header(deadLetter, Topics.DETAIL_HEADER)).contains("11 billing emails, at most 10");
        assertThat(deadLetter.value()).as("the request as received").isNotNull();
        assertThat(awaitResult("rr-many-1").getStatus()).isEqualTo(PaymentStatus.FAILED);
        assertNeverChargedAndTheNextRequestAnswered("rr-many-1", "acct-many");
    }

    private void assertNeverChargedAndTheNextRequestAnswered(String refusedRequestId, String accountId) {
        String next = "rr-" + accountId + "-next";
        send(accountId, serialize(aRechargeRequest().withId(next).forAccount(accountId)
                .payingWith(aVisaCard().primary()).build()));
        assertThat(awaitResult(next).getStatus()).isEqualTo(PaymentStatus.SUCCEEDED);
        assertThat(stack.simulator().charges()).noneMatch(charge -> refusedRequestId.equals(charge.requestId()));
    }

    private static PaymentResult awaitResult(String requestId) {
        return await("a result for " + requestId).atMost(WAIT).until(() -> kafka.values(Topics.PAYMENT_RESULTS)
                .stream().filter(result -> result.getRequestId().equals(requestId)).toList(),
                list -> !list.isEmpty()).get(0);
    }

    private static ConsumerRecord<byte[], byte[]> awaitDeadLetter(String key) {
        return await("a dead letter keyed " + key).atMost(WAIT).until(() -> deadLetters(key),
                list -> !list.isEmpty()).get(0);
    }

    private static List<ConsumerRecord<byte[], byte[]>> deadLetters(String key) {
        return kafka.records(Topics.RECHARGE_REQUESTS_DLQ.name()).stream()
                .filter(record -> record.key() != null
                        && key.equals(new String(record.key(), StandardCharsets.UTF_8))).toList();
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static byte[] serialize(RechargeRequest request) {
        return Topics.RECHARGE_REQUESTS.valueSerde().serializer().serialize(Topics.RECHARGE_REQUESTS.name(), request);
    }

    private static void send(String key, byte[] value) {
        kafka.publishRaw(Topics.RECHARGE_REQUESTS.name(), key, value);
    }
}
