package io.maasops.security.maas;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The {@code Authorization} header MAAS expects: OAuth 1.0 PLAINTEXT with an empty consumer secret,
 * so the signature is {@code &token_secret} (docs/reference/maas-internals.md §5). Values are quoted and
 * percent-encoded as RFC 5849 §3.5.1 requires (and as MAAS's own oauthlib-based client sends them;
 * MAAS strips the quotes and decodes), so the signature travels as {@code %26<token_secret>}.
 */
public final class OAuthPlaintextSigner {

    private final Clock clock;
    private final Supplier<String> nonces;

    public OAuthPlaintextSigner() {
        this(Clock.systemUTC(), () -> UUID.randomUUID().toString());
    }

    public OAuthPlaintextSigner(Clock clock, Supplier<String> nonces) {
        this.clock = clock;
        this.nonces = nonces;
    }

    public String authorizationHeader(MaasApiKey key) {
        return "OAuth oauth_version=\"1.0\""
                + ", oauth_signature_method=\"PLAINTEXT\""
                + ", oauth_consumer_key=\"" + encode(key.consumerKey()) + "\""
                + ", oauth_token=\"" + encode(key.tokenKey()) + "\""
                + ", oauth_signature=\"" + encode("&" + key.revealTokenSecret()) + "\""
                + ", oauth_nonce=\"" + encode(nonces.get()) + "\""
                + ", oauth_timestamp=\"" + clock.instant().getEpochSecond() + "\"";
    }

    /** RFC 3986 unreserved characters stay, everything else is %XX. */
    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8)
                .replace("+", "%20")
                .replace("*", "%2A")
                .replace("%7E", "~");
    }
}
