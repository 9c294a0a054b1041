package io.maasops.security.tenancy;

import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/** Host names, IP literals and CIDR blocks as the allow-lists compare them; never resolves a name. */
final class Addresses {

    private Addresses() {}

    /** The address of an IPv4 dotted quad or an IPv6 literal; empty for anything else (host names are never resolved). */
    static Optional<byte[]> ipLiteral(String s) {
        if (s == null || s.isEmpty() || s.length() > 45) {
            return Optional.empty();
        }
        String[] quad = s.split("\\.", -1);
        if (quad.length == 4 && s.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))) {
            byte[] out = new byte[4];
            for (int i = 0; i < 4; i++) {
                if (quad[i].isEmpty() || quad[i].length() > 3 || Integer.parseInt(quad[i]) > 255) {
                    return Optional.empty();
                }
                out[i] = (byte) Integer.parseInt(quad[i]);
            }
            return Optional.of(out);
        }
        if (s.indexOf(':') >= 0 && s.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
            try {
                InetAddress a = InetAddress.getByName(s); // a literal: parsed, not looked up
                return a instanceof Inet6Address ? Optional.of(a.getAddress()) : Optional.empty();
            } catch (UnknownHostException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Whether {@code address} lies in {@code cidr} ("10.0.0.0/24", "fd00::/8"); false for anything malformed. */
    static boolean inCidr(byte[] address, String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            return false;
        }
        Optional<byte[]> net = ipLiteral(cidr.substring(0, slash));
        int bits;
        try {
            bits = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            return false;
        }
        if (net.isEmpty() || net.get().length != address.length || bits < 0 || bits > address.length * 8) {
            return false;
        }
        int shift = address.length * 8 - bits;
        BigInteger a = new BigInteger(1, address).shiftRight(shift);
        BigInteger n = new BigInteger(1, net.get()).shiftRight(shift);
        return a.equals(n);
    }

    /** Host-name match: exact (case-insensitive), or "*.domain" for any name with at least one more label before it. */
    static boolean hostMatches(String pattern, String host) {
        String p = pattern.toLowerCase(Locale.ROOT);
        String h = host.toLowerCase(Locale.ROOT);
        if (p.startsWith("*.")) {
            String suffix = p.substring(1);
            return h.length() > suffix.length() && h.endsWith(suffix);
        }
        return p.equals(h);
    }
}
