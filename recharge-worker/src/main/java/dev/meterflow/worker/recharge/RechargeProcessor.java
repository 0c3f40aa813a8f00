package dev.meterflow.worker.recharge;

import dev.meterflow.schemas.PaymentMethodRef;
import dev.meterflow.schemas.RechargeRequest;
import dev.meterflow.worker.attempts.AttemptLogEntry;
import dev.meterflow.worker.attempts.AttemptStore;
import dev.meterflow.worker.gateway.ChargeCommand;
import dev.meterflow.worker.gateway.GatewayAnswer;
import dev.meterflow.worker.gateway.PaymentGateway;
import dev.meterflow.worker.gateway.RateLimiter;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries one recharge request through the gateway: asks {@link AttemptPlan} what to do, records each
 * attempt in the {@link AttemptStore} before calling the gateway and again with its answer, and stops with a
 * result, or holds the request when a card's outcome stays unknown. Resuming after a crash is the same call:
 * the recorded attempts make the plan pick up where it stopped, with the same idempotency keys.
 */
public final class RechargeProcessor {

    private static final Logger log = LoggerFactory.getLogger(RechargeProcessor.class);

    private final PaymentGateway gateway;
    private final AttemptStore attempts;
    private final AttemptPlan plan;
    private final RateLimiter rateLimiter;
    private final Duration unknownRetryBackoff;
    private final int maxRateLimitedWaits;
    private final Clock clock;
    private volatile Runnable onPassedOver = () -> { };

    public RechargeProcessor(PaymentGateway gateway, AttemptStore attempts, AttemptPlan plan, RateLimiter rateLimiter,
                             Duration unknownRetryBackoff, int maxRateLimitedWaits, Clock clock) {
        this.gateway = gateway;
        this.attempts = attempts;
        this.plan = plan;
        this.rateLimiter = rateLimiter;
        this.unknownRetryBackoff = unknownRetryBackoff;
        this.maxRateLimitedWaits = maxRateLimitedWaits;
        this.clock = clock;
    }

    /** Runs for each card passed over at its soft-decline retry limit: the operator's count of limits hit. */
    public void onPassedOver(Runnable hook) {
        this.onPassedOver = hook;
    }

    /** What became of a request. */
    public sealed interface Result {
        /** A result to publish; {@code entry} is the attempt log to mark completed once it is committed. */
        record Finished(Step.Finish finish, AttemptLogEntry entry) implements Result {
        }

        /** Refused before the gateway (the request id was used before for another amount). */
        record Refused(Step.Finish finish, String reason) implements Result {
        }

        /** A card's outcome is unknown: ask again later; no other card may be charged meanwhile. */
        record Held(String paymentMethodId, String reason) implements Result {
        }

        /** This request's result was committed before (a duplicate or redelivered request): nothing to do. */
        record AlreadyCompleted(String status) implements Result {
        }

        /**
         * A bank debit was sent and is processing (issue 10 §2): park the request ({@code entry}) and look again
         * later with {@link #settle}; no other method may be charged meanwhile.
         */
        record Processing(AttemptLogEntry entry, String paymentMethodId) implements Result {
        }

        /** The request was parked before, its bank debit processing: the settlement poll finishes it, not the input. */
        record AlreadyParked() implements Result {
        }
    }

    /** Carries a request read from the input as far as it goes now. */
    public Result process(RechargeRequest request) throws InterruptedException {
        return run(request, false);
    }

    /**
     * Carries a parked request on: asks the gateway whether its bank debit settled, and if it did, finishes the
     * request (a returned debit moves on to the request's next method, as any decline does).
     */
    public Result settle(RechargeRequest request) throws InterruptedException {
        return run(request, true);
    }

