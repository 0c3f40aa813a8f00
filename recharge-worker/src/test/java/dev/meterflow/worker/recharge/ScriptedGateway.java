package dev.meterflow.worker.recharge;

import dev.meterflow.worker.gateway.ChargeCommand;
import dev.meterflow.worker.gateway.GatewayAnswer;
import dev.meterflow.worker.gateway.PaymentGateway;
import dev.meterflow.worker.testdata.Attempts.GatewayAnswers;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A fake gateway that behaves like Stripe toward idempotency keys: each payment method answers from its own
 * script, a key that was settled (charged or declined) replays its first answer instead of charging again, and
 * a look-up finds what the gateway holds for the key. Every call is kept, with its idempotency key.
 * A call with nothing scripted and nothing to replay fails the test.
 */
final class ScriptedGateway implements PaymentGateway {

    /** What the gateway (or the network in front of it) does with one call. */
    sealed interface Behaviour {
    }

    /** The gateway answers (a key settled before replays its first answer instead). */
    record Answers(GatewayAnswer answer) implements Behaviour {
    }

    /** The call is lost on the way, or the gateway times out: nothing happens, the outcome is unknown. */
    record TimesOut() implements Behaviour {
    }

    /** The gateway charges the card but the answer is lost: the worker sees an unknown outcome. */
    record ChargesButTheAnswerIsLost(String chargeId) implements Behaviour {
    }

    /** 429: nothing processed. */
    record RateLimited() implements Behaviour {
    }

    private final Map<String, Deque<Behaviour>> scripts = new HashMap<>();
    private final Map<String, GatewayAnswer> settledByKey = new HashMap<>();
    private final List<String> chargesMade = new ArrayList<>();
    private final List<ChargeCommand> calls = new ArrayList<>();
    private final List<String> lookUps = new ArrayList<>();
    /** payment intent id -> what each retrieve answers, in order; the last answer stays */
    private final Map<String, Deque<GatewayAnswer>> retrieves = new HashMap<>();
    private final List<String> retrieved = new ArrayList<>();
    private final Consumer<ChargeCommand> beforeEachCall;
    private Behaviour whenScriptRunsOut;

    /** @param beforeEachCall sees every call as it arrives, before the gateway acts on it */
    ScriptedGateway(Consumer<ChargeCommand> beforeEachCall) {
        this.beforeEachCall = beforeEachCall;
    }

    static Behaviour succeeds(String chargeId) {
        return new Answers(GatewayAnswers.succeeded(chargeId));
    }

    static Behaviour declinesHard(String declineCode) {
        return new Answers(GatewayAnswers.declinedHard(declineCode));
    }

    static Behaviour declinesSoft(String declineCode) {
        return new Answers(GatewayAnswers.declinedSoft(declineCode));
    }

    static Behaviour refusesTheRequest(String errorCode) {
        return new Answers(GatewayAnswers.error(errorCode));
    }

    /** A bank debit accepted and processing: it settles as {@link #settles} scripts it. */
    static Behaviour processing(String paymentIntentId) {
        return new Answers(GatewayAnswer.processing(paymentIntentId));
    }

    static Behaviour timesOut() {
        return new TimesOut();
    }

    static Behaviour chargesButTheAnswerIsLost(String chargeId) {
        return new ChargesButTheAnswerIsLost(chargeId);
    }

    static Behaviour rateLimited() {
        return new RateLimited();
    }

    static Behaviour[] times(int count, Behaviour behaviour) {
        return Collections.nCopies(count, behaviour).toArray(Behaviour[]::new);
    }

    /** Scripts the next calls on a payment method, in order. */
    ScriptedGateway on(String paymentMethodId, Behaviour... behaviours) {
        scripts.computeIfAbsent(paymentMethodId, pm -> new ArrayDeque<>()).addAll(List.of(behaviours));
        return this;
    }

    /** For property tests: what every call does once a method's script is used up (instead of failing). */
    ScriptedGateway thenForEveryMethod(Behaviour behaviour) {
        this.whenScriptRunsOut = behaviour;
        return this;
    }

