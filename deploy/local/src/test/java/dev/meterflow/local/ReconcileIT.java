package dev.meterflow.local;

import static dev.meterflow.local.LiveRecords.settingsFor;
import static dev.meterflow.testdata.PaymentMethodBuilder.aCardWithInsufficientFunds;
import static dev.meterflow.testdata.PaymentMethodBuilder.aVisaCard;
import static dev.meterflow.testdata.TestData.LOCAL_NUMBER;
import static dev.meterflow.testdata.TestData.dollars;
import static dev.meterflow.local.LiveRecords.aUsageEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.stripe.StripeClient;
import com.stripe.net.RequestOptions;
import com.stripe.param.PaymentIntentCreateParams;
import dev.meterflow.local.deadletter.DeadLetter;
import dev.meterflow.local.reconcile.ChargeSource;
import dev.meterflow.local.reconcile.Check;
import dev.meterflow.local.reconcile.Difference;
import dev.meterflow.local.reconcile.Reconciliation;
import dev.meterflow.local.reconcile.ReconciliationReport;
import dev.meterflow.local.reconcile.StripeChargeSource;
import dev.meterflow.local.reconcile.UsageAccounting;
import dev.meterflow.schemas.AccountBalance;
import dev.meterflow.schemas.LedgerEntry;
import dev.meterflow.schemas.LedgerEntryKind;
import dev.meterflow.schemas.PaymentResult;
import dev.meterflow.schemas.PaymentStatus;
import dev.meterflow.schemas.RechargeReason;
import dev.meterflow.topics.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code meterflow reconcile} after a real recharge flow on a real broker: nothing to report, then each planted
 * difference (a forged payment result, a ledger entry written behind the topology's back, a second charge of a
 * request at the gateway) reported with its account and request.
 */
class ReconcileIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path workDir;

    @RegisterExtension
    static final RunningPipeline pipeline = RunningPipeline.perClass("meterflow-reconcile-it");
    private static final EndToEndCluster cluster = pipeline.cluster();

    @Test
    void shouldFindNothingAfterARealRechargeFlowAndThenEveryPlantedDifference() throws Exception {
        // given an account charged and credited twice, and one whose card declines
        String paid = "acct-reconcile-paid";
        String declined = "acct-reconcile-declined";
        cluster.publish(Topics.ACCOUNT_SETTINGS, paid, settingsFor(paid).topUpTo(dollars(50)).whenBelow(dollars(15))
                .paymentMethods(aVisaCard()).build());
        cluster.publish(Topics.ACCOUNT_SETTINGS, declined, settingsFor(declined).topUpTo(dollars(50))
                .whenBelow(dollars(15)).paymentMethods(aCardWithInsufficientFunds()).build());
        awaitRechargeEntries(paid, 1);
        for (int i = 1; i <= 12; i++) { // $36.00 of numbers: under the $15 threshold, a second recharge
            cluster.publish(Topics.USAGE_EVENTS, paid, aUsageEvent().withEventId("reconcile-number-" + i)
                    .forAccount(paid).sku(LOCAL_NUMBER).quantity(1).build());
        }
        awaitRechargeEntries(paid, 2);
        await().atMost(WAIT).until(() -> cluster.values(Topics.PAYMENT_RESULTS, declined), results -> !results.isEmpty());

        // when the pipeline has settled: with no grace at all, nothing is open and nothing differs
        Reconciliation.Options options = Reconciliation.Options.of(cluster.bootstrapServers())
                .withGateway(ChargeSource.of(pipeline.gateway())).withGrace(Duration.ZERO);
        ReconciliationReport clean = await().atMost(WAIT).until(() -> Reconciliation.run(options),
                report -> report.ok() && report.open().isEmpty());

        // then every record was compared
        assertThat(clean.gatewayChecked()).isTrue();
        assertThat(clean.counts().accounts()).isEqualTo(2);
        assertThat(clean.counts().requests()).isEqualTo(3);
        assertThat(clean.counts().results()).isEqualTo(3);
        assertThat(clean.counts().succeeded()).isEqualTo(2);
        assertThat(clean.counts().credits()).isEqualTo(2);
        assertThat(clean.counts().receipts()).isEqualTo(2);
        assertThat(clean.counts().receiptNotices()).isEqualTo(2);
        assertThat(clean.counts().charges()).isEqualTo(2);
        assertThat(clean.counts().ledgerEntries()).isEqualTo(14);
        // and each usage record was accounted for (issue 16, item 3)
        assertThat(clean.usage()).allSatisfy(partition -> assertThat(partition.lost()).isZero());
        assertThat(clean.usage().stream().mapToLong(UsageAccounting.PartitionFigures::debited).sum()).isEqualTo(12);
        // and the gateway as Stripe's search shows it agrees with the simulator's own ledger
        assertThat(Reconciliation.run(options.withGateway(new StripeChargeSource(pipeline.gateway().baseUrl(),
                EndToEndCluster.GATEWAY_API_KEY))).differences()).isEmpty();
        assertThat(cli("--gateway-base-url", pipeline.gateway().baseUrl())).isEqualTo(0);

        // when a payment result nobody asked for, a ledger entry behind the topology's back and a second charge
        // of a credited request are planted
        Instant forgedAt = Instant.now().minus(Duration.ofMinutes(5));
        cluster.publish(Topics.PAYMENT_RESULTS, paid, PaymentResult.newBuilder().setRequestId("rr-forged")
                .setAccountId(paid).setReason(RechargeReason.AUTO_RECHARGE).setStatus(PaymentStatus.SUCCEEDED)
                .setAmountCents(9_900).setAttempts(List.of()).setCompletedAt(forgedAt).build());
        AccountBalance balance = cluster.latest(Topics.ACCOUNT_BALANCES, declined).orElseThrow();
        cluster.publish(Topics.LEDGER_ENTRIES, declined, LedgerEntry.newBuilder().setEntryId("adjustment:planted")
                .setAccountId(declined).setSourceAccountId(declined).setKind(LedgerEntryKind.ADJUSTMENT)
                .setQuantity(0).setAmountMicros(1_000_000).setBalanceAfterMicros(balance.getBalanceMicros() + 1_000_000)
                .setSourceId("planted").setOccurredAt(forgedAt).setPostedAt(forgedAt).build());
        String credited = cluster.values(Topics.PAYMENT_RESULTS, paid).get(0).getRequestId();
        chargeAgain(paid, credited);

        // then each is reported, with its account and request, and nothing else
        ReconciliationReport planted = Reconciliation.run(options);
        assertThat(planted.differences()).extracting(Difference::check, Difference::accountId, Difference::requestId)
                .containsExactlyInAnyOrder(
                        tuple(Check.LEDGER, declined, null),
                        tuple(Check.RESULTS, paid, "rr-forged"),
                        tuple(Check.CHARGES, paid, credited));
        assertThat(planted.differences(Check.LEDGER).get(0).detail())
                .contains("account-balances says 0 micros", "sum to 1000000 micros");
        assertThat(planted.differences(Check.CHARGES).get(0).detail()).contains("charged 2 times", "duplicate charge");
        // and the command says so, with exit code 1
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(cli(out, "--gateway-base-url", pipeline.gateway().baseUrl())).isEqualTo(1);
        System.out.print(out.toString(StandardCharsets.UTF_8)); // the operator's view, in the test log
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("DIFF RESULTS account='" + paid + "' requestId='rr-forged': payment result SUCCEEDED for "
                        + "9900 cents with no recharge request")
                .contains("3 DIFFERENCES");
        // and without a gateway the charge check is skipped, and said to be
        ByteArrayOutputStream withoutGateway = new ByteArrayOutputStream();
        assertThat(cli(withoutGateway)).isEqualTo(1);
        assertThat(withoutGateway.toString(StandardCharsets.UTF_8))
                .contains("[skipped] receipts = the gateway's charges: no gateway given").contains("2 DIFFERENCES");
    }

    @Test
    void shouldCountAnUndecodablePaymentResultThatMeteringDeadLetteredAndNotReportItAsADifference() {
        // given garbage on payment-results, which the metering app dead-letters (issue 16)
        RecordMetadata garbage = cluster.publishRaw(Topics.PAYMENT_RESULTS.name(), "acct-reconcile-garbage",
                "\u0007garbage".getBytes(StandardCharsets.UTF_8));
        DeadLetter.Location source = new DeadLetter.Location(garbage.topic(), garbage.partition(), garbage.offset());
        await().atMost(WAIT).until(() -> cluster.records(Topics.METERING_DLQ.name(), IsolationLevel.READ_COMMITTED)
                .stream().anyMatch(record -> source.equals(sourceOf(record))));

        // when
        ReconciliationReport report = Reconciliation.run(Reconciliation.Options.of(cluster.bootstrapServers())
                .withGrace(Duration.ZERO));

        // then it is counted as dead-lettered, never a result nor a difference
        assertThat(report.counts().undecodableDeadLettered()).isPositive();
        assertThat(report.differences()).noneMatch(difference -> difference.detail().contains(source.toString()));
    }

    private static DeadLetter.Location sourceOf(ConsumerRecord<byte[], byte[]> deadLetter) {
        return DeadLetter.of(new DeadLetter.Location(deadLetter.topic(), deadLetter.partition(), deadLetter.offset()),
                deadLetter.key(), deadLetter.value(), deadLetter.headers()).source();
    }

    /** A second successful PaymentIntent for a request, as a worker that lost its idempotency key would make. */
    private static void chargeAgain(String account, String requestId) throws Exception {
        StripeClient stripe = StripeClient.builder().setApiKey(EndToEndCluster.GATEWAY_API_KEY)
                .setApiBase(pipeline.gateway().baseUrl()).build();
        stripe.v1().paymentIntents().create(PaymentIntentCreateParams.builder().setAmount(5_000L).setCurrency("usd")
                .setCustomer("cus_" + account).setPaymentMethod("pm_card_visa").setConfirm(true).setOffSession(true)
                .putMetadata("requestId", requestId).putMetadata("accountId", account).build(),
                RequestOptions.builder().setIdempotencyKey("planted/" + requestId).build());
    }

    private static void awaitRechargeEntries(String account, int count) {
        await().atMost(WAIT).until(() -> cluster.values(Topics.LEDGER_ENTRIES, account).stream()
                .filter(entry -> entry.getKind() == LedgerEntryKind.RECHARGE).count() >= count);
    }

    private static int cli(String... gatewayArgs) throws Exception {
        return cli(new ByteArrayOutputStream(), gatewayArgs);
    }

    /** Runs {@code meterflow reconcile} in this JVM, the API key from a file, what it prints into {@code out}. */
    private static int cli(ByteArrayOutputStream out, String... gatewayArgs) throws Exception {
        Path keyFile = Files.writeString(workDir.resolve("gateway.key"), EndToEndCluster.GATEWAY_API_KEY + "\n");
        List<String> args = new java.util.ArrayList<>(List.of("reconcile", "--bootstrap-servers",
                cluster.bootstrapServers(), "--grace", "0s"));
        if (gatewayArgs.length > 0) {
            args.addAll(List.of(gatewayArgs));
            args.addAll(List.of("--gateway-api-key-file", keyFile.toString()));
        }
        PrintStream original = System.out;
        try (PrintStream capture = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            return MeterflowCli.commandLine().execute(args.toArray(String[]::new));
        } finally {
            System.setOut(original);
        }
    }
}
