package dev.meterflow.topics;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The recharge request ids the metering topology derives from what asked for a charge, in one place: the topology
 * writes them on {@code recharge-requests}, and the billing API finds a command's outcome on {@code payment-results}
 * by the same id. Hashed, so any command or event id gives an id the worker accepts.
 */
public final class RequestIds {

    private RequestIds() {
    }

    /** A one-time payment: {@code pay-<accountId>-<first 16 hex digits of SHA-256(commandId)>}. */
    public static String payment(String accountId, String commandId) {
        return derived("pay-", accountId, commandId);
    }

    /** A plan fee charged directly: {@code fee-<accountId>-<first 16 hex digits of SHA-256(eventId)>}. */
    public static String planFee(String accountId, String eventId) {
        return derived("fee-", accountId, eventId);
    }

    private static String derived(String prefix, String accountId, String sourceId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(sourceId.getBytes(StandardCharsets.UTF_8));
            return prefix + accountId + "-" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