    private Result run(RechargeRequest request, boolean settling) throws InterruptedException {
        Optional<AttemptLogEntry> known = attempts.find(request.getRequestId());
        if (known.isPresent() && known.get().amountCents() != request.getAmountCents()) {
            String reason = "request id '" + request.getRequestId() + "' was used for " + known.get().amountCents()
                    + " cents, now " + request.getAmountCents() + " cents: refused before the gateway";
            return new Result.Refused(new Step.Finish(Step.Status.FAILED, null, null, List.of()), reason);
        }
        if (known.isPresent() && known.get().isCompleted()) {
            return new Result.AlreadyCompleted(known.get().completedStatus());
        }
        if (known.isPresent() && known.get().isParked() && !settling) {
            return new Result.AlreadyParked();
        }
        AttemptLogEntry entry = known.orElseGet(() -> AttemptLogEntry.opened(request.getRequestId(),
                request.getAccountId(), request.getAmountCents()).withCardDetails(HardDeclines.detailsOf(request)));
        List<String> methodIds = request.getPaymentMethods().stream().map(PaymentMethodRef::getPaymentMethodId).toList();
        boolean reconciled = false;
        // one look at a processing debit per run, and none right after the charge that answered processing
        boolean settlementChecked = false;
        Set<String> reportedPassedOver = new HashSet<>();
        while (true) {
            long now = now();
            Step step = plan.next(request.getRequestId(), methodIds, entry.attempts(),
                    cardHistory(request, methodIds, now), now);
            reportPassedOver(request, step, reportedPassedOver);
            if (step instanceof Step.Finish finish) {
                return new Result.Finished(finish, entry);
            }
            if (step instanceof Step.Hold hold) {
                if (reconciled) {
                    log.warn("recharge held for reconciliation requestId='{}' account='{}' paymentMethod='{}'",
                            request.getRequestId(), request.getAccountId(), hold.paymentMethodId());
                    return new Result.Held(hold.paymentMethodId(), "outcome unknown after retries and a look-up");
                }
                reconciled = true;
                entry = reconcile(request, entry, hold);
                continue;
            }
            if (step instanceof Step.AwaitSettlement await) {
                if (settlementChecked) {
                    return new Result.Processing(entry, await.paymentMethodId());
                }
                settlementChecked = true;
                entry = checkSettlement(request, entry, await);
                continue;
            }
            Step.Charge charge = (Step.Charge) step;
            if (entry.attempts().stream().anyMatch(a -> a.paymentMethodId().equals(charge.paymentMethodId())
                    && a.unresolved())) {
                TimeUnit.MILLISECONDS.sleep(unknownRetryBackoff.toMillis());
            }
            entry = charge(request, entry, charge);
            settlementChecked = entry.attempts().get(entry.attempts().size() - 1).processing();
        }
    }

    /**
     * Asks the gateway about a processing bank debit: its answer replaces the processing attempt once it settled
     * (SUCCEEDED, or declined with the bank's return code); while it is processing, or the gateway does not answer,
     * the entry stays as it was.
     */
    private AttemptLogEntry checkSettlement(RechargeRequest request, AttemptLogEntry entry,
                                            Step.AwaitSettlement await) throws InterruptedException {
        if (await.paymentIntentId() == null) {
            log.warn("processing bank debit without a payment intent id requestId='{}' paymentMethod='{}'",
                    request.getRequestId(), await.paymentMethodId());
            return entry;
        }
        rateLimiter.acquire();
        GatewayAnswer answer = gateway.retrieve(await.paymentIntentId());
        if (answer.kind() == GatewayAnswer.Kind.PROCESSING || answer.kind() == GatewayAnswer.Kind.UNKNOWN
                || answer.kind() == GatewayAnswer.Kind.RATE_LIMITED) {
            return entry;
        }
        Attempt processing = entry.attempts().get(entry.attempts().size() - 1);
        log.info("bank debit settled requestId='{}' account='{}' paymentMethod='{}' outcome={} declineCode={}",
                request.getRequestId(), request.getAccountId(), await.paymentMethodId(), answer.kind(),
                answer.declineCode());
        return record(entry.withLast(processing.answered(answer, now())));
    }

    /**
     * The attempt log's view of the request's cards: hard declines of the details the request names, and soft
     * declines within the longest window.
     */
    private CardHistory cardHistory(RechargeRequest request, List<String> methodIds, long nowMillis) {
        long since = nowMillis - SoftDeclineLimits.THIRTY_DAYS.toMillis();
        Map<String, List<Long>> softDeclines = new HashMap<>();
        methodIds.forEach(method -> softDeclines.put(method, attempts.softDeclineTimes(method, since)));
        return new CardHistory(HardDeclines.stillSkipped(attempts.hardDeclinedCardDetails(),
                HardDeclines.detailsOf(request)), softDeclines);
    }

