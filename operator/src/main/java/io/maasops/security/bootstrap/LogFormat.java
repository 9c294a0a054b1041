package io.maasops.security.bootstrap;

import java.util.List;

/**
 * The operator's log format (--log-format, env LOG_FORMAT): {@code text} (logback.xml) or {@code json}
 * (logback-json.xml: one object per line with JOSDK's MDC, for log pipelines). Like {@link LogLevel} it
 * must be applied before the first logger exists; an explicit -Dlogback.configurationFile wins.
 */
public final class LogFormat {

    static final String CONFIGURATION_PROPERTY = "logback.configurationFile";
    static final String JSON_CONFIGURATION = "logback-json.xml";
    public static final List<String> FORMATS = List.of("text", "json");

    private LogFormat() {}

    public static String parse(String format) {
        return LogLevel.oneOf("log format", FORMATS, format);
    }

    public static void apply(String format) {
        if (parse(format).equals("json") && System.getProperty(CONFIGURATION_PROPERTY) == null) {
            System.setProperty(CONFIGURATION_PROPERTY, JSON_CONFIGURATION);
        }
    }
}
