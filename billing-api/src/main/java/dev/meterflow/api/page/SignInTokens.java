package dev.meterflow.api.page;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The sign-in form's CSRF token, before there is a session to hold one: a random value in a cookie, and in the
 * form its HMAC under a key only this process knows. A form posted from another site carries neither (the cookie
 * is SameSite=Strict); a cookie planted by a neighbouring site cannot come with a matching field, since that needs
 * the key.
 */
final class SignInTokens {

    static final String COOKIE = "mf_signin";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String HMAC = "HmacSHA256";

    private final SecretKeySpec key;

    SignInTokens(byte[] key) {
        if (key.length < 32) {
            throw new IllegalArgumentException("the sign-in token key needs at least 32 bytes, had " + key.length);
        }
        this.key = new SecretKeySpec(key.clone(), HMAC);
    }

    /** A key made when the process starts: forms signed before a restart are refused, then shown again. */
    static SignInTokens withRandomKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return new SignInTokens(key);
    }

    /** A new value for the cookie. */
    static String newCookieValue() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Whether a cookie's value is one this page could have made (anything else is replaced, not signed). */
    static boolean wellFormed(String cookieValue) {
        return cookieValue != null && cookieValue.matches("[A-Za-z0-9_-]{43}");
    }

    /** The form field that goes with the cookie's value. */
    String field(String cookieValue) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    mac.doFinal(cookieValue.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    /** Whether the posted field is the one signed for the posted cookie; false when either is missing. */
    boolean matches(String cookieValue, String field) {
        if (!wellFormed(cookieValue) || field == null) {
            return false;
        }
        return MessageDigest.isEqual(field(cookieValue).getBytes(StandardCharsets.UTF_8),
                field.getBytes(StandardCharsets.UTF_8));
    }
}
