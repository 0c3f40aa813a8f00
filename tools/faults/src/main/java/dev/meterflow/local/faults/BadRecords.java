package dev.meterflow.local.faults;

import dev.meterflow.local.faults.Workload.Account;
import dev.meterflow.local.faults.Workload.Kind;
import dev.meterflow.local.faults.Workload.Send;
import dev.meterflow.schemas.PaymentCommand;
import dev.meterflow.schemas.PaymentMethodRef;
import dev.meterflow.schemas.PaymentMethodRole;
import dev.meterflow.schemas.PaymentMethodType;
import dev.meterflow.schemas.RechargeReason;
import dev.meterflow.schemas.RechargeRequest;
import dev.meterflow.schemas.TaxRate;
import dev.meterflow.topics.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The bad records of a cycle (issue 16): on every topic either app reads, random bytes, an empty value, a value of
 * another record type and, on the delete topics where it means nothing, a null value; on {@code usage-events} also
 * truncated Avro and an unknown schema fingerprint; once per run a record just under the broker's 1 MB limit. And
 * records that decode but must be refused: payment commands under $0.50 or naming a card that is not the account's
 * (to {@code payment-commands-rejected}), recharge requests for too little or with a payment method that is not a
 * gateway token (the worker answers FAILED and dead-letters them).
 */
final class BadRecords {

    /** Just under the broker's 1 MB limit: accepted on the way in, too large to copy with error headers. */
    static final int NEAR_LIMIT = 1_048_000;
    /** The account of the refused recharge requests: none of the workload's, so no balance moves. */
    static final String OUTSIDE_ACCOUNT = "flt-outside";
    /** Every topic that gets bad records; {@code tax-rates} whether or not the metering app reads it yet. */
    static final List<String> TOPICS = List.of(Topics.USAGE_EVENTS.name(), Topics.ACCOUNT_SETTINGS.name(),
            Topics.RATE_CARDS.name(), Topics.TAX_RATES.name(), Topics.PAYMENT_RESULTS.name(),
            Topics.PAYMENT_COMMANDS.name(), Topics.RECHARGE_REQUESTS.name());
    /** Compacted topics, where a null value deletes the key: a meaningful record, so never sent as poison. */
    private static final Set<String> COMPACTED = Set.of(Topics.ACCOUNT_SETTINGS.name(), Topics.RATE_CARDS.name(),
            Topics.TAX_RATES.name());
    private static final String TAX_JURISDICTION = "US-TX";

    private final Random random;
    private final Instant base;
    private int sequence;
    private boolean nearLimitSent;

    BadRecords(Random random, Instant base) {
        this.random = random;
        this.base = base;
    }

    /** The topic that gets the run's near-1 MB record: one per run keeps a run fast, the seed picks where. */
    static String nearLimitTopic(long seed) {
        return TOPICS.get((int) Math.floorMod(seed, TOPICS.size()));
    }

    /**
     * @param account    the account whose key the bad records of account-keyed topics carry
     * @param validUsage a valid usage event, encoded: a value of another record type on every other topic
     * @param nearLimit  where to send the run's near-1 MB record, or {@code null} when it was sent
     */
    List<Send> cycle(Account account, byte[] validUsage, String nearLimit) {
        int cycle = ++sequence;
        List<Send> sends = new ArrayList<>();
        for (String topic : TOPICS) {
            String key = key(topic, account);
            String id = "poison-c" + cycle + "-" + topic;
            sends.add(poison(topic, key, randomBytes(), id + "-random"));
            sends.add(poison(topic, key, new byte[0], id + "-empty"));
            sends.add(poison(topic, key, otherType(topic, validUsage), id + "-type"));
            if (!COMPACTED.contains(topic)) {
                sends.add(poison(topic, key, null, id + "-null"));
            }
            if (topic.equals(Topics.USAGE_EVENTS.name())) {
                sends.add(poison(topic, key, Arrays.copyOf(validUsage, validUsage.length / 2), id + "-truncated"));
                sends.add(poison(topic, key, unknownFingerprint(validUsage), id + "-fingerprint"));
            }
            if (topic.equals(nearLimit) && !nearLimitSent) {
                nearLimitSent = true;
                byte[] large = new byte[NEAR_LIMIT];
                random.nextBytes(large);
                sends.add(poison(topic, key, large, id + "-near-1mb"));
            }
        }
        sends.addAll(refusedPaymentCommands(account, cycle));
        sends.addAll(refusedRechargeRequests(cycle));
        return sends;
    }

