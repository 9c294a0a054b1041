package io.maasops.security.util;

import java.util.Objects;

/** Holds a secret value (token, secret-id, key) so that it never shows up in logs, messages or toString(). */
public final class Secret {
    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    public static Secret of(String value) {
        return new Secret(value);
    }

    /** The clear value; call only where the value is sent to its destination. */
    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "<redacted>";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other && value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
