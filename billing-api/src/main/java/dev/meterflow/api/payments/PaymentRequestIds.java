package dev.meterflow.api.payments;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The request id the pipeline gives a payment command it accepts (the metering topology's
 * {@code MakePayment.requestIdOf}; a test keeps the two equal): its result on {@code payment-results} carries it,
 * which is how the read model finds a command's outcome.
 */
public final class PaymentRequestIds {

    private PaymentRequestIds() {
    }

    public static String of(String accountId, String commandId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(commandId.getBytes(StandardCharsets.UTF_8));
            return "pay-" + accountId + "-" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
