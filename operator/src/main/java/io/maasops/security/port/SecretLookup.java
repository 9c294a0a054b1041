package io.maasops.security.port;

import io.maasops.security.util.Secret;

/** One key of a Secret: either a value, or the reason and message of why there is none (never the value). */
public record SecretLookup(Secret value, String reason, String message) {

    public static SecretLookup missing(String reason, String message) {
        return new SecretLookup(null, reason, message);
    }

    public boolean found() {
        return value != null;
    }
}
