package io.maasops.security.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maasops.security.tls.CertificateEvaluator.Evaluation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CertificateEvaluatorTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    private static Evaluation at(Duration left, int reminderDays) {
        return CertificateEvaluator.evaluate(NOW.plus(left), NOW, reminderDays);
    }

    @Test
    void daysAreFlooredLikePythonTimedeltaDays() {
        assertThat(CertificateEvaluator.daysRemaining(NOW.plus(Duration.ofHours(24)), NOW))
                .isEqualTo(1);
        assertThat(CertificateEvaluator.daysRemaining(
                        NOW.plus(Duration.ofHours(47).plusMinutes(59)), NOW))
                .isEqualTo(1);
        assertThat(CertificateEvaluator.daysRemaining(
                        NOW.plus(Duration.ofHours(23).plusMinutes(59)), NOW))
                .isZero();
        assertThat(CertificateEvaluator.daysRemaining(NOW, NOW)).isZero();
        // timedelta(seconds=-1).days == -1
        assertThat(CertificateEvaluator.daysRemaining(NOW.minusSeconds(1), NOW)).isEqualTo(-1);
        assertThat(CertificateEvaluator.daysRemaining(NOW.minusNanos(1), NOW)).isEqualTo(-1);
        assertThat(CertificateEvaluator.daysRemaining(NOW.minus(Duration.ofHours(24)), NOW))
                .isEqualTo(-1);
        assertThat(CertificateEvaluator.daysRemaining(NOW.minus(Duration.ofHours(25)), NOW))
                .isEqualTo(-2);
        assertThat(CertificateEvaluator.daysRemaining(NOW.plusNanos(1), NOW)).isZero();
    }

    @Test
    void exactly24HoursLeftIsOneDayAndExpiring() {
        Evaluation e = at(Duration.ofHours(24), 30);
        assertThat(e.state()).isEqualTo(ExpiryState.EXPIRING);
        assertThat(e.daysRemaining()).isEqualTo(1);
        assertThat(e.message()).isEqualTo("certificate expires in 1 day");
    }

    @Test
    void under24HoursLeftCountsAsExpiredAsInMaas() {
        Evaluation e = at(Duration.ofHours(23).plusMinutes(59), 30);
        assertThat(e.state()).isEqualTo(ExpiryState.EXPIRED);
        assertThat(e.daysRemaining()).isZero();
        assertThat(e.message()).isEqualTo("certificate has expired");
    }

    @Test
    void pastNotAfterIsExpiredWithNegativeDays() {
        Evaluation e = at(Duration.ofDays(-3), 30);
        assertThat(e.state()).isEqualTo(ExpiryState.EXPIRED);
        assertThat(e.daysRemaining()).isEqualTo(-3);
        assertThat(e.message()).isEqualTo("certificate has expired");
    }

    @Test
    void reminderDaysEdgeIsInclusive() {
        assertThat(at(Duration.ofDays(30), 30).state()).isEqualTo(ExpiryState.EXPIRING);
        assertThat(at(Duration.ofDays(31).minusSeconds(1), 30).state()).isEqualTo(ExpiryState.EXPIRING);
        assertThat(at(Duration.ofDays(31), 30).state()).isEqualTo(ExpiryState.VALID);
        assertThat(at(Duration.ofDays(31), 30).message()).isEqualTo("certificate expires in 31 days");
        assertThat(at(Duration.ofDays(1), 1).state()).isEqualTo(ExpiryState.EXPIRING);
        assertThat(at(Duration.ofDays(2), 1).state()).isEqualTo(ExpiryState.VALID);
        assertThat(at(Duration.ofDays(90), 90).state()).isEqualTo(ExpiryState.EXPIRING);
    }

    @Test
    void reminderDaysOutsideOneToNinetyAreRejected() {
        assertThatThrownBy(() -> at(Duration.ofDays(10), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("between 1 and 90");
        assertThatThrownBy(() -> at(Duration.ofDays(10), 91)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void worstOfSeveralSourcesWins() {
        Evaluation valid = at(Duration.ofDays(200), 30);
        Evaluation expiring10 = at(Duration.ofDays(10), 30);
        Evaluation expiring5 = at(Duration.ofDays(5), 30);
        Evaluation expired = at(Duration.ofDays(-1), 30);
        assertThat(Evaluation.worst(List.of(valid, expiring10, expiring5))).isEqualTo(expiring5);
        assertThat(Evaluation.worst(List.of(expired, valid))).isEqualTo(expired);
    }

    @Test
    void oneEventPerStateChange() {
        Evaluation valid = at(Duration.ofDays(200), 30);
        Evaluation expiring = at(Duration.ofDays(10), 30);
        Evaluation expired = at(Duration.ofDays(-1), 30);
        assertThat(CertificateStateChange.between(null, valid, "secret")).isEmpty();
        assertThat(CertificateStateChange.between(ExpiryState.VALID, valid, "secret"))
                .isEmpty();
        assertThat(CertificateStateChange.between(ExpiryState.VALID, expiring, "secret"))
                .hasValueSatisfying(c -> {
                    assertThat(c.type()).isEqualTo("Warning");
                    assertThat(c.reason()).isEqualTo(CertificateStateChange.REASON_EXPIRING);
                    assertThat(c.message()).isEqualTo("secret: certificate expires in 10 days");
                });
        assertThat(CertificateStateChange.between(ExpiryState.EXPIRING, expiring, "secret"))
                .isEmpty();
        assertThat(CertificateStateChange.between(ExpiryState.EXPIRING, expired, "endpoint"))
                .hasValueSatisfying(c -> assertThat(c.message()).isEqualTo("endpoint: certificate has expired"));
        assertThat(CertificateStateChange.between(ExpiryState.EXPIRED, valid, "secret"))
                .hasValueSatisfying(c -> assertThat(c.type()).isEqualTo("Normal"));
    }
}
