package dev.meterflow.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EditDistanceTest {

    @Test
    void shouldCountInsertionsDeletionsAndSubstitutions() {
        assertThat(EditDistance.between("retention", "retnetion")).isEqualTo(2);
        assertThat(EditDistance.between("num.stream.thread", "num.stream.threads")).isEqualTo(1);
        assertThat(EditDistance.between("", "abc")).isEqualTo(3);
        assertThat(EditDistance.between("same", "same")).isZero();
    }

    @Test
    void shouldPickTheNearestCandidateWithinAThirdOfTheLength() {
        List<String> keys = List.of("num.stream.threads", "num.standby.replicas", "state.dir");

        assertThat(EditDistance.nearest("num.stream.thread", keys)).contains("num.stream.threads");
        assertThat(EditDistance.nearest("something.else.entirely", keys)).isEmpty();
    }
}
