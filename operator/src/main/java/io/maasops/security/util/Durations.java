package io.maasops.security.util;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the Go-style durations users write in specs (90s, 5m, 1h30m, 250ms, 0s). */
public final class Durations {

    private static final Pattern WHOLE = Pattern.compile("^([0-9]+(ms|s|m|h))+$");
    private static final Pattern PART = Pattern.compile("([0-9]+)(ms|s|m|h)");

    private Durations() {}

    /** @throws IllegalArgumentException with a message naming the bad value */
    public static Duration parse(String text) {
        if (text == null || !WHOLE.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration like 90s, 5m or 1h30m");
        }
        Duration total = Duration.ZERO;
        Matcher m = PART.matcher(text);
        while (m.find()) {
            long n;
            try {
                n = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is too large a duration");
            }
            total = switch (m.group(2)) {
                case "ms" -> total.plusMillis(n);
                case "s" -> total.plusSeconds(n);
                case "m" -> total.plusMinutes(n);
                default -> total.plusHours(n);
            };
        }
        return total;
    }

    /** Vault's TTL form: whole seconds with an "s" suffix. */
    public static String toVaultSeconds(Duration d) {
        return d.toSeconds() + "s";
    }
}
