package dev.meterflow.gatewaysim;

import java.util.Random;

/**
 * The simulator's only source of randomness for faults: seeded, so a test that sends the same requests in
 * the same order sees the same faults. Rates of exactly 0 and 1 draw nothing, so they never shift the
 * sequence.
 */
final class SeededChance {

    private Random random;

    SeededChance(long seed) {
        reseed(seed);
    }

    synchronized void reseed(long seed) {
        random = new Random(seed);
    }

    synchronized boolean draw(double probability) {
        if (probability <= 0.0) {
            return false;
        }
        if (probability >= 1.0) {
            return true;
        }
        return random.nextDouble() < probability;
    }
}
