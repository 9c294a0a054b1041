package io.maasops.security.regionhost;

import java.util.Objects;

/** Where and as whom to SSH; {@code sudo} prefixes every command with {@code sudo -n --}. */
public record SshTarget(String host, int port, String user, boolean sudo) {
    public SshTarget {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(user, "user");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    public String describe() {
        return "ssh " + user + "@" + host + ":" + port;
    }
}
