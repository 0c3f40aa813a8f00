package dev.meterflow.worker.attempts;

import dev.meterflow.serde.SchemaStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Every released version of the attempt log's record, so a worker reads the {@code recharge-attempts} entries an
 * earlier release wrote (the compacted topic keeps them for ever); the serde adds the current version itself.
 * Add a file per released version.
 */
final class AttemptLogSchemas {

    private static final List<String> RELEASED = List.of("attempt-log-history/RechargeAttemptLog-v1.avsc");

    private AttemptLogSchemas() {
    }

    static SchemaStore released() {
        SchemaStore store = new SchemaStore();
        for (String path : RELEASED) {
            try (InputStream in = AttemptLogSchemas.class.getClassLoader().getResourceAsStream(path)) {
                if (in == null) {
                    throw new IllegalStateException("released attempt log schema is missing: " + path);
                }
                store.add(new Schema.Parser().parse(in));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read released attempt log schema " + path, e);
            }
        }
        return store;
    }
}
