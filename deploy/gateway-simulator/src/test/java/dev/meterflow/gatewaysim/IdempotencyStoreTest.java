package dev.meterflow.gatewaysim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IdempotencyStoreTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    private final IdempotencyStore store = new IdempotencyStore(clock);
    private final ApiResponse succeeded = ApiResponse.ok(Map.of("id", "pi_1"));

    @Test
    void shouldReplayTheSavedResponseWithReplayHeaders() {
        store.reserve("scope", "k", "POST a=1", "req_first");
        store.complete("scope", "k", succeeded);

        IdempotencyStore.Lookup lookup = store.reserve("scope", "k", "POST a=1", "req_second");

        assertThat(lookup).isInstanceOfSatisfying(IdempotencyStore.Replay.class, replay -> {
            assertThat(replay.response().body()).isEqualTo(succeeded.body());
            assertThat(replay.response().headers())
                    .containsEntry("Idempotent-Replayed", "true")
                    .containsEntry("Original-Request", "req_first");
        });
    }

    @Test
    void shouldReportAKeyInUseUntilItCompletes() {
        store.reserve("scope", "k", "POST a=1", "req_first");

        assertThat(store.reserve("scope", "k", "POST a=1", "req_second")).isInstanceOf(IdempotencyStore.InUse.class);
    }

    @Test
    void shouldReportAMismatchBeforeAnythingElse() {
        store.reserve("scope", "k", "POST a=1", "req_first");

        assertThat(store.reserve("scope", "k", "POST a=2", "req_second")).isInstanceOf(IdempotencyStore.Mismatch.class);
    }

    @Test
    void shouldExecuteAgainAfterARelease() {
        store.reserve("scope", "k", "POST a=1", "req_first");
        store.release("scope", "k");

        assertThat(store.reserve("scope", "k", "POST a=1", "req_second")).isInstanceOf(IdempotencyStore.Reserved.class);
    }

    @Test
    void shouldKeepScopesApart() {
        store.reserve("scope-a", "k", "POST a=1", "req_first");
        store.complete("scope-a", "k", succeeded);

        assertThat(store.reserve("scope-b", "k", "POST a=1", "req_second"))
                .isInstanceOf(IdempotencyStore.Reserved.class);
    }

    @Test
    void shouldForgetKeysAfter24Hours() {
        store.reserve("scope", "k", "POST a=1", "req_first");
        store.complete("scope", "k", succeeded);

        clock.advance(IdempotencyStore.RETENTION.plus(Duration.ofSeconds(1)));

        assertThat(store.reserve("scope", "k", "POST a=2", "req_later")).isInstanceOf(IdempotencyStore.Reserved.class);
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
