package dev.meterflow.startup;

import dev.meterflow.config.AppConfig.ConfigException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * {@code bootstrap.servers} checked before any Kafka client sees it: the clients turn an empty list or an
 * unknown host into a stack trace, or keep retrying a name that will never resolve.
 */
public final class BootstrapServers {

    private static final String KEY = "bootstrap.servers";

    private BootstrapServers() {
    }

    /** The {@code host:port} entries, each well-formed. */
    public static List<String> parse(String value) {
        List<String> entries = value == null ? List.of() : Arrays.stream(value.split(","))
                .map(String::strip).filter(entry -> !entry.isEmpty()).toList();
        if (entries.isEmpty()) {
            throw new ConfigException(KEY + " must name at least one broker as host:port, was '"
                    + (value == null ? "" : value) + "'");
        }
        for (String entry : entries) {
            int colon = entry.lastIndexOf(':');
            String port = colon < 0 ? "" : entry.substring(colon + 1);
            if (colon <= 0 || !port.matches("\\d{1,5}") || Integer.parseInt(port) > 65_535) {
                throw new ConfigException(KEY + " entry '" + entry + "' is not host:port");
            }
        }
        return entries;
    }

    /** At least one entry's host must resolve, as the clients require. */
    public static void requireResolvable(String value) {
        List<String> entries = parse(value);
        for (String entry : entries) {
            String host = entry.substring(0, entry.lastIndexOf(':')).replace("[", "").replace("]", "");
            try {
                InetAddress.getAllByName(host);
                return;
            } catch (UnknownHostException e) {
                // try the next one
            }
        }
        throw new ConfigException(KEY + ": no host of '" + value + "' resolves (unknown host)");
    }
}
