package dev.meterflow.gatewaysim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SearchQueryTest {

    private final StoredPaymentIntent rr1 = anIntent("rr-1", "a1", 2500, null);
    private final StoredPaymentIntent rr2Declined = anIntent("rr-2", "a1", 5000,
            new CardDecline("card_declined", "generic_decline", "Your card was declined.", null));

    @Test
    void shouldMatchMetadataEquality() {
        SearchQuery query = SearchQuery.parse("metadata['requestId']:'rr-1'");

        assertThat(query.matches(rr1)).isTrue();
        assertThat(query.matches(rr2Declined)).isFalse();
    }

    @Test
    void shouldRequireEveryClauseJoinedByAnd() {
        SearchQuery query = SearchQuery.parse("metadata[\"accountId\"]:\"a1\" AND status:'succeeded'");

        assertThat(query.matches(rr1)).isTrue();
        assertThat(query.matches(rr2Declined)).isFalse();
    }

    @Test
    void shouldAcceptAnyClauseJoinedByOr() {
        SearchQuery query = SearchQuery.parse("amount:5000 OR metadata['requestId']:'rr-1'");

        assertThat(query.matches(rr1)).isTrue();
        assertThat(query.matches(rr2Declined)).isTrue();
    }

    @Test
    void shouldNegateAClauseWithAMinus() {
        SearchQuery query = SearchQuery.parse("-status:'succeeded'");

        assertThat(query.matches(rr1)).isFalse();
        assertThat(query.matches(rr2Declined)).isTrue();
    }

    @Test
    void shouldKeepQuotedSpacesAndEscapes() {
        StoredPaymentIntent spaced = anIntent("it's a request", "a1", 2500, null);

        assertThat(SearchQuery.parse("metadata['requestId']:'it\\'s a request'").matches(spaced)).isTrue();
    }

    @Test
    void shouldRefuseQueriesItCannotAnswerNamingTheReason() {
        assertThatThrownBy(() -> SearchQuery.parse("status:'succeeded' AND amount:1 OR amount:2"))
                .hasMessageContaining("cannot combine AND and OR");
        assertThatThrownBy(() -> SearchQuery.parse("amount>100")).hasMessageContaining("exact-match");
        assertThatThrownBy(() -> SearchQuery.parse("created:'1'")).hasMessageContaining("field 'created'");
        assertThatThrownBy(() -> SearchQuery.parse("metadata['requestId']:'rr-1' and status:'x'"))
                .hasMessageContaining("expected AND or OR");
        assertThatThrownBy(() -> SearchQuery.parse("metadata['requestId']:'unterminated"))
                .hasMessageContaining("expected '''");
        assertThatThrownBy(() -> SearchQuery.parse(" ")).hasMessageContaining("Missing required param: query");
    }

    private static StoredPaymentIntent anIntent(String requestId, String accountId, long amount, CardDecline decline) {
        return new StoredPaymentIntent("pi_" + requestId, amount, "usd", "cus_a1", "pm_card_visa", null,
                Map.of("requestId", requestId, "accountId", accountId), "ch_" + requestId, decline,
                Instant.parse("2025-01-01T00:00:00Z"));
    }
}
