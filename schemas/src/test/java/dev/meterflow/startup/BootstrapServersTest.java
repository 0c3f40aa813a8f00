package dev.meterflow.startup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meterflow.config.AppConfig.ConfigException;
import org.junit.jupiter.api.Test;

/** Issue 16, found item 7: an empty bootstrap.servers or an unknown host came out as a stack trace. */
class BootstrapServersTest {

    @Test
    void shouldRefuseAnEmptyList() {
        assertThatThrownBy(() -> BootstrapServers.parse(" "))
                .isInstanceOf(ConfigException.class)
                .hasMessage("bootstrap.servers must name at least one broker as host:port, was ' '");
    }

    @Test
    void shouldRefuseAnEntryWithoutAPort() {
        assertThatThrownBy(() -> BootstrapServers.parse("broker-1:9092,broker-2"))
                .hasMessage("bootstrap.servers entry 'broker-2' is not host:port");
    }

    @Test
    void shouldRefuseHostsThatDoNotResolve() {
        assertThatThrownBy(() -> BootstrapServers.requireResolvable("no-such-host.invalid:9092"))
                .hasMessage("bootstrap.servers: no host of 'no-such-host.invalid:9092' resolves (unknown host)");
    }

    @Test
    void shouldAcceptALocalBroker() {
        assertThat(BootstrapServers.parse("127.0.0.1:9092, localhost:9093")).containsExactly("127.0.0.1:9092",
                "localhost:9093");
        BootstrapServers.requireResolvable("localhost:9092");
    }
}
