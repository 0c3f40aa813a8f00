package dev.meterflow.api;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * Where a page ended: the time and id of its last row (rows are ordered by both, newest first). Opaque to
 * clients; a cursor that is not one of ours is a 400.
 */
public record Cursor(Instant at, String id) {

    /** Before every row. */
    public static final Cursor START = new Cursor(Instant.parse("9999-12-31T00:00:00Z"), "");

    public String encode() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((at.toEpochMilli() + ":" + id)
                .getBytes(StandardCharsets.UTF_8));
    }

    public static Cursor decode(String text) {
        if (text == null || text.isBlank()) {
            return START;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return new Cursor(Instant.ofEpochMilli(Long.parseLong(decoded.substring(0, colon))),
                    decoded.substring(colon + 1));
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw ApiException.badRequest("bad_cursor", "The cursor '" + text + "' is not one this API gave out;"
                    + " start again without it.");
        }
    }
}
