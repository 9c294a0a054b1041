package io.maasops.security.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {

    static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    static final Instant T1 = Instant.parse("2026-11-23T11:00:00Z");

    @Test
    void lastTransitionTimeMovesOnlyWhenTheStatusFlips() {
        List<Condition> c =
                Conditions.set(List.of(), ConditionValue.isFalse("VaultReachable", "Unreachable", "down"), 1, T0);
        assertThat(c.get(0).getLastTransitionTime()).isEqualTo("2026-11-23T10:00:00Z");

        List<Condition> same =
                Conditions.set(c, ConditionValue.isFalse("VaultReachable", "Unreachable", "still down"), 2, T1);
        assertThat(same.get(0).getLastTransitionTime()).isEqualTo("2026-11-23T10:00:00Z");
        assertThat(same.get(0).getMessage()).isEqualTo("still down");
        assertThat(same.get(0).getObservedGeneration()).isEqualTo(2L);

        List<Condition> flipped =
                Conditions.set(same, ConditionValue.isTrue("VaultReachable", "Reachable", "up"), 2, T1);
        assertThat(flipped.get(0).getLastTransitionTime()).isEqualTo("2026-11-23T11:00:00Z");
    }

    @Test
    void otherConditionsKeepTheirPlaceAndValues() {
        List<Condition> c = Conditions.setAll(
                List.of(),
                List.of(ConditionValue.isTrue("A", "Ok", "a"), ConditionValue.isTrue("B", "Ok", "b")),
                1,
                T0);
        List<Condition> d = Conditions.set(c, ConditionValue.isFalse("A", "Bad", "a"), 1, T1);
        assertThat(d).extracting(Condition::getType).containsExactly("A", "B");
        assertThat(d.get(1)).isEqualTo(c.get(1));
    }

    @Test
    void readyRollsUpTheFirstConditionThatIsNotTrue() {
        ConditionValue ready = Conditions.rollUp(
                List.of(
                        ConditionValue.isTrue("VaultReachable", "Reachable", "ok"),
                        ConditionValue.isFalse(
                                "VaultUnsealed", "Sealed", "Vault is sealed; run `vault operator unseal`"),
                        ConditionValue.unknown("PolicyReady", "Waiting", "")),
                "Provisioned",
                "all good");
        assertThat(ready.status()).isEqualTo("False");
        assertThat(ready.reason()).isEqualTo("Sealed");
        assertThat(ready.message()).startsWith("VaultUnsealed: ");

        assertThat(Conditions.rollUp(List.of(ConditionValue.isTrue("X", "Ok", "")), "Provisioned", "all good"))
                .isEqualTo(ConditionValue.isTrue("Ready", "Provisioned", "all good"));
    }

    @Test
    void aKnownFailureOutranksSomethingStillWaiting() {
        // a region that cannot be reached while its AppRole waits for it: Ready=False with the cause
        ConditionValue ready = Conditions.rollUp(
                List.of(
                        ConditionValue.unknown("AppRoleProvisioned", "RegionUnreachable", "waiting for the region"),
                        ConditionValue.isFalse("VaultConfigured", "RegionUnreachable", "ssh: cannot connect")),
                "Secured",
                "");
        assertThat(ready.status()).isEqualTo("False");
        assertThat(ready.message()).startsWith("VaultConfigured: ");
        ConditionValue waiting = Conditions.rollUp(
                List.of(ConditionValue.isTrue("A", "Ok", ""), ConditionValue.unknown("B", "Waiting", "for C")),
                "Secured",
                "");
        assertThat(waiting.status()).isEqualTo("Unknown");
        assertThat(waiting.reason()).isEqualTo("Waiting");
    }
}
