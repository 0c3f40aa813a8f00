package dev.meterflow.api.statements;

import com.openhtmltopdf.util.Diagnostic;
import com.openhtmltopdf.util.XRLogger;
import java.util.logging.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * openhtmltopdf's log through SLF4J (its own goes to stderr and says "Prepare to fly" at INFO for every PDF): its
 * warnings stay warnings, the rest is DEBUG.
 */
final class PdfLog implements XRLogger {

    private static final Logger log = LoggerFactory.getLogger("com.openhtmltopdf");

    @Override
    public void log(String where, Level level, String message) {
        log(where, level, message, null);
    }

    @Override
    public void log(String where, Level level, String message, Throwable failure) {
        if (level.intValue() >= Level.WARNING.intValue()) {
            log.warn("pdf rendering where='{}' message='{}'", where, message, failure);
        } else if (log.isDebugEnabled()) {
            log.debug("pdf rendering where='{}' message='{}'", where, message, failure);
        }
    }

    @Override
    public void setLevel(String logger, Level level) {
        // levels are logback's
    }

    @Override
    public boolean isLogLevelEnabled(Diagnostic diagnostic) {
        return diagnostic.getLevel().intValue() >= Level.WARNING.intValue() || log.isDebugEnabled();
    }
}
