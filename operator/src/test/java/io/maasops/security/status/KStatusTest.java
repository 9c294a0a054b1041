package io.maasops.security.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Tier 1 (pure): the kstatus contract's table (Ready reason -> Reconciling / Stalled / neither). */
class KStatusTest {

    static final Instant T = Instant.parse("2026-06-01T12:00:00Z");

    static List<Condition> apply(List<Condition> before, ConditionValue ready) {
        return KStatus.apply(before, ready, 3, T);
    }

    static Optional<Condition> find(List<Condition> c, String type) {
        return Conditions.find(c, type);
    }

    @Test
    void theContractsStalledReasonsAreStalled() {
        // docs: the kstatus contract names these as "only a person can unblock it"
        for (String reason : List.of(
                "InvalidSpec",
                "NamespaceNotAllowed",
                "SshHostNotAllowed",
                "MaasApiUrlNotAllowed",
                "TlsEndpointNotAllowed",
                "InsecureMaasApiNotAllowed",
                "InsecureVaultNotAllowed",
                "AdministratorNotAllowed",
                "PolicyMissing",
                "PolicyDiffers",
                "PolicyIsOperatorsOwn",
                "SecretNotFound",
                "SecretKeyNotFound")) {
            assertThat(Reason.progressOf(reason)).as(reason).isEqualTo(Reason.Progress.STALLED);
            List<Condition> c = apply(List.of(), ConditionValue.isFalse("Ready", reason, "why"));
            assertThat(find(c, "Stalled"))
                    .as(reason)
                    .get()
                    .extracting(Condition::getStatus, Condition::getReason, Condition::getMessage)
                    .containsExactly("True", reason, "why");
            assertThat(find(c, "Reconciling")).as(reason).isEmpty();
        }
    }

    @Test
    void expectedTransientFailuresAreReconciling() {
        for (String reason : List.of(
                "VaultSealed",
                "VaultUnreachable",
                "RegionUnreachable",
                "WaitingForVaultIntegration",
                "RegionsPending",
                "ReconcileError")) {
            List<Condition> c = apply(List.of(), ConditionValue.isFalse("Ready", reason, "m"));
            assertThat(find(c, "Reconciling"))
                    .as(reason)
                    .get()
                    .extracting(Condition::getStatus, Condition::getReason)
                    .containsExactly("True", reason);
            assertThat(find(c, "Stalled")).as(reason).isEmpty();
        }
    }

    @Test
    void anUnknownReasonIsReconcilingAndANullOneReadsProgressing() {
        assertThat(find(apply(List.of(), ConditionValue.isFalse("Ready", "SomethingNew", "m")), "Reconciling"))
                .isPresent();
        assertThat(find(apply(List.of(), ConditionValue.unknown("Ready", null, "m")), "Reconciling"))
                .get()
                .extracting(Condition::getReason)
                .isEqualTo("Progressing");
    }

    @Test
    void awaitingApprovalIsNeither() {
        List<Condition> c = apply(List.of(), ConditionValue.isFalse("Ready", "AwaitingApproval", "approve it"));
        assertThat(find(c, "Reconciling")).isEmpty();
        assertThat(find(c, "Stalled")).isEmpty();
    }

    @Test
    void readyRemovesBoth() {
        List<Condition> stalled = apply(List.of(), ConditionValue.isFalse("Ready", "InvalidSpec", "bad"));
        List<Condition> reconciling = apply(stalled, ConditionValue.isFalse("Ready", "VaultSealed", "sealed"));
        assertThat(find(reconciling, "Stalled"))
                .as("a stalled resource that can progress again is no longer stalled")
                .isEmpty();
        List<Condition> ready = apply(reconciling, ConditionValue.isTrue("Ready", "Secured", "ok"));
        assertThat(find(ready, "Stalled")).isEmpty();
        assertThat(find(ready, "Reconciling")).isEmpty();
    }

    @Test
    void everyReasonIsClassifiedOnceAndSuccessReasonsAreNotFailures() {
        for (Reason r : Reason.values()) {
            assertThat(Reason.of(r.value())).contains(r);
        }
        assertThat(Reason.progressOf("Secured"))
                .as("a success reason on a not-Ready condition still means work")
                .isEqualTo(Reason.Progress.RECONCILING);
    }
}
