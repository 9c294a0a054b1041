package io.maasops.security.util;

import java.util.Objects;

/**
 * A secret value (Vault token, secret-id, wrapping token, API key, private key). Its toString()
 * is redacted so that it cannot reach a log line, an event, a status or an exception message by
 * accident; code that really needs the value calls {@link #reveal()}.
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
    public boolean equals(Object o) {
        return o instanceof Secret s && s.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return "<redacted>";
    }
}
