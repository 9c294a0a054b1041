package io.maasops.security.controller;

import static io.maasops.security.controller.RoleBindingScenario.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.maasops.security.api.v1alpha1.MaasRole;
import io.maasops.security.api.v1alpha1.RoleBinding;
import io.maasops.security.testing.MaasRelease;
import io.maasops.security.testing.kube.OperatorExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 19, item 10: MAAS before 3.8 has no user groups and entitlements API, so a RoleBinding cannot take effect.
 * On every supported release before 3.8 the binding learns the version from MAAS's API, says so naming the version
 * and what the admin can do, asks nothing else of MAAS, writes nothing, and does not retry in a loop.
 */
class RoleBindingOnMaasBefore38Test {

    @RegisterExtension
    static final OperatorExtension OPERATOR = new OperatorExtension();

    RoleBindingScenario s;

    @AfterEach
    void tearDown() {
        if (s != null) {
            s.close();
        }
    }

    static List<MaasRelease> before38() {
        return MaasRelease.SUPPORTED.stream().filter(r -> !r.groupsApi()).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("before38")
    void theBindingCannotTakeEffectSaysWhyAndWritesNothing(MaasRelease release) {
        s = RoleBindingScenario.start(OPERATOR);
        s.maas.release(release);
        s.create(RoleBindingReconcileTest.binding(
                "ops", MaasRole.Operator, List.of("production"), List.of("alice"), null));

        RoleBinding b = s.awaitCondition("ops", "Synced", "GroupsApiUnsupported");
        assertThat(condition(b, "Ready"))
                .extracting(Condition::getStatus, Condition::getReason)
                .containsExactly("False", "GroupsApiUnsupported");
        assertThat(condition(b, "Stalled").getStatus()).isEqualTo("True");
        assertThat(condition(b, "Synced").getMessage())
                .contains("MAAS " + release.version(), "cannot take effect", "nothing was applied")
                .contains("Upgrade MAAS to 3.8");
        assertThat(condition(b, "SubjectsResolved").getStatus()).isEqualTo("Unknown");
        assertThat(b.getStatus().getGroup()).isNull();
        assertThat(s.groupsRequestsAfter(0))
                .as("the version answered first: no groups call")
                .isEmpty();
        assertThat(s.writesAfter(0)).isEmpty();
    }

    @Test
    void theBindingDoesNotAskAgainInALoop() {
        s = RoleBindingScenario.start(OPERATOR);
        s.maas.release(MaasRelease.of("3.7.3"));
        // once the region is settled, nothing but the binding itself makes it look again
        s.awaitRegionReady();
        s.create(RoleBindingReconcileTest.binding("ops", MaasRole.User, List.of("production"), List.of("alice"), null));
        s.awaitCondition("ops", "Synced", "GroupsApiUnsupported");
        int mark = s.maas.requestLog().size();
        // the next look is the normal 5-minute resync (RoleBindingMaasVersionsFastTest asserts the delay itself)
        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(5))
                .until(() -> s.versionRequestsAfter(mark) <= 1);
    }
}
