package dev.meterflow.metering;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.config.MeterflowVersion;
import dev.meterflow.metering.config.MeteringConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Issue 16: the command line (item 8) and what the start-up checks ask of the cluster (item 4). */
class MeteringAppTest {

    @Test
    void shouldTakeBootstrapServersBeforeOrAfterTheSubCommand() {
        MeteringApp before = new MeteringApp();
        new CommandLine(before).parseArgs("--bootstrap-servers", "broker-a:9092", "replay-unpriced", "--dry-run");
        MeteringApp after = new MeteringApp();
        new CommandLine(after).parseArgs("replay-unpriced", "--bootstrap-servers", "broker-b:9092", "--dry-run");

        assertThat(before.config().get(MeteringConfig.BOOTSTRAP_SERVERS)).isEqualTo("broker-a:9092");
        assertThat(after.config().get(MeteringConfig.BOOTSTRAP_SERVERS)).isEqualTo("broker-b:9092");
    }

    @Test
    void shouldPrintTheVersion() {
        StringWriter out = new StringWriter();
        int exit = new CommandLine(new MeteringApp()).setOut(new PrintWriter(out)).execute("--version");

        assertThat(exit).isZero();
        assertThat(out.toString().strip()).isEqualTo("metering-topology " + MeterflowVersion.get());
    }

    @Test
    void shouldNeedEveryTopicOfTheTopologyAndTheThreeAccountKeyedInputsCoPartitioned() {
        TopologyDescription topology = dev.meterflow.metering.topology.MeteringTopology
                .build(new java.util.Properties()).describe();

        assertThat(MeteringStartup.neededTopics(topology)).contains("usage-events", "account-settings",
                "payment-results", "rate-cards", "tax-rates", "ledger-entries", "account-balances", "recharge-requests",
                "usage-unpriced", "metering-dlq");
        assertThat(MeteringStartup.readTogether(topology)).anySatisfy(group -> assertThat(group)
                .contains("usage-events", "account-settings", "payment-results"));
    }

    @Test
    void shouldNotAskTheClusterForTheAgencyRepartitionTopicWhichKafkaStreamsCreates() {
        // issue 10, section 5: the internal topic does not exist before Kafka Streams starts
        TopologyDescription topology = dev.meterflow.metering.topology.MeteringTopology
                .build(new java.util.Properties()).describe();

        assertThat(MeteringStartup.neededTopics(topology)).noneMatch(topic -> topic.contains("agency-billing"));
        assertThat(MeteringStartup.readTogether(topology)).allSatisfy(group -> assertThat(group)
                .noneMatch(topic -> topic.contains("agency-billing")));
    }

    /**
     * Task ids are {@code <sub-topology>_<partition>} and name each task's state directory: the tax-rates global
     * store (issue 10, §4), added before the billing processor, renumbered its tasks to 2_x, and an upgrade would
     * have restored every store from its changelog.
     */
    @Test
    void shouldKeepTheBillingProcessorInSubTopologyOneSoItsTaskIdsSurviveAnUpgrade() {
        TopologyDescription topology = dev.meterflow.metering.topology.MeteringTopology
                .build(new java.util.Properties()).describe();

        assertThat(topology.subtopologies())
                .filteredOn(sub -> sub.nodes().stream().anyMatch(node -> node.name().equals("billing-processor")))
                .extracting(TopologyDescription.Subtopology::id).containsExactly(1);
    }
}
