package io.maasops.security.bootstrap;

import java.util.List;
import java.util.Locale;

/**
 * The operator's default log level (--log-level, env LOG_LEVEL). Logback reads its configuration once,
 * when the first logger is created, and takes the root level from {@value #PROPERTY}; so this must run
 * before any class creates a logger. An explicit -Dmaasops.log.level still wins. Loggers named in
 * maasops-log-levels.xml (fabric8, MINA SSHD) keep their own level.
 */
public final class LogLevel {

    public static final String PROPERTY = "maasops.log.level";
    public static final List<String> LEVELS = List.of("trace", "debug", "info", "warn", "error");

    private LogLevel() {}

    /** The level in lower case; refuses anything else (a typo must not silently mean info). */
    public static String parse(String level) {
        String l = level == null ? "" : level.strip().toLowerCase(Locale.ROOT);
        if (!LEVELS.contains(l)) {
            throw new IllegalArgumentException("log level must be one of " + LEVELS + ", not '" + level + "'");
        }
        return l;
    }

    public static void apply(String level) {
        String l = parse(level);
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, l);
        }
    }
}
