package io.maasops.security.controller;

import static io.maasops.security.controller.RoleBindingScenario.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.maasops.security.api.v1alpha1.MaasRole;
import io.maasops.security.api.v1alpha1.RoleBinding;
import io.maasops.security.testing.kube.OperatorExtension;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 19, item 10: MAAS 3.8's group names are unique and at most 256 characters, and it answers a duplicate or a
 * longer name with HTTP 500. spec.groupName is capped below that by the CRD; the default name, derived from namespace
 * and name, is checked before any write; a name someone else takes between the operator's listing and its create
 * is a clear status, looked at again a minute later, not an error loop.
 */
class RoleBindingGroupNamesTest {

    @RegisterExtension
    static final OperatorExtension OPERATOR = new OperatorExtension();

    RoleBindingScenario s;

    @BeforeEach
    void setUp() {
        s = RoleBindingScenario.start(OPERATOR);
    }

    @AfterEach
    void tearDown() {
        s.close();
    }

    static RoleBinding binding(String name, String groupName) {
        return RoleBindingReconcileTest.binding(
                name, MaasRole.Auditor, List.of("production"), List.of("alice"), groupName);
    }

    @Test
    void aDerivedGroupNameLongerThan256CharactersIsReportedAndNothingIsWritten() {
        String name = "n".repeat(250);
        s.create(binding(name, null));
        RoleBinding b = s.awaitCondition(name, "Synced", "GroupNameTooLong");
        int length = ("k8s_" + s.ns + "_" + name).length();
        assertThat(condition(b, "Ready").getReason()).isEqualTo("GroupNameTooLong");
        assertThat(condition(b, "Stalled").getStatus()).isEqualTo("True");
        assertThat(condition(b, "Synced").getMessage())
                .contains(length + " characters", "at most 256", "Set a shorter spec.groupName");
        assertThat(s.writesAfter(0)).isEmpty();

        // the author sets a name: applied
        OPERATOR.client()
                .resources(RoleBinding.class)
                .inNamespace(s.ns)
                .withName(name)
                .edit(r -> {
                    r.getSpec().setGroupName("auditors");
                    return r;
                });
        s.awaitCondition(name, "Ready", "InSync");
        assertThat(s.maas.membersOf("auditors")).containsExactly("alice");
    }

    @Test
    void aDerivedGroupNameOfExactly256CharactersIsCreated() {
        String name = "n".repeat(256 - ("k8s_" + s.ns + "_").length());
        s.create(binding(name, null));
        RoleBinding b = s.awaitCondition(name, "Ready", "InSync");
        assertThat(b.getStatus().getGroup().getName()).hasSize(256);
        assertThat(s.maas.groupId(b.getStatus().getGroup().getName())).isPresent();
    }

    @Test
    void theApiServerRefusesASpecGroupNameLongerThanTheCrdAllows() {
        assertThatThrownBy(() -> s.create(binding("ops", "g".repeat(151))))
                .isInstanceOf(KubernetesClientException.class)
                .satisfies(e ->
                        assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422));
        s.create(binding("ops", "g".repeat(150)));
        s.awaitCondition("ops", "Ready", "InSync");
    }

    @Test
    void aNameTakenBetweenListingAndCreateIsAClearStatusAndTheNextLookSaysWhoseItIs() {
        String group = "k8s_" + s.ns + "_ops";
        // the region settled first: its status changes wake its bindings, and an early second look would
        // (rightly) move the binding on to GroupNotManaged before this test saw GroupNameTaken
        s.awaitRegionReady();
        s.maas.groupCreatedBeforeNextCreate(group, "made by hand");
        s.create(binding("ops", null));

        RoleBinding b = s.awaitCondition("ops", "Synced", "GroupNameTaken");
        assertThat(condition(b, "Reconciling").getStatus()).isEqualTo("True");
        assertThat(condition(b, "Synced").getMessage())
                .contains(group, "created by someone else", "HTTP 500", "Looking again in 1 minute")
                .doesNotContain("Exception", "\tat ");
        assertThat(s.maas.requestLog())
                .filteredOn(r -> r.method().equals("POST") && r.path().endsWith("/groups/"))
                .as("one create, answered 500; no retry in a loop")
                .singleElement()
                .satisfies(r -> assertThat(r.status()).isEqualTo(500));

        s.requestCheck("ops");
        b = s.awaitCondition("ops", "Synced", "GroupNotManaged");
        assertThat(s.writesAfter(0)).as("only the one refused create").hasSize(1);
        assertThat(s.maas.membersOf(group)).isEmpty();
    }
}
