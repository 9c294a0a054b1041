package io.maasops.security.concern.approle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecentRoleChecksTest {

    final Instant t0 = Instant.parse("2026-11-23T12:00:00Z");
    final RecentRoleChecks checks = new RecentRoleChecks();

    @Test
    void aRoleConfirmedMomentsAgoIsFreshUntilTheWindowEnds() {
        String key = RecentRoleChecks.key("https://vault:8200", "approle", "maas-ns-region-a", "settings-1");
        assertThat(checks.fresh(key, t0)).isFalse();
        checks.confirmed(key, t0);
        assertThat(checks.fresh(key, t0.plusSeconds(5))).isTrue();
        assertThat(checks.fresh(key, t0.plus(RecentRoleChecks.FRESH)))
                .as("the window is open-ended")
                .isFalse();
        assertThat(checks.fresh(key, t0.plusSeconds(1)))
                .as("an expired entry is dropped")
                .isFalse();
    }

    @Test
    void otherDeclaredSettingsOrAnotherVaultAreNotCovered() {
        checks.confirmed(RecentRoleChecks.key("https://vault:8200", "approle", "r", "ttl=1h"), t0);
        assertThat(checks.fresh(
                        RecentRoleChecks.key("https://vault:8200", "approle", "r", "ttl=2h"), t0.plusSeconds(1)))
                .isFalse();
        assertThat(checks.fresh(
                        RecentRoleChecks.key("https://other:8200", "approle", "r", "ttl=1h"), t0.plusSeconds(1)))
                .isFalse();
        checks.forget(RecentRoleChecks.key("https://vault:8200", "approle", "r", "ttl=1h"));
        assertThat(checks.fresh(
                        RecentRoleChecks.key("https://vault:8200", "approle", "r", "ttl=1h"),
                        t0.plus(Duration.ofSeconds(1))))
                .isFalse();
    }
}
