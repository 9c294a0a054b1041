package io.maasops.security.maas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class MaasApiKeyTest {

    @Test
    void parsesThreePartsAndIgnoresTrailingNewline() {
        MaasApiKey k = MaasApiKey.parse("ck123:tk456:ts789\n");
        assertThat(k.consumerKey()).isEqualTo("ck123");
        assertThat(k.tokenKey()).isEqualTo("tk456");
        assertThat(k.revealTokenSecret()).isEqualTo("ts789");
        assertThat(k.reveal()).isEqualTo("ck123:tk456:ts789");
    }

    @Test
    void toStringIsRedacted() {
        assertThat(MaasApiKey.parse("ck123:tk456:ts789").toString())
                .isEqualTo("MaasApiKey<redacted>")
                .doesNotContain("ck123", "tk456", "ts789");
    }

    @Test
    void malformedKeysAreRejectedWithoutQuotingThem() {
        for (String bad :
                new String[] {"onlyonepartSECRET", "a:bSECRET", "a:b:c:dSECRET", "a::cSECRET", "a:b c:SECRET"}) {
            assertThatThrownBy(() -> MaasApiKey.parse(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("MAAS API key is")
                    .message()
                    .doesNotContain("SECRET");
        }
        assertThatThrownBy(() -> MaasApiKey.parse("  ")).hasMessage("MAAS API key is empty");
        assertThatThrownBy(() -> MaasApiKey.parse(null)).hasMessage("MAAS API key is empty");
    }

    @Test
    void plaintextHeaderHasMaasFieldsInOrder() {
        OAuthPlaintextSigner signer = new OAuthPlaintextSigner(
                Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC), () -> "nonce-1");
        assertThat(signer.authorizationHeader(MaasApiKey.parse("ck:tk:ts")))
                .isEqualTo("OAuth oauth_version=\"1.0\", oauth_signature_method=\"PLAINTEXT\","
                        + " oauth_consumer_key=\"ck\", oauth_token=\"tk\", oauth_signature=\"%26ts\","
                        + " oauth_nonce=\"nonce-1\", oauth_timestamp=\"1700000000\"");
    }
}
