package dev.meterflow.local.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class WorkloadTest {

    @Test
    void shouldRunTheWorkloadsNamedInTheOrderGiven() {
        assertThat(Workload.named(List.of("skewed", "uniform"), 1.1)).extracting(Workload::name)
                .containsExactly("skewed", "uniform");
    }

    @Test
    void shouldRefuseAnUnknownWorkloadOrExponentBeforeAnythingRuns() {
        assertThatThrownBy(() -> Workload.named(List.of("bursty"), 1.1)).hasMessageContaining("'bursty'");
        assertThatThrownBy(() -> Workload.named(List.of("skewed"), -1)).hasMessageContaining("--zipf-exponent");
    }
}
