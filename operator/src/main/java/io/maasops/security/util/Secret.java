package io.maasops.security.util;

import java.util.Objects;

/**
 * A secret value (wrapping token, secret-id, Vault token, private key, API key). Its {@link #toString()}
 * never shows the value, so it cannot leak through logging, string concatenation or exception messages by
 * accident; code that really needs the value calls {@link #reveal()} at the last moment.
 */
public final class Secret {
    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    public static Secret of(String value) {
        return new Secret(value);
    }

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
