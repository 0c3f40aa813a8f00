package dev.meterflow.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/** Levenshtein distance, to suggest the key a misspelt one was meant to be. */
public final class EditDistance {

    private EditDistance() {
    }

    public static int between(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /**
     * The candidate nearest to {@code text}, if it is near enough to be a slip of the keyboard rather than
     * another word: at most a third of the text's length away (and at least 2 edits allowed).
     */
    public static Optional<String> nearest(String text, Collection<String> candidates) {
        int allowed = Math.max(2, text.length() / 3);
        return candidates.stream()
                .filter(candidate -> !candidate.equals(text))
                .min(Comparator.comparingInt((String candidate) -> between(text, candidate))
                        .thenComparing(Comparator.naturalOrder()))
                .filter(candidate -> between(text, candidate) <= allowed);
    }
}