    private static Send poison(String topic, String key, byte[] value, String id) {
        return new Send(topic, key, value, id, Kind.POISON);
    }

    private static String key(String topic, Account account) {
        if (topic.equals(Topics.RATE_CARDS.name())) {
            // under the plan's own key: a refused card that replaced the good one would leave later usage unpriced
            return Workload.RATE_PLAN;
        }
        return topic.equals(Topics.TAX_RATES.name()) ? TAX_JURISDICTION : account.id();
    }

    private static byte[] otherType(String topic, byte[] validUsage) {
        if (!topic.equals(Topics.USAGE_EVENTS.name())) {
            return validUsage;
        }
        TaxRate rate = TaxRate.newBuilder().setJurisdiction(TAX_JURISDICTION).setRatePpm(62_500).setName("Texas")
                .build();
        return Topics.TAX_RATES.valueSerde().serializer().serialize(Topics.TAX_RATES.name(), rate);
    }

    private byte[] unknownFingerprint(byte[] valid) {
        byte[] bytes = valid.clone();
        for (int i = 2; i < 10; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return bytes;
    }

    private byte[] randomBytes() {
        byte[] bytes = new byte[16 + random.nextInt(64)];
        random.nextBytes(bytes);
        return bytes;
    }

    /** Below the $0.50 minimum, and a card that is not the account's: refused before anything is asked. */
    private List<Send> refusedPaymentCommands(Account account, int cycle) {
        PaymentCommand tooSmall = command(account, "flt-cmd-c" + cycle + "-too-small", 25, null);
        PaymentCommand notTheirs = command(account, "flt-cmd-c" + cycle + "-not-theirs", 2_000,
                "pm_card_visa__" + account.id() + "-not-theirs");
        return List.of(refusedCommand(tooSmall), refusedCommand(notTheirs));
    }

    private PaymentCommand command(Account account, String commandId, long cents, String paymentMethodId) {
        return PaymentCommand.newBuilder().setCommandId(commandId).setAccountId(account.id()).setAmountCents(cents)
                .setPaymentMethodId(paymentMethodId).setRequestedAt(base).build();
    }

    private static Send refusedCommand(PaymentCommand command) {
        return new Send(Topics.PAYMENT_COMMANDS.name(), command.getAccountId(), Topics.PAYMENT_COMMANDS.valueSerde()
                .serializer().serialize(Topics.PAYMENT_COMMANDS.name(), command), command.getCommandId(),
                Kind.REFUSED);
    }

    /** Requests the worker must not charge but can answer: for 10 cents, and with a method that is not a token. */
    private List<Send> refusedRechargeRequests(int cycle) {
        RechargeRequest tooSmall = request("flt-rr-c" + cycle + "-too-small", 10, "pm_card_visa__" + OUTSIDE_ACCOUNT);
        RechargeRequest notAToken = request("flt-rr-c" + cycle + "-not-a-token", 2_000, "card/on/file");
        return List.of(refusedRequest(tooSmall), refusedRequest(notAToken));
    }

    private RechargeRequest request(String requestId, long cents, String paymentMethodId) {
        PaymentMethodRef method = PaymentMethodRef.newBuilder().setPaymentMethodId(paymentMethodId)
                .setCustomerId("cus_fltoutside").setType(PaymentMethodType.CARD).setBrand("visa").setLast4("0000")
                .setRole(PaymentMethodRole.PRIMARY).build();
        return RechargeRequest.newBuilder().setRequestId(requestId).setAccountId(OUTSIDE_ACCOUNT)
                .setReason(RechargeReason.AUTO_RECHARGE).setAmountCents(cents).setCurrency("USD")
                .setPaymentMethods(List.of(method)).setBalanceMicros(0).setThresholdMicros(0).setTargetMicros(0)
                .setRequestedAt(base).setBillingEmails(List.of("billing@" + OUTSIDE_ACCOUNT + ".example"))
                .setCriticalBillingPhone(null).build();
    }

    private static Send refusedRequest(RechargeRequest request) {
        return new Send(Topics.RECHARGE_REQUESTS.name(), request.getAccountId(), Topics.RECHARGE_REQUESTS
                .valueSerde().serializer().serialize(Topics.RECHARGE_REQUESTS.name(), request), request.getRequestId(),
                Kind.REFUSED);
    }
}
