package dev.meterflow.topics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.serde.SingleObjectSerde;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/CONTRACT.md} is what other teams build against: its topic table, record tables and enum table must say
 * exactly what the topic registry and the Avro schemas do, in both directions, so the page cannot drift.
 */
class ContractDocumentTest {

    private static final Path CONTRACT = Path.of("..", "docs", "CONTRACT.md");
    private static final Pattern SECTION = Pattern.compile("^## (.+)$");
    private static final Pattern RECORD_HEADING = Pattern.compile("^### ([A-Za-z]+)$");
    private static final Pattern TABLE_ROW = Pattern.compile("^\\|(.+)\\|$");

    private static List<String> lines;

    @BeforeAll
    static void readTheDocument() throws IOException {
        lines = Files.readAllLines(CONTRACT);
    }

    @Test
    void shouldListEveryTopicOfTheRegistryWithItsValueCleanupAndKey() {
        // given
        Map<String, List<String>> documented = new TreeMap<>();
        for (List<String> row : tableRows(linesOfSection("Topics"))) {
            documented.put(unquote(row.get(0)), row);
        }

        // then
        assertThat(documented.keySet())
                .containsExactlyInAnyOrderElementsOf(Topics.ALL.stream().map(Topic::name).toList());
        for (Topic<?, ?> topic : Topics.ALL) {
            List<String> row = documented.get(topic.name());
            assertThat(row.get(1).startsWith("account id")).as("%s keyed by account id", topic.name())
                    .isEqualTo(topic.keyedByAccount());
            assertThat(row.get(2)).as("%s value", topic.name()).isEqualTo(valueName(topic));
            assertThat(row.get(3)).as("%s cleanup", topic.name()).isEqualTo(topic.compacted() ? "compact" : "delete");
        }
    }

    @Test
    void shouldDocumentEveryFieldOfEveryRecordWithItsType() {
        // given
        Map<String, Map<String, String>> documented = documentedRecords();
        Map<String, Schema> schemas = recordsOnTheWire();

        // then: the same records, and in each the same fields in the same order with the same types
        assertThat(documented.keySet()).containsExactlyInAnyOrderElementsOf(schemas.keySet());
        schemas.forEach((name, schema) -> {
            Map<String, String> fields = new LinkedHashMap<>();
            schema.getFields().forEach(field -> fields.put(field.name(), typeName(field.schema())));
            assertThat(documented.get(name)).as("fields of %s", name).containsExactlyEntriesOf(fields);
        });
    }

    @Test
    void shouldListEverySymbolOfEveryEnum() {
        // given
        Map<String, Set<String>> documented = new TreeMap<>();
        for (List<String> row : tableRows(linesOfSection("Enums"))) {
            documented.put(row.get(0), new LinkedHashSet<>(List.of(row.get(1).split(",\\s*"))));
        }
        Map<String, Set<String>> enums = new TreeMap<>();
        recordsOnTheWire().values().forEach(schema -> collectEnums(schema, enums));

        // then
        assertThat(documented).isEqualTo(enums);
    }

    private static String valueName(Topic<?, ?> topic) {
        if (topic.valueSerde() instanceof SingleObjectSerde<?> serde) {
            String type = serde.recordType();
            return type.substring(type.lastIndexOf('.') + 1);
        }
        return "raw bytes";
    }

    /** Every named record reachable from a topic's value type. */
    private static Map<String, Schema> recordsOnTheWire() {
        Map<String, Schema> records = new TreeMap<>();
        for (Topic<?, ?> topic : Topics.ALL) {
            if (topic.valueSerde() instanceof SingleObjectSerde<?> serde) {
                collectRecords(schemaOf(serde.recordType()), records);
            }
        }
        return records;
    }

    private static Schema schemaOf(String className) {
        try {
            return (Schema) Class.forName(className).getMethod("getClassSchema").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("no generated class " + className, e);
        }
    }

    private static void collectRecords(Schema schema, Map<String, Schema> into) {
        switch (schema.getType()) {
            case RECORD -> {
                if (into.putIfAbsent(schema.getName(), schema) == null) {
                    schema.getFields().forEach(field -> collectRecords(field.schema(), into));
                }
            }
            case UNION -> schema.getTypes().forEach(member -> collectRecords(member, into));
            case ARRAY -> collectRecords(schema.getElementType(), into);
            case MAP -> collectRecords(schema.getValueType(), into);
            default -> {
            }
        }
    }

    private static void collectEnums(Schema record, Map<String, Set<String>> into) {
        for (Schema.Field field : record.getFields()) {
            Schema type = field.schema();
            if (type.getType() == Schema.Type.UNION) {
                type = type.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).findFirst().orElseThrow();
            }
            if (type.getType() == Schema.Type.ENUM) {
                into.put(type.getName(), new LinkedHashSet<>(type.getEnumSymbols()));
            }
        }
    }

    /** The type as the document writes it: {@code string or null}, {@code array<PaymentMethodRef>}, ... */
    private static String typeName(Schema schema) {
        LogicalType logical = schema.getLogicalType();
        if (logical != null) {
            return logical.getName();
        }
        return switch (schema.getType()) {
            case UNION -> {
                List<Schema> others = schema.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).toList();
                yield typeName(others.get(0)) + (others.size() < schema.getTypes().size() ? " or null" : "");
            }
            case ARRAY -> "array<" + typeName(schema.getElementType()) + ">";
            case MAP -> "map<" + typeName(schema.getValueType()) + ">";
            case RECORD -> schema.getName();
            case ENUM -> "enum " + schema.getName();
            default -> schema.getType().getName();
        };
    }

    private static Map<String, Map<String, String>> documentedRecords() {
        Map<String, Map<String, String>> records = new TreeMap<>();
        List<String> section = linesOfSection("Records");
        String current = null;
        List<String> block = new ArrayList<>();
        for (String line : section) {
            Matcher heading = RECORD_HEADING.matcher(line);
            if (heading.matches()) {
                putRecord(records, current, block);
                current = heading.group(1);
                block = new ArrayList<>();
            } else {
                block.add(line);
            }
        }
        putRecord(records, current, block);
        return records;
    }

    private static void putRecord(Map<String, Map<String, String>> records, String name, List<String> block) {
        if (name == null) {
            return;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        tableRows(block).forEach(row -> fields.put(row.get(0), row.get(1)));
        records.put(name, fields);
    }

    private static List<String> linesOfSection(String title) {
        List<String> section = new ArrayList<>();
        boolean inside = false;
        for (String line : lines) {
            Matcher heading = SECTION.matcher(line);
            if (heading.matches()) {
                inside = heading.group(1).equals(title);
            } else if (inside) {
                section.add(line);
            }
        }
        assertThat(section).as("section '## %s' of %s", title, CONTRACT).isNotEmpty();
        return section;
    }

    /** The body rows of the markdown tables in these lines, cells trimmed; header and separator rows left out. */
    private static List<List<String>> tableRows(List<String> section) {
        List<List<String>> rows = new ArrayList<>();
        boolean header = true;
        for (String line : section) {
            Matcher row = TABLE_ROW.matcher(line.strip());
            if (!row.matches()) {
                header = true;
                continue;
            }
            List<String> cells = List.of(row.group(1).split("\\|", -1)).stream().map(String::strip)
                    .collect(Collectors.toList());
            if (header || cells.get(0).startsWith("---")) {
                header = false;
                continue;
            }
            rows.add(cells);
        }
        return rows;
    }

    private static String unquote(String cell) {
        return cell.replace("`", "");
    }
}
