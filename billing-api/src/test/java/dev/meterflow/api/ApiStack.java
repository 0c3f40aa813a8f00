package dev.meterflow.api;

import dev.meterflow.api.access.LoginPolicy;
import dev.meterflow.api.db.Database;
import dev.meterflow.api.db.DatabaseStack;
import dev.meterflow.api.readmodel.Retention;
import dev.meterflow.testdata.stack.BrokerStack;
import dev.meterflow.testdata.stack.TestStack;
import dev.meterflow.topics.Topic;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Properties;

/**
 * The billing API as it runs in production, on a real broker ({@link BrokerStack}, every topic of the contract
 * unless given others) and embedded PostgreSQL ({@link DatabaseStack}, eight connections): read model, JSON API and
 * page on a free port of 127.0.0.1. One stack serves every test of a class; the test class seeds it.
 */
public final class ApiStack extends TestStack {

    private final BrokerStack kafka = BrokerStack.perClass();
    private final DatabaseStack database = DatabaseStack.perClass(8);
    private Duration writeWait = Duration.ofSeconds(20);
    private String meteringApplicationId = "";
    private BillingApi api;

    private ApiStack() {
        super(Scope.CLASS);
    }

    /** The stack every test of the class shares: a static {@code @RegisterExtension} field. */
    public static ApiStack perClass() {
        return new ApiStack();
    }

    /** Creates these topics instead of every topic of the contract. */
    public ApiStack withTopics(Collection<? extends Topic<?, ?>> topics) {
        kafka.withTopics(topics);
        return this;
    }

    /**
     * A settings write waits up to {@code writeWait} for the metering app of {@code applicationId} to apply it
     * (without one, for the read model to show it).
     */
    public ApiStack awaitingMetering(String applicationId, Duration writeWait) {
        this.meteringApplicationId = applicationId;
        this.writeWait = writeWait;
        return this;
    }

    @Override
    protected void startParts() {
        kafka.start();
        database.start();
        Properties props = new Properties();
        props.put("bootstrap.servers", kafka.bootstrapServers());
        api = BillingApi.start(new BillingApi.Options(props, "127.0.0.1", 0, new Retention(25), 500, writeWait,
                new LoginPolicy(5, Duration.ofMinutes(15)), 1_000, Duration.ofHours(8), meteringApplicationId),
                database.database(), Clock.systemUTC());
    }

    @Override
    protected void stopParts() {
        if (api != null) {
            api.close();
            api = null;
        }
        database.close();
        kafka.close();
    }

    public BillingApi api() {
        requireRunning();
        return api;
    }

    /** The API's address, {@code http://127.0.0.1:<port>}. */
    public String base() {
        return "http://127.0.0.1:" + api().port();
    }

    public BrokerStack kafka() {
        requireRunning();
        return kafka;
    }

    public Database database() {
        return database.database();
    }
}
