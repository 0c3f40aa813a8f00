package dev.meterflow.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The Maven project version every Meterflow jar was built from (a resource the build fills in). */
public final class MeterflowVersion {

    private static final String RESOURCE = "/dev/meterflow/version.properties";

    private MeterflowVersion() {
    }

    public static String get() {
        try (InputStream in = MeterflowVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
