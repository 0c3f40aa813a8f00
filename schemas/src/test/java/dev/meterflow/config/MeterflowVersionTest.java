package dev.meterflow.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Issue 16, found item 8: --version printed nothing. */
class MeterflowVersionTest {

    @Test
    void shouldBeTheMavenProjectVersion() {
        assertThat(MeterflowVersion.get()).matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    }
}
