package dev.meterflow.serde;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * Every released version of every record schema, by 64-bit CRC-64-AVRO fingerprint (the one that
 * single-object encoding puts after the {@code C3 01} marker). A reader uses it to resolve bytes written
 * with an older schema version.
 *
 * <p>The released versions ship as classpath resources listed in {@value #INDEX}; the current version of
 * each generated class is added by the serde itself.
 */
public final class SchemaStore implements org.apache.avro.message.SchemaStore {

    /** One resource path per line, each an {@code .avsc} of a released schema version. */
    public static final String INDEX = "schema-history/index.txt";

    private static final SchemaStore RELEASED = loadReleased();

    private final Map<Long, Schema> byFingerprint = new ConcurrentHashMap<>();

    public SchemaStore() {
    }

    public SchemaStore(Collection<Schema> schemas) {
        schemas.forEach(this::add);
    }

    /** The store of every released schema version shipped with this jar. */
    public static SchemaStore released() {
        return RELEASED;
    }

    public static long fingerprint(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }

    public SchemaStore add(Schema schema) {
        byFingerprint.putIfAbsent(fingerprint(schema), schema);
        return this;
    }

    @Override
    public Schema findByFingerprint(long fingerprint) {
        return byFingerprint.get(fingerprint);
    }

    public int size() {
        return byFingerprint.size();
    }

    private static SchemaStore loadReleased() {
        ClassLoader loader = SchemaStore.class.getClassLoader();
        SchemaStore store = new SchemaStore();
        for (String path : readIndex(loader)) {
            try (InputStream in = loader.getResourceAsStream(path)) {
                if (in == null) {
                    throw new IllegalStateException("released schema listed in " + INDEX + " is missing: " + path);
                }
                // a fresh parser per file: each released version is self-contained
                store.add(new Schema.Parser().parse(in));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read released schema " + path, e);
            }
        }
        return store;
    }

    private static List<String> readIndex(ClassLoader loader) {
        try (InputStream in = loader.getResourceAsStream(INDEX)) {
            if (in == null) {
                return List.of();
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + INDEX, e);
        }
    }
}
