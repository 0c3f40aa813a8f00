package dev.meterflow.worker;

import dev.meterflow.gatewaysim.GatewaySimulator;
import dev.meterflow.gatewaysim.SimulatorSettings;
import dev.meterflow.testdata.stack.BrokerStack;
import dev.meterflow.testdata.stack.TestStack;
import dev.meterflow.worker.config.WorkerConfig;
import dev.meterflow.worker.gateway.stripe.StripeGateway;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * The gateway simulator and a recharge worker charging through it with Stripe's own client, on a {@link BrokerStack}
 * of its own or one registered before it (for a broker that outlives it). The worker runs with short retry intervals ({@link #workerProperties()}), starts with the
 * stack unless {@link #withoutWorker()} says the test starts it, and is closed with the stack; a worker the test
 * {@link RechargeWorkerService#halt() halted} is left as a crash leaves it.
 */
final class WorkerStack extends TestStack {

    static final String GATEWAY_API_KEY = "sk_test_meterflow_it";

    private final BrokerStack broker;
    private final boolean ownBroker;
    private SimulatorSettings simulatorSettings = SimulatorSettings.defaults();
    private Map<String, String> workerOverrides = Map.of();
    private boolean workerAtStart = true;
    private GatewaySimulator simulator;
    private RechargeWorkerService worker;

    private WorkerStack(Scope scope, BrokerStack broker, boolean ownBroker) {
        super(scope);
        this.broker = broker;
        this.ownBroker = ownBroker;
    }

    /** A broker, simulator and worker every test of the class shares: a static {@code @RegisterExtension} field. */
    static WorkerStack perClass() {
        return new WorkerStack(Scope.CLASS, BrokerStack.perClass(), true);
    }

    /** A fresh broker, simulator and worker for each test: an instance {@code @RegisterExtension} field. */
    static WorkerStack perTest() {
        return new WorkerStack(Scope.TEST, BrokerStack.perTest(), true);
    }

    /**
     * A fresh simulator and worker for each test on a broker the class shares, registered before this stack (a
     * static field).
     */
    static WorkerStack perTest(BrokerStack classBroker) {
        return new WorkerStack(Scope.TEST, classBroker, false);
    }

    /** The simulator starts with these settings instead of its defaults. */
    WorkerStack simulating(SimulatorSettings settings) {
        this.simulatorSettings = settings;
        return this;
    }

    /** The worker's settings on top of {@link #workerProperties()}. */
    WorkerStack withWorkerSettings(Map<String, String> overrides) {
        this.workerOverrides = Map.copyOf(overrides);
        return this;
    }

    /** Only the simulator starts with the stack: each test starts its worker itself. */
    WorkerStack withoutWorker() {
        this.workerAtStart = false;
        return this;
    }

    @Override
    protected void startParts() {
        if (ownBroker) {
            broker.start();
        }
        simulator = GatewaySimulator.start(0, simulatorSettings);
        if (workerAtStart) {
            startWorker();
        }
    }

    @Override
    protected void stopParts() {
        if (worker != null) {
            worker.close();
            worker = null;
        }
        if (simulator != null) {
            simulator.close();
            simulator = null;
        }
        if (ownBroker) {
            broker.close();
        }
    }

    /** The broker the worker runs on (a test may keep it in a field: it is the same before and after start). */
    BrokerStack kafka() {
        return broker;
    }

    GatewaySimulator simulator() {
        requireRunning();
        return simulator;
    }

    /** The worker started last. */
    RechargeWorkerService worker() {
        requireRunning();
        return worker;
    }

    /** Starts a worker with the stack's settings, its meters nowhere (the one before it closed or halted). */
    RechargeWorkerService startWorker() {
        return startWorker(Map.of(), new CompositeMeterRegistry());
    }

    /** Starts a worker with these settings on top of the stack's, its meters in {@code registry}. */
    RechargeWorkerService startWorker(Map<String, String> overrides, MeterRegistry registry) {
        Properties props = workerProperties();
        props.putAll(workerOverrides);
        props.putAll(overrides);
        WorkerConfig config = WorkerConfig.from(props);
        worker = RechargeWorkerService.start(config, new StripeGateway(config.gatewayApiKey(),
                config.get(WorkerConfig.GATEWAY_BASE_URL), Duration.ofSeconds(30)), registry);
        return worker;
    }

    /** Closes the running worker cleanly, for a test of what happens while it is down. */
    void stopWorker() {
        worker.close();
        worker = null;
    }

    /** The worker's settings for this broker and simulator: short retry, reconcile and shutdown intervals. */
    Properties workerProperties() {
        Properties props = new Properties();
        props.setProperty(WorkerConfig.BOOTSTRAP_SERVERS.name(), broker.bootstrapServers());
        props.setProperty(WorkerConfig.GATEWAY_BASE_URL.name(), simulator.baseUrl());
        props.setProperty(WorkerConfig.GATEWAY_API_KEY.name(), GATEWAY_API_KEY);
        props.setProperty(WorkerConfig.GATEWAY_RATE_LIMIT.name(), "200");
        props.setProperty(WorkerConfig.UNKNOWN_RETRY_BACKOFF.name(), "PT0.1S");
        props.setProperty(WorkerConfig.RECONCILE_INTERVAL.name(), "PT1S");
        props.setProperty(WorkerConfig.SHUTDOWN_TIMEOUT.name(), "PT5S");
        return props;
    }
}
