package io.maasops.security.bootstrap;

import java.util.List;
import java.util.Locale;

/**
 * The operator's default log level (--log-level, env LOG_LEVEL). slf4j-simple reads its configuration
 * once, when the first logger is created, so this must run before any class creates one; an explicit
 * -Dorg.slf4j.simpleLogger.defaultLogLevel still wins. Loggers named in simplelogger.properties
 * (fabric8, MINA SSHD) keep their own level.
 */
public final class LogLevel {

  public static final String PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";
  public static final List<String> LEVELS = List.of("trace", "debug", "info", "warn", "error");

  private LogLevel() {}

  /** The level in slf4j-simple's spelling; refuses anything else (a typo must not silently mean info). */
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
