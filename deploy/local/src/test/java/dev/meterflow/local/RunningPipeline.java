package dev.meterflow.local;

import static dev.meterflow.testdata.TestData.PRO_PLAN;

import dev.meterflow.gatewaysim.GatewaySimulator;
import dev.meterflow.gatewaysim.SimulatorSettings;
import dev.meterflow.metering.MeteringService;
import dev.meterflow.testdata.RateCardBuilder;
import dev.meterflow.topics.Topics;
import dev.meterflow.worker.RechargeWorkerService;
import java.nio.file.Path;

/**
 * The whole pipeline an end-to-end test class runs against: an {@link EndToEndCluster} with the rate card
 * published, the gateway simulator, the metering topology and the recharge worker charging through the
 * simulator. {@link #close()} stops them in reverse order, whatever part of them is running.
 */
final class RunningPipeline implements AutoCloseable {

    private final EndToEndCluster cluster;
    private GatewaySimulator gateway;
    private MeteringService metering;
    private RechargeWorkerService worker;

    private RunningPipeline(EndToEndCluster cluster) {
        this.cluster = cluster;
    }

    /** Starts everything; if a part fails to start, the parts already running are stopped again. */
    static RunningPipeline start(String applicationId, Path stateDir) {
        RunningPipeline pipeline = new RunningPipeline(EndToEndCluster.start());
        try {
            // reference data first: the global rate-card store is complete before the first usage event
            pipeline.cluster.publish(Topics.RATE_CARDS, PRO_PLAN, RateCardBuilder.aRateCard().build());
            pipeline.gateway = GatewaySimulator.start(0, SimulatorSettings.defaults());
            pipeline.metering = pipeline.cluster.startMetering(applicationId, stateDir);
            pipeline.worker = pipeline.cluster.startWorker(pipeline.gateway);
            return pipeline;
        } catch (RuntimeException e) {
            pipeline.close();
            throw e;
        }
    }

    EndToEndCluster cluster() {
        return cluster;
    }

    GatewaySimulator gateway() {
        return gateway;
    }

    /** Stops the recharge worker, for a test of what happens while it is down. */
    void stopWorker() {
        worker.close();
        worker = null;
    }

    /** Starts the recharge worker again after {@link #stopWorker()}. */
    void startWorker() {
        if (worker != null) {
            throw new IllegalStateException("the recharge worker is already running");
        }
        worker = cluster.startWorker(gateway);
    }

    @Override
    public void close() {
        if (worker != null) {
            worker.close();
        }
        if (metering != null) {
            metering.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        cluster.close();
    }
}
