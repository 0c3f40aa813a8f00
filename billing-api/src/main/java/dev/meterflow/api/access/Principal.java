package dev.meterflow.api.access;

/**
 * A signed-in user, by session cookie or API token.
 *
 * @param accountId the account the user belongs to (the agency's own account for an agency admin)
 * @param csrfToken the session's CSRF token; {@code null} for an API token, which no browser sends by itself
 */
public record Principal(String userId, String email, Role role, String accountId, String csrfToken) {

    /** Who made a change, as the billing log shows it. */
    public String actor() {
        return "user:" + email;
    }
}