    /** What retrieving this payment intent answers, call after call; the last answer stays. */
    ScriptedGateway settles(String paymentIntentId, GatewayAnswer... answers) {
        retrieves.computeIfAbsent(paymentIntentId, id -> new ArrayDeque<>()).addAll(List.of(answers));
        return this;
    }

    @Override
    public GatewayAnswer retrieve(String paymentIntentId) {
        retrieved.add(paymentIntentId);
        Deque<GatewayAnswer> answers = retrieves.get(paymentIntentId);
        if (answers == null || answers.isEmpty()) {
            throw new AssertionError("unexpected retrieve of " + paymentIntentId);
        }
        return answers.size() > 1 ? answers.poll() : answers.peek();
    }

    /** The payment intents retrieved, in order. */
    List<String> retrieved() {
        return List.copyOf(retrieved);
    }

    /** The gateway already holds a charge for this key (made by a call whose answer the worker never saw). */
    ScriptedGateway alreadyCharged(String idempotencyKey, String chargeId) {
        settle(idempotencyKey, GatewayAnswers.succeeded(chargeId));
        return this;
    }

    @Override
    public GatewayAnswer charge(ChargeCommand command) {
        calls.add(command);
        beforeEachCall.accept(command);
        Behaviour behaviour = nextBehaviour(command);
        if (behaviour instanceof TimesOut) {
            return GatewayAnswers.unknown();
        }
        if (behaviour instanceof RateLimited) {
            return GatewayAnswers.rateLimited();
        }
        if (behaviour instanceof ChargesButTheAnswerIsLost lost) {
            settle(command.idempotencyKey(), GatewayAnswers.succeeded(lost.chargeId()));
            return GatewayAnswers.unknown();
        }
        GatewayAnswer settled = settledByKey.get(command.idempotencyKey());
        if (settled != null) {
            return settled; // Stripe replays the first answer to a key
        }
        GatewayAnswer answer = ((Answers) behaviour).answer();
        if (answer.kind() != GatewayAnswer.Kind.ERROR) {
            // a request refused before it ran (a 400) is not saved against its key; charges and declines are
            settle(command.idempotencyKey(), answer);
        }
        return answer;
    }

    @Override
    public Optional<GatewayAnswer> lookUp(String requestId, String paymentMethodId) {
        lookUps.add(paymentMethodId);
        return Optional.ofNullable(settledByKey.get(ChargeCommand.idempotencyKey(requestId, paymentMethodId)));
    }

    private Behaviour nextBehaviour(ChargeCommand command) {
        Deque<Behaviour> script = scripts.getOrDefault(command.paymentMethodId(), new ArrayDeque<>());
        if (!script.isEmpty()) {
            return script.poll();
        }
        GatewayAnswer settled = settledByKey.get(command.idempotencyKey());
        if (settled != null) {
            return new Answers(settled);
        }
        if (whenScriptRunsOut != null) {
            return whenScriptRunsOut;
        }
        throw new AssertionError("unexpected gateway call on " + command.paymentMethodId() + " with key "
                + command.idempotencyKey() + "; calls so far: " + calls);
    }

    private void settle(String idempotencyKey, GatewayAnswer answer) {
        if (settledByKey.putIfAbsent(idempotencyKey, answer) == null && answer.kind() == GatewayAnswer.Kind.SUCCEEDED) {
            chargesMade.add(answer.chargeId());
        }
    }

    /** Every call, in order. */
    List<ChargeCommand> calls() {
        return List.copyOf(calls);
    }

    List<ChargeCommand> callsOn(String paymentMethodId) {
        return calls.stream().filter(call -> call.paymentMethodId().equals(paymentMethodId)).toList();
    }

    /** The charges the gateway actually made, whatever the worker saw. */
    List<String> chargesMade() {
        return List.copyOf(chargesMade);
    }

    /** The payment methods looked up, in order. */
    List<String> lookUps() {
        return List.copyOf(lookUps);
    }
}