    /** Logs each card the plan passed over at its retry limit, once per processing of the request. */
    private void reportPassedOver(RechargeRequest request, Step step, Set<String> reported) {
        for (Step.PassedOver passedOver : step.passedOver()) {
            if (reported.add(passedOver.paymentMethodId())) {
                onPassedOver.run();
                log.info("payment method passed over requestId='{}' account='{}' paymentMethod='{}' reason={} "
                                + "softDeclinesIn24h={} softDeclinesIn30Days={}", request.getRequestId(),
                        request.getAccountId(), passedOver.paymentMethodId(), Step.PassedOver.REASON,
                        passedOver.softDeclinesInDay(), passedOver.softDeclinesIn30Days());
            }
        }
    }

    /**
     * The outcome on a card stayed unknown: ask the gateway what it holds for this request; if it holds
     * nothing, one more call with the same idempotency key (which cannot charge twice) settles it.
     */
    private AttemptLogEntry reconcile(RechargeRequest request, AttemptLogEntry entry, Step.Hold hold)
            throws InterruptedException {
        rateLimiter.acquire();
        Optional<GatewayAnswer> found = gateway.lookUp(request.getRequestId(), hold.paymentMethodId());
        if (found.isPresent() && found.get().kind() != GatewayAnswer.Kind.UNKNOWN) {
            log.info("reconciled by look-up requestId='{}' paymentMethod='{}' outcome={}", request.getRequestId(),
                    hold.paymentMethodId(), found.get().kind());
            return record(entry.with(Attempt.started(hold.paymentMethodId(), hold.idempotencyKey(), now())
                    .answered(found.get(), now())));
        }
        return charge(request, entry, new Step.Charge(hold.paymentMethodId(), hold.idempotencyKey()));
    }

    /** Records the attempt, calls the gateway (within the rate limit), records the answer. */
    private AttemptLogEntry charge(RechargeRequest request, AttemptLogEntry entry, Step.Charge charge)
            throws InterruptedException {
        PaymentMethodRef method = request.getPaymentMethods().stream()
                .filter(m -> m.getPaymentMethodId().equals(charge.paymentMethodId())).findFirst().orElseThrow();
        Attempt started = Attempt.started(charge.paymentMethodId(), charge.idempotencyKey(), now());
        AttemptLogEntry recorded = record(entry.with(started));
        ChargeCommand command = new ChargeCommand(request.getRequestId(), request.getAccountId(),
                method.getCustomerId(), method.getPaymentMethodId(), request.getAmountCents(),
                request.getCurrency().toLowerCase(java.util.Locale.ROOT), charge.idempotencyKey());
        GatewayAnswer answer = callWithinRateLimit(command);
        log.info("gateway answered requestId='{}' account='{}' paymentMethod='{}' outcome={} declineCode={}",
                request.getRequestId(), request.getAccountId(), method.getPaymentMethodId(), answer.kind(),
                answer.declineCode());
        return record(recorded.withLast(started.answered(answer, now())));
    }

    private GatewayAnswer callWithinRateLimit(ChargeCommand command) throws InterruptedException {
        GatewayAnswer answer = null;
        for (int waits = 0; waits <= maxRateLimitedWaits; waits++) {
            rateLimiter.acquire();
            answer = gateway.charge(command);
            if (answer.kind() != GatewayAnswer.Kind.RATE_LIMITED) {
                return answer;
            }
            // doubling pauses from the retry back-off; every later call waits too (the limiter is shared)
            Duration pause = unknownRetryBackoff.multipliedBy(1L << Math.min(waits, 5));
            log.warn("gateway rate limit hit requestId='{}' pausing={}", command.requestId(), pause);
            rateLimiter.backOff(pause);
        }
        // still rate limited: nothing was charged, but keep the card's fate open so no other card is tried
        return GatewayAnswer.unknown("still rate limited after " + maxRateLimitedWaits + " waits");
    }

    private AttemptLogEntry record(AttemptLogEntry entry) {
        attempts.record(entry);
        return entry;
    }

    private long now() {
        return clock.millis();
    }
}
