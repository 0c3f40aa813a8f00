package dev.meterflow.metering.topology;

import dev.meterflow.serde.SchemaStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Every released version of the internal state-store records, so state written by an earlier release is still
 * read after an upgrade (the store's serde adds the current version itself). Add a file per released version.
 */
final class StateSchemas {

    private static final List<String> RELEASED = List.of("state-schema-history/AccountStateRecord-v1.avsc",
            "state-schema-history/AccountStateRecord-v2.avsc", "state-schema-history/AccountStateRecord-v3.avsc",
            "state-schema-history/AccountStateRecord-v4.avsc", "state-schema-history/AccountStateRecord-v5.avsc",
            "state-schema-history/AgencyRecord-v1.avsc", "state-schema-history/AgencyRecord-v2.avsc",
            "state-schema-history/TaxableLineRecord-v1.avsc");

    private StateSchemas() {
    }

    static SchemaStore released() {
        SchemaStore store = new SchemaStore();
        for (String path : RELEASED) {
            try (InputStream in = StateSchemas.class.getClassLoader().getResourceAsStream(path)) {
                if (in == null) {
                    throw new IllegalStateException("released state schema is missing: " + path);
                }
                store.add(new Schema.Parser().parse(in));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read released state schema " + path, e);
            }
        }
        return store;
    }
}
