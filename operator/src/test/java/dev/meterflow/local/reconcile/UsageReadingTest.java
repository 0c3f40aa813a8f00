package dev.meterflow.local.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.local.reconcile.UsageAccounting.EventKey;
import dev.meterflow.schemas.LedgerEntry;
import dev.meterflow.schemas.LedgerEntryKind;
import dev.meterflow.schemas.PaymentResult;
import dev.meterflow.schemas.PaymentStatus;
import dev.meterflow.schemas.RechargeReason;
import dev.meterflow.schemas.RechargeRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 10: what reconcile reads of agencies (section 5) and of plan fees charged directly (section 3). */
class UsageReadingTest {

    @Test
    void shouldCountASubAccountsEventDebitedFromItsAgencyAsTheSubAccountsEvent() {
        LedgerEntry debit = LedgerEntry.newBuilder().setEntryId("usage:ev-1").setAccountId("agency")
                .setSourceAccountId("sub-1").setKind(LedgerEntryKind.USAGE).setSku("call.minutes.local")
                .setQuantity(60).setAmountMicros(-10_000).setBalanceAfterMicros(-10_000).setSourceId("ev-1")
                .setOccurredAt(Instant.EPOCH).setPostedAt(Instant.EPOCH).build();

        assertThat(UsageReading.debited(List.of(debit))).containsExactly(new EventKey("sub-1", "ev-1"));
    }

    @Test
    void shouldTakeThePlanFeeRequestsWithoutAResultAsTheFeesBeingCharged() {
        // given a plan fee settled, one processing, and a one-time payment processing
        List<RechargeRequest> requests = List.of(request("fee-settled", RechargeReason.PLAN_FEE_DIRECT),
                request("fee-processing", RechargeReason.PLAN_FEE_DIRECT),
                request("pay-processing", RechargeReason.ONE_TIME_PAYMENT));
        PaymentResult settled = PaymentResult.newBuilder().setRequestId("fee-settled").setAccountId("agency")
                .setReason(RechargeReason.PLAN_FEE_DIRECT).setStatus(PaymentStatus.SUCCEEDED).setAmountCents(300)
                .setAttempts(List.of()).setCompletedAt(Instant.EPOCH).build();

        assertThat(UsageReading.openPlanFees(requests, List.of(settled)))
                .containsExactly(Map.entry("fee-processing", "agency"));
    }

    private static RechargeRequest request(String requestId, RechargeReason reason) {
        return RechargeRequest.newBuilder().setRequestId(requestId).setAccountId("agency").setReason(reason)
                .setAmountCents(300).setCurrency("USD").setPaymentMethods(List.of()).setBalanceMicros(0)
                .setThresholdMicros(0).setTargetMicros(0).setRequestedAt(Instant.EPOCH).setBillingEmails(List.of())
                .setCriticalBillingPhone(null).build();
    }
}
