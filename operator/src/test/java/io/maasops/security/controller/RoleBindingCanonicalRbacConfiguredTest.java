package io.maasops.security.controller;

import static io.maasops.security.controller.RoleBindingScenario.condition;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.maasops.security.api.v1alpha1.MaasRole;
import io.maasops.security.api.v1alpha1.RoleBinding;
import io.maasops.security.testing.MaasRelease;
import io.maasops.security.testing.kube.OperatorExtension;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 19, item 10: MAAS 3.8 with Canonical RBAC still configured checks only is_superuser and ignores groups and
 * entitlements. The binding sees RBAC as an API client can (the login view's external_auth_url), says it cannot take
 * effect, and writes no group; once RBAC is removed it applies. Candid alone leaves groups in force.
 */
class RoleBindingCanonicalRbacConfiguredTest {

    @RegisterExtension
    static final OperatorExtension OPERATOR = new OperatorExtension();

    RoleBindingScenario s;
    String group;

    @BeforeEach
    void setUp() {
        s = RoleBindingScenario.start(OPERATOR);
        s.maas.release(MaasRelease.NEWEST);
        group = "k8s_" + s.ns + "_ops";
    }

    @AfterEach
    void tearDown() {
        s.close();
    }

    RoleBinding binding() {
        return RoleBindingReconcileTest.binding(
                "ops", MaasRole.Operator, List.of("production"), List.of("alice"), null);
    }

    @Test
    void withCanonicalRbacTheBindingSaysItCannotTakeEffectAndWritesNoGroupUntilRbacIsRemoved() {
        s.maas.canonicalRbac("https://rbac.example:5000/");
        s.create(binding());

        RoleBinding b = s.awaitCondition("ops", "Synced", "CanonicalRbacConfigured");
        assertThat(condition(b, "Ready"))
                .extracting(Condition::getStatus, Condition::getReason)
                .containsExactly("False", "CanonicalRbacConfigured");
        assertThat(condition(b, "Stalled").getStatus()).isEqualTo("True");
        assertThat(condition(b, "Synced").getMessage())
                .contains("MAAS " + MaasRelease.NEWEST.version(), "Canonical RBAC", "https://rbac.example:5000/auth")
                .contains("superuser flag", "cannot take effect", "no group was written")
                .contains("maas configauth --rbac-url ''");
        assertThat(s.writesAfter(0)).isEmpty();
        assertThat(s.maas.groupId(group)).isEmpty();

        s.maas.canonicalRbac(null);
        s.requestCheck("ops");
        s.awaitCondition("ops", "Ready", "InSync");
        assertThat(s.maas.membersOf(group)).containsExactly("alice");
    }

    @Test
    void aGroupAppliedBeforeRbacWasConfiguredIsLeftAsItIs() {
        s.create(binding());
        s.awaitCondition("ops", "Ready", "InSync");
        Set<String> entitlements = s.maas.entitlementsOf(group);
        s.maas.canonicalRbac("https://rbac.example:5000");
        int mark = s.maas.requestLog().size();

        s.requestCheck("ops");
        RoleBinding b = s.awaitCondition("ops", "Synced", "CanonicalRbacConfigured");
        assertThat(s.writesAfter(mark)).isEmpty();
        assertThat(s.maas.entitlementsOf(group)).isEqualTo(entitlements);
        assertThat(b.getStatus().getGroup().getName())
                .as("the status still names the group")
                .isEqualTo(group);
    }

    @Test
    void candidAloneLeavesGroupsInForce() {
        s.maas.candid("https://candid.example");
        s.create(binding());
        s.awaitCondition("ops", "Ready", "InSync");
        assertThat(s.maas.membersOf(group)).containsExactly("alice");
    }
}
