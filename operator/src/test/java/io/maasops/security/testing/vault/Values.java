package io.maasops.security.testing.vault;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Vault's parameter coercions: durations (seconds or Go duration strings), lists (array or comma string), CIDRs. */
final class Values {
    private static final Pattern GO_DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    private Values() {}

    /** @throws IllegalArgumentException on a malformed value */
    static long seconds(JsonNode n) {
        if (n == null || n.isNull()) {
            return 0;
        }
        if (n.isNumber()) {
            return n.asLong();
        }
        return parseDuration(n.asText()).getSeconds();
    }

    static Duration parseDuration(String s) {
        String t = s.trim();
        if (t.isEmpty()) {
            return Duration.ZERO;
        }
        if (t.matches("-?\\d+")) {
            return Duration.ofSeconds(Long.parseLong(t));
        }
        Matcher m = GO_DURATION.matcher(t);
        long nanos = 0;
        int pos = 0;
        while (m.find() && m.start() == pos) {
            double v = Double.parseDouble(m.group(1));
            nanos += (long) (v
                    * switch (m.group(2)) {
                        case "h" -> 3_600_000_000_000L;
                        case "m" -> 60_000_000_000L;
                        case "s" -> 1_000_000_000L;
                        case "ms" -> 1_000_000L;
                        case "us", "µs" -> 1_000L;
                        default -> 1L;
                    });
            pos = m.end();
        }
        if (pos != t.length()) {
            throw new IllegalArgumentException("time: invalid duration \"" + s + "\"");
        }
        return Duration.ofNanos(nanos);
    }

    static List<String> list(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (n.isArray()) {
            n.forEach(e -> out.add(e.asText().trim()));
        } else {
            for (String s : n.asText().split(",")) {
                if (!s.isBlank()) {
                    out.add(s.trim());
                }
            }
        }
        return out;
    }

    /**
     * framework.TypeCommaStringSlice (parseutil.ParseCommaStringSlice): a list, or a string split on ','; every item
     * trimmed; case, order and empty items kept; "" and null give an empty list.
     */
    static List<String> commaStringSlice(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (n.isArray()) {
            n.forEach(e -> out.add(e.asText().trim()));
            return out;
        }
        return ParameterValues.parseCommaStringSlice(n.asText());
    }

    static String time(Instant i) {
        return DateTimeFormatter.ISO_INSTANT.format(i);
    }

    static String localTime(Instant i) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(i.atOffset(ZoneOffset.UTC));
    }

    /** True when the list is empty or the address is inside one of the CIDR blocks (plain IPs = /32 or /128). */
    static boolean addressAllowed(List<String> cidrs, String address) {
        if (cidrs.isEmpty()) {
            return true;
        }
        for (String c : cidrs) {
            if (inCidr(c, address)) {
                return true;
            }
        }
        return false;
    }

    static boolean inCidr(String cidr, String address) {
        try {
            String[] parts = cidr.split("/");
            byte[] net = InetAddress.getByName(parts[0]).getAddress();
            byte[] addr = InetAddress.getByName(address).getAddress();
            if (net.length != addr.length) {
                return false;
            }
            int bits = parts.length > 1 ? Integer.parseInt(parts[1]) : net.length * 8;
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >> (i % 8);
                if ((net[i / 8] & mask) != (addr[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException | NumberFormatException e) {
            return false;
        }
    }

    static void validateCidrs(List<String> cidrs) {
        for (String c : cidrs) {
            String[] parts = c.split("/");
            boolean ok = parts.length <= 2 && parts[0].matches("[0-9a-fA-F.:]+");
            if (ok && parts.length == 2) {
                ok = parts[1].matches("\\d{1,3}");
            }
            if (!ok) {
                throw new IllegalArgumentException("invalid CIDR address: " + c);
            }
        }
    }
}
