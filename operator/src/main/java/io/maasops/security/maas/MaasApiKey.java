package io.maasops.security.maas;

import java.util.Objects;

/**
 * A MAAS API key, {@code consumer_key:token_key:token_secret} (docs/reference/maas-internals.md §5). The consumer
 * secret is always empty. Never printed: {@link #toString()} is redacted and parse errors do not
 * quote the input.
 */
public final class MaasApiKey {

    private final String consumerKey;
    private final String tokenKey;
    private final String tokenSecret;

    private MaasApiKey(String consumerKey, String tokenKey, String tokenSecret) {
        this.consumerKey = consumerKey;
        this.tokenKey = tokenKey;
        this.tokenSecret = tokenSecret;
    }

    /** Parses the key as stored in a Secret; surrounding whitespace (a trailing newline) is ignored. */
    public static MaasApiKey parse(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new IllegalArgumentException("MAAS API key is empty");
        }
        String[] parts = raw.strip().split(":", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("MAAS API key is malformed: expected 3 colon-separated parts"
                    + " (consumer_key:token_key:token_secret), got "
                    + parts.length);
        }
        for (int i = 0; i < 3; i++) {
            if (parts[i].isEmpty()) {
                throw new IllegalArgumentException("MAAS API key is malformed: part " + (i + 1) + " is empty");
            }
            if (!parts[i].chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                throw new IllegalArgumentException(
                        "MAAS API key is malformed: part " + (i + 1) + " has whitespace or non-ASCII characters");
            }
        }
        return new MaasApiKey(parts[0], parts[1], parts[2]);
    }

    public String consumerKey() {
        return consumerKey;
    }

    public String tokenKey() {
        return tokenKey;
    }

    /** The token secret: only for signing requests. */
    public String revealTokenSecret() {
        return tokenSecret;
    }

    /** The full key: only for handing to something that needs it verbatim. */
    public String reveal() {
        return consumerKey + ":" + tokenKey + ":" + tokenSecret;
    }

    @Override
    public String toString() {
        return "MaasApiKey<redacted>";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MaasApiKey k
                && consumerKey.equals(k.consumerKey)
                && tokenKey.equals(k.tokenKey)
                && tokenSecret.equals(k.tokenSecret);
    }

    @Override
    public int hashCode() {
        return Objects.hash(consumerKey, tokenKey, tokenSecret);
    }
}
