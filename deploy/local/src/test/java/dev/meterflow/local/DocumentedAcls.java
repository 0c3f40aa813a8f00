package dev.meterflow.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The ACLs a page of documentation tells operators to create: its {@code kafka-acls.sh --add} commands, read the
 * way Kafka's tool reads them (every {@code --operation} on every resource named, with one pattern type), so a
 * test can create exactly what the page says and the page cannot drift from what the apps need.
 */
final class DocumentedAcls {

    private static final String COMMAND = "kafka-acls.sh";

    private DocumentedAcls() {
    }

    static List<AclBinding> from(Path markdown) {
        List<AclBinding> bindings = new ArrayList<>();
        for (String command : commands(markdown)) {
            bindings.addAll(parse(command));
        }
        if (bindings.isEmpty()) {
            throw new IllegalStateException(markdown + " has no " + COMMAND + " --add commands");
        }
        return bindings;
    }

    /** The {@code kafka-acls.sh} commands, each with its continuation lines joined. */
    private static List<String> commands(Path markdown) {
        List<String> lines;
        try {
            lines = Files.readAllLines(markdown);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + markdown, e);
        }
        List<String> commands = new ArrayList<>();
        StringBuilder current = null;
        for (String line : lines) {
            String text = line.strip();
            if (current == null && text.startsWith(COMMAND + " ")) {
                current = new StringBuilder();
            }
            if (current != null) {
                boolean continues = text.endsWith("\\");
                current.append(' ').append(continues ? text.substring(0, text.length() - 1) : text);
                if (!continues) {
                    commands.add(current.toString().strip());
                    current = null;
                }
            }
        }
        return commands;
    }

    private static List<AclBinding> parse(String command) {
        // (the shell's single quotes, as around the wildcard topic '*', are not part of the value)
        String[] words = command.replace("'", "").split("\\s+");
        String principal = null;
        PatternType patternType = PatternType.LITERAL;
        boolean add = false;
        List<AclOperation> operations = new ArrayList<>();
        List<ResourcePattern> resources = new ArrayList<>();
        List<String[]> named = new ArrayList<>();
        for (int i = 1; i < words.length; i++) {
            String option = words[i];
            switch (option) {
                case "--add" -> add = true;
                case "--allow-principal" -> principal = words[++i];
                case "--operation" -> operations.add(operation(words[++i], command));
                case "--resource-pattern-type" -> patternType = PatternType.fromString(words[++i].toUpperCase(Locale.ROOT));
                case "--topic", "--group", "--transactional-id" -> named.add(new String[] {option, words[++i]});
                case "--bootstrap-server", "--command-config" -> i++;
                default -> throw new IllegalArgumentException("unexpected '" + option + "' in: " + command);
            }
        }
        if (!add || principal == null || operations.isEmpty() || named.isEmpty() || patternType == PatternType.UNKNOWN) {
            throw new IllegalArgumentException("not a complete kafka-acls.sh --add command: " + command);
        }
        for (String[] resource : named) {
            ResourceType type = switch (resource[0]) {
                case "--topic" -> ResourceType.TOPIC;
                case "--group" -> ResourceType.GROUP;
                default -> ResourceType.TRANSACTIONAL_ID;
            };
            resources.add(new ResourcePattern(type, resource[1], patternType));
        }
        List<AclBinding> bindings = new ArrayList<>();
        for (ResourcePattern resource : resources) {
            for (AclOperation operation : operations) {
                bindings.add(new AclBinding(resource,
                        new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW)));
            }
        }
        return bindings;
    }

    /** {@code Read}, {@code All}, {@code DescribeConfigs}: the tool's spelling of an {@link AclOperation}. */
    private static AclOperation operation(String name, String command) {
        AclOperation operation = AclOperation.fromString(
                name.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT));
        if (operation == AclOperation.UNKNOWN) {
            throw new IllegalArgumentException("unknown operation '" + name + "' in: " + command);
        }
        return operation;
    }
}
