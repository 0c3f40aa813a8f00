package dev.meterflow.api.commands;

/**
 * What a write answers: {@code applied} when the read model already shows it, else "saved, still applying"
 * (the command is on the topic and will show on a later read).
 */
public record WriteOutcome(String status, String message, String id) {

    public static WriteOutcome of(boolean seen, String id) {
        return seen ? new WriteOutcome("applied", "Saved.", id)
                : new WriteOutcome("saved_still_applying", "Saved, still applying: reload in a few seconds.", id);
    }

    /** Applied, with what came of it (a payment's charge or decline). */
    public static WriteOutcome applied(String message, String id) {
        return new WriteOutcome("applied", message, id);
    }

    public boolean applied() {
        return "applied".equals(status);
    }
}
