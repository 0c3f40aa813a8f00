package dev.meterflow.local;

import static dev.meterflow.testdata.TestData.PRO_PLAN;

import dev.meterflow.gatewaysim.GatewaySimulator;
import dev.meterflow.gatewaysim.SimulatorSettings;
import dev.meterflow.metering.MeteringService;
import dev.meterflow.testdata.RateCardBuilder;
import dev.meterflow.testdata.stack.TestStack;
import dev.meterflow.topics.Topics;
import dev.meterflow.worker.RechargeWorkerService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The whole pipeline an end-to-end test class runs against: an {@link EndToEndCluster} with the rate card
 * published, the gateway simulator, the metering topology and the recharge worker charging through the
 * simulator. Registered as a static {@code @RegisterExtension} field ({@link #perClass(String)}) it starts before
 * the class's tests, with a state directory of its own, and stops after them in reverse order, whatever part of it
 * is running.
 */
final class RunningPipeline extends TestStack {

    private final String applicationId;
    private final boolean withWorker;
    private final EndToEndCluster cluster = EndToEndCluster.perClass();
    private Path stateDir;
    private final boolean ownStateDir;
    private GatewaySimulator gateway;
    private MeteringService metering;
    private RechargeWorkerService worker;

    private RunningPipeline(String applicationId, Path stateDir, boolean withWorker) {
        super(Scope.CLASS);
        this.applicationId = applicationId;
        this.withWorker = withWorker;
        this.stateDir = stateDir;
        this.ownStateDir = stateDir == null;
    }

    /** The pipeline every test of the class shares, its metering state in a directory deleted at the end. */
    static RunningPipeline perClass(String applicationId) {
        return new RunningPipeline(applicationId, null, true);
    }

    /** The same without the gateway simulator and the recharge worker: the rate card and the metering topology. */
    static RunningPipeline meteringOnly(String applicationId) {
        return new RunningPipeline(applicationId, null, false);
    }

    /** Starts everything now, the metering state under {@code stateDir}; the caller closes it. */
    static RunningPipeline start(String applicationId, Path stateDir) {
        RunningPipeline pipeline = new RunningPipeline(applicationId, stateDir, true);
        pipeline.start();
        return pipeline;
    }

    @Override
    protected void startParts() {
        cluster.start();
        // reference data first: the global rate-card store is complete before the first usage event
        cluster.publish(Topics.RATE_CARDS, PRO_PLAN, RateCardBuilder.aRateCard().build());
        if (withWorker) {
            gateway = GatewaySimulator.start(0, SimulatorSettings.defaults());
        }
        if (ownStateDir) {
            stateDir = temporaryStateDir();
        }
        metering = cluster.startMetering(applicationId, stateDir);
        if (withWorker) {
            worker = cluster.startWorker(gateway);
        }
    }

    /** The cluster the pipeline runs on; the same object before and after the start, so a field may keep it. */
    EndToEndCluster cluster() {
        return cluster;
    }

    GatewaySimulator gateway() {
        requireRunning();
        if (gateway == null) {
            throw new IllegalStateException("a pipeline of the metering topology only has no gateway simulator");
        }
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
    protected void stopParts() {
        if (worker != null) {
            worker.close();
            worker = null;
        }
        if (metering != null) {
            metering.close();
            metering = null;
        }
        if (gateway != null) {
            gateway.close();
            gateway = null;
        }
        cluster.close();
        if (ownStateDir && stateDir != null) {
            deleteRecursively(stateDir);
            stateDir = null;
        }
    }

    private static Path temporaryStateDir() {
        try {
            return Files.createTempDirectory("meterflow-e2e-state-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the metering state directory", e);
        }
    }
}
