package dev.meterflow.serde;

import static dev.meterflow.serde.ContractRecords.CONTRACT_RECORD_TYPES;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.schemas.TaxRate;
import dev.meterflow.schemas.UsageEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaIncompatibilityType;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The released schema history: every current schema is released, and every released version stays readable
 * both ways. A schema change without a new file in {@code schema-history} fails here, before it ships.
 */
class SchemaStoreTest {

    /**
     * The one kind of break a released reader may meet: symbols added to an enum whose released version declared
     * no default symbol, so that version's readers cannot map them. Each is named in CONTRACT.md, under its record;
     * nothing else may break a released reader.
     */
    private static final Map<String, Set<String>> SYMBOLS_OLD_READERS_MUST_UPGRADE_FOR = Map.of(
            // issue 10 §2: the notice of a bank payment sent and not settled yet
            "schema-history/v1/BillingNotification.avsc", Set.of("PAYMENT_PROCESSING"));

    static Stream<Class<? extends SpecificRecord>> contractRecordTypes() {
        return CONTRACT_RECORD_TYPES.stream();
    }

    static Stream<String> releasedSchemaPaths() {
        return readReleasedIndex().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("contractRecordTypes")
    void shouldHoldTheCurrentSchemaOfEveryContractRecordAsAReleasedVersion(Class<? extends SpecificRecord> type) {
        // given
        Schema current = SpecificData.get().getSchema(type);

        // when
        Schema released = SchemaStore.released().findByFingerprint(SchemaNormalization.parsingFingerprint64(current));

        // then
        assertThat(released).as("released version of the current %s schema; release it in %s",
                type.getSimpleName(), SchemaStore.INDEX).isNotNull();
        assertThat(released.getFullName()).isEqualTo(current.getFullName());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("releasedSchemaPaths")
    void shouldReadEveryReleasedVersionWithTheCurrentSchema(String path) {
        // given
        Schema released = parseResource(path);
        Schema current = currentSchemaNamed(released.getFullName());

        // when
        var compatibility = SchemaCompatibility.checkReaderWriterCompatibility(current, released);

        // then
        assertThat(compatibility.getType()).as("current reader, %s writer: %s", path, compatibility.getDescription())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        assertThat(SchemaStore.released().findByFingerprint(SchemaStore.fingerprint(released))).isNotNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("releasedSchemaPaths")
    void shouldLetConsumersOfEveryReleasedVersionReadCurrentData(String path) {
        // given: another team still builds against this released version (CONTRACT.md: add, never remove)
        Schema released = parseResource(path);
        Schema current = currentSchemaNamed(released.getFullName());

        // when
        var compatibility = SchemaCompatibility.checkReaderWriterCompatibility(released, current);

        // then
        Set<String> mustUpgradeFor = SYMBOLS_OLD_READERS_MUST_UPGRADE_FOR.getOrDefault(path, Set.of());
        if (mustUpgradeFor.isEmpty()) {
            assertThat(compatibility.getType()).as("%s reader, current writer: %s", path,
                    compatibility.getDescription()).isEqualTo(SchemaCompatibilityType.COMPATIBLE);
            return;
        }
        assertThat(compatibility.getResult().getIncompatibilities()).as("%s reader, current writer", path)
                .allSatisfy(incompatibility -> {
                    assertThat(incompatibility.getType()).isEqualTo(SchemaIncompatibilityType.MISSING_ENUM_SYMBOLS);
                    assertThat(Set.of(incompatibility.getMessage().replaceAll("[\\[\\]]", "").split(",\\s*")))
                            .isEqualTo(mustUpgradeFor);
                });
    }

    @Test
    void shouldDeclareEveryTopLevelSchemaOfTheSourceTreeAsAContractRecord() throws IOException {
        // given: src/main/avro holds the contract records, src/main/avro/common their shared parts
        Path sources = Path.of(System.getProperty("basedir", "."), "src", "main", "avro");

        // when
        List<String> topLevelSchemas;
        try (Stream<Path> files = Files.list(sources)) {
            topLevelSchemas = files.map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(".avsc"))
                    .map(name -> name.substring(0, name.length() - ".avsc".length()))
                    .toList();
        }

        // then
        assertThat(topLevelSchemas).containsExactlyInAnyOrderElementsOf(
                CONTRACT_RECORD_TYPES.stream().map(Class::getSimpleName).toList());
    }

    @Test
    void shouldFindASchemaOnlyByTheFingerprintOfItsParsingForm() {
        // given
        SchemaStore store = new SchemaStore(List.of(UsageEvent.getClassSchema()));

        // when / then
        assertThat(store.findByFingerprint(SchemaNormalization.parsingFingerprint64(UsageEvent.getClassSchema())))
                .isSameAs(UsageEvent.getClassSchema());
        assertThat(store.findByFingerprint(SchemaNormalization.parsingFingerprint64(TaxRate.getClassSchema())))
                .isNull();
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void shouldKeepTheFirstSchemaOfAFingerprint() {
        // given: a copy differing only in its doc has the same parsing form, hence the same fingerprint
        Schema original = UsageEvent.getClassSchema();
        Schema redocumented = new Schema.Parser().parse(original.toString().replace(
                "One billable use of a service", "A billable use"));

        // when
        SchemaStore store = new SchemaStore(List.of(original, redocumented));

        // then
        assertThat(store.size()).isEqualTo(1);
        assertThat(store.findByFingerprint(SchemaStore.fingerprint(redocumented))).isSameAs(original);
    }

    private static Schema currentSchemaNamed(String fullName) {
        return CONTRACT_RECORD_TYPES.stream()
                .map(type -> SpecificData.get().getSchema(type))
                .filter(schema -> schema.getFullName().equals(fullName))
                .findFirst()
                .orElseThrow(() -> new AssertionError("released schema " + fullName + " is no contract record"));
    }

    private static Schema parseResource(String path) {
        try (InputStream in = SchemaStoreTest.class.getClassLoader().getResourceAsStream(path)) {
            assertThat(in).as("released schema %s", path).isNotNull();
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> readReleasedIndex() {
        try (InputStream in = SchemaStoreTest.class.getClassLoader().getResourceAsStream(SchemaStore.INDEX)) {
            assertThat(in).as(SchemaStore.INDEX).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
