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
        return oneOf("log level", LEVELS, level);
    }

    /** {@code value} trimmed and in lower case if it is one of {@code allowed}; refused otherwise. */
    static String oneOf(String what, List<String> allowed, String value) {
        String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        if (!allowed.contains(v)) {
            throw new IllegalArgumentException(what + " must be one of " + allowed + ", not '" + value + "'");
        }
        return v;
    }

    public static void apply(String level) {
        String l = parse(level);
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, l);
        }
    }
}
