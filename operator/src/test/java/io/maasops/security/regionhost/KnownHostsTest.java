package io.maasops.security.regionhost;

import static org.assertj.core.api.Assertions.assertThat;

import io.maasops.security.testing.region.KeyMaterial;
import java.security.PublicKey;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure rules of {@link KnownHosts} (openssh-portable match.c, hostfile.c, sshconnect2.c). */
class KnownHostsTest {
    private static final List<String> DEFAULTS =
            SshAlgorithms.SIGNATURES.stream().map(s -> s.getName()).toList();

    @Test
    void patternsAsMatchDotC() {
        assertThat(KnownHosts.matchPattern("[10.0.0.1]:2222", "[10.0.0.*]:*")).isTrue();
        assertThat(KnownHosts.matchPattern("10.0.0.1", "10.0.0.?")).isTrue();
        assertThat(KnownHosts.matchPattern("10.0.0.12", "10.0.0.?")).isFalse();
        assertThat(KnownHosts.matchPattern("[10.0.0.1]:2222", "10.0.0.*")).isFalse(); // the whole string
        assertThat(KnownHosts.matchPatternList("region-a", "REGION-*,!region-b"))
                .isEqualTo(1); // patterns lowercased
        assertThat(KnownHosts.matchPatternList("region-b", "region-*,!region-b"))
                .isEqualTo(-1);
        assertThat(KnownHosts.matchPatternList("region-c", "!region-b")).isZero(); // a negation alone matches nothing
        assertThat(KnownHosts.matchPatternList("a", "a".repeat(1023))).isZero();
    }

    @Test
    void hashedNamesAreOneNameAndMalformedOnesMatchNothing() {
        String salt = java.util.Base64.getEncoder().encodeToString(new byte[20]);
        String hashed = KnownHosts.hashHostName("[127.0.0.1]:2222", "|1|" + salt + "|");
        assertThat(KnownHosts.hostFieldMatches("[127.0.0.1]:2222", hashed)).isTrue();
        assertThat(KnownHosts.hostFieldMatches("127.0.0.1", hashed)).isFalse();
        assertThat(KnownHosts.hostFieldMatches("[127.0.0.1]:2222", "|1|c2hvcnQ=|x"))
                .isFalse(); // 5-byte salt
        assertThat(KnownHosts.hostFieldMatches("[127.0.0.1]:2222", "|2|" + salt + "|x"))
                .isFalse();
    }

    @Test
    void unparsableLinesAreSkippedAsSshSkipsThem() {
        PublicKey k = KeyMaterial.generateEd25519().getPublic();
        KnownHosts kh = KnownHosts.parse("# comment\n\n@bogus h " + KeyMaterial.publicKeyLine(k)
                + "\n@revoked @cert-authority h " + KeyMaterial.publicKeyLine(k)
                + "\nh ssh-ed25519 !!notbase64\nh\n  h\t" + KeyMaterial.publicKeyLine(k) + "\r\n");
        assertThat(kh.lines()).singleElement().satisfies(l -> {
            assertThat(l.number()).isEqualTo(7);
            assertThat(l.hosts()).isEqualTo("h");
        });
    }

    @Test
    void hostKeyAlgorithmsPreferWhatKnownHostsCanConfirm() {
        PublicKey ed = KeyMaterial.generateEd25519().getPublic();
        PublicKey rsa = KeyMaterial.generateRsa().getPublic();
        // the first preference's key type is known: the list as is
        assertThat(KnownHosts.parse("[h]:2222 " + KeyMaterial.publicKeyLine(ed))
                        .preferredAlgorithms("h", 2222, DEFAULTS))
                .isEqualTo(DEFAULTS);
        // only RSA known: RSA algorithms first, in their order
        assertThat(KnownHosts.parse("[h]:2222 " + KeyMaterial.publicKeyLine(rsa))
                        .preferredAlgorithms("h", 2222, DEFAULTS))
                .startsWith(
                        "rsa-sha2-512-cert-v01@openssh.com",
                        "rsa-sha2-256-cert-v01@openssh.com",
                        "rsa-sha2-512",
                        "rsa-sha2-256",
                        "ssh-ed25519-cert-v01@openssh.com");
        // a CA for the host: every certificate algorithm first
        assertThat(KnownHosts.parse("@cert-authority * " + KeyMaterial.publicKeyLine(rsa))
                        .preferredAlgorithms("h", 22, DEFAULTS)
                        .subList(0, 6))
                .allMatch(a -> a.contains("-cert-v01@openssh.com"));
        // lines for other hosts change nothing
        assertThat(KnownHosts.parse("other " + KeyMaterial.publicKeyLine(rsa)).preferredAlgorithms("h", 22, DEFAULTS))
                .isEqualTo(DEFAULTS);
    }
}
