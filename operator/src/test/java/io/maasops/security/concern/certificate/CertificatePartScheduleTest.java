package io.maasops.security.concern.certificate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** When the next certificate check is due (pure). */
class CertificatePartScheduleTest {

    static final Instant T = Instant.parse("2026-11-23T12:00:00Z");
    static final Duration TWELVE_HOURS = Duration.ofHours(12);

    @Test
    void noCheckYetIsDueNow() {
        assertThat(CertificateEntries.timeLeft(null, TWELVE_HOURS, T)).isEmpty();
    }

    @Test
    void withinTheIntervalWaitsForTheRest() {
        assertThat(CertificateEntries.timeLeft(T, TWELVE_HOURS, T.plus(Duration.ofHours(5))))
                .contains(Duration.ofHours(7));
    }

    @Test
    void atOrAfterTheIntervalIsDue() {
        assertThat(CertificateEntries.timeLeft(T, TWELVE_HOURS, T.plus(TWELVE_HOURS)))
                .isEmpty();
        assertThat(CertificateEntries.timeLeft(T, TWELVE_HOURS, T.plus(Duration.ofDays(3))))
                .isEmpty();
    }

    @Test
    void aClockSetBackNeverPostponesBeyondOneInterval() {
        assertThat(CertificateEntries.timeLeft(T, TWELVE_HOURS, T.minus(Duration.ofDays(2))))
                .contains(TWELVE_HOURS);
    }

    @Test
    void fingerprintIsHexSha256AndNotTheValue() {
        String pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
        assertThat(io.maasops.security.util.Digests.sha256Hex(pem))
                .hasSize(64)
                .matches("[0-9a-f]+")
                .doesNotContain("MIIB");
        assertThat(io.maasops.security.util.Digests.sha256Hex(pem))
                .isEqualTo(io.maasops.security.util.Digests.sha256Hex(pem))
                .isNotEqualTo(io.maasops.security.util.Digests.sha256Hex(pem + " "));
    }
}
