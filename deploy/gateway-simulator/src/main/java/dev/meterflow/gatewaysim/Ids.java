package dev.meterflow.gatewaysim;

import java.util.concurrent.ThreadLocalRandom;

/** Stripe-looking object ids ({@code pi_...}, {@code ch_...}, {@code req_...}). */
final class Ids {

    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private Ids() {
    }

    static String paymentIntent() {
        return random("pi_", 24);
    }

    static String charge() {
        return random("ch_", 24);
    }

    static String request() {
        return random("req_", 14);
    }

    private static String random(String prefix, int length) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StringBuilder id = new StringBuilder(prefix);
        for (int i = 0; i < length; i++) {
            id.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return id.toString();
    }
}
