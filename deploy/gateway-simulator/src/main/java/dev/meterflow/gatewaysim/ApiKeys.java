package dev.meterflow.gatewaysim;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Reads the secret key from an {@code Authorization} header, as Stripe does: {@code Bearer sk_test_...}
 * (stripe-java) or HTTP Basic with the key as user name ({@code curl -u sk_test_...:}). The key is never
 * stored or logged; idempotency keys are scoped by a hash of it.
 */
final class ApiKeys {

    static final String TEST_SECRET_KEY_PREFIX = "sk_test_";

    private ApiKeys() {
    }

    /** The 401 answer for a missing or non-test key, or empty if the key is acceptable. */
    static Optional<ApiResponse> reject(String authorization) {
        Optional<String> key = secretKey(authorization);
        if (key.isEmpty()) {
            return Optional.of(StripeErrors.missingApiKey());
        }
        if (!key.get().startsWith(TEST_SECRET_KEY_PREFIX)) {
            return Optional.of(StripeErrors.invalidApiKey());
        }
        return Optional.empty();
    }

    /** A stable, non-reversible name for the key, to scope idempotency keys. */
    static String scope(String authorization) {
        String key = secretKey(authorization).orElse("");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    private static Optional<String> secretKey(String authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        String value = authorization.trim();
        if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return nonEmpty(value.substring(7).trim());
        }
        if (value.regionMatches(true, 0, "Basic ", 0, 6)) {
            return basicUser(value.substring(6).trim());
        }
        return Optional.empty();
    }

    private static Optional<String> basicUser(String credentials) {
        try {
            String decoded = new String(Base64.getDecoder().decode(credentials), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return nonEmpty(colon < 0 ? decoded : decoded.substring(0, colon));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> nonEmpty(String key) {
        return key.isEmpty() ? Optional.empty() : Optional.of(key);
    }
}
