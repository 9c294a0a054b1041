package io.maasops.security.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.RoleBinding;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.concern.groups.MaasConnection;
import io.maasops.security.contract.RetryDelays;
import io.maasops.security.maas.MaasUser;
import io.maasops.security.maas.ResourcePool;
import io.maasops.security.rbac.GroupOwnership;
import io.maasops.security.status.Conditions;
import io.maasops.security.testing.MaasRelease;
import io.maasops.security.testing.MutableClock;
import io.maasops.security.testing.fakes.FakePorts;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tier 2 (fast): what a RoleBinding does on each MAAS version, against the in-memory MAAS (issue 19, item 10):
 * how long it waits before looking again (never a hot loop), and that nothing is written where the binding cannot
 * take effect. The end-to-end tests against the MAAS API double are RoleBindingOnMaasBefore38Test,
 * RoleBindingCanonicalRbacConfiguredTest and RoleBindingGroupNamesTest.
 */
class RoleBindingMaasVersionsFastTest {

    /** The MAAS calls that change something. */
    static final Predicate<String> WRITE = c -> c.startsWith("create")
            || c.startsWith("update")
            || c.startsWith("delete")
            || c.startsWith("add")
            || c.startsWith("remove");

    final FakePorts ports = new FakePorts();
    final RoleBindingController controller = new RoleBindingController(
            ports, MutableClock.startingNow(), RetryDelays.DEFAULTS, new SharedRegions(Set.of()));
    final VaultIntegration vi = MaasRegionControllerFastTest.integration();
    final MaasRegion region = RoleBindingControllerFastTest.region();
    RoleBinding last;

    RoleBindingMaasVersionsFastTest() {
        ports.secret("tenant", "maas-api", "api-key", "consumer:token:secret");
        ports.maas.users.add(new MaasUser("alice", "alice@example.com", true, false));
        ports.maas.pools.add(new ResourcePool(1, "default", ""));
    }

    UpdateControl<RoleBinding> reconcile(RoleBinding b) {
        var session = controller.recorder().open(b, (r, s) -> {
            RoleBinding copy = Serialization.clone(r);
            copy.setStatus(Serialization.clone(s));
            return copy;
        });
        var control = controller.reconcile(
                session,
                () -> MaasConnection.connect(
                        b, Optional.of(region), Optional.of(vi), ports, RetryDelays.DEFAULTS.missingReference()),
                name -> List.of());
        last = session.latest();
        return control;
    }

    Condition condition(String type) {
        return Conditions.find(last.getStatus().getConditions(), type).orElseThrow();
    }

    static List<MaasRelease> before38() {
        return MaasRelease.SUPPORTED.stream().filter(r -> !r.groupsApi()).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("before38")
    void beforeMaas38NothingIsAskedBeyondTheVersionAndTheBindingLooksAgainOnlyAtTheNormalResync(MaasRelease release) {
        ports.maas.version = release.version();
        UpdateControl<RoleBinding> control = reconcile(RoleBindingControllerFastTest.binding("alice"));
        assertThat(condition("Synced"))
                .extracting(Condition::getStatus, Condition::getReason)
                .containsExactly("False", "GroupsApiUnsupported");
        assertThat(condition("Synced").getMessage()).contains("MAAS " + release.version(), "Upgrade MAAS to 3.8");
        assertThat(condition("Stalled").getStatus()).isEqualTo("True");
        assertThat(ports.maas.calls).containsExactly("version");
        assertThat(control.getScheduleDelay()).contains(Duration.ofMinutes(5).toMillis());
    }

    @Test
    void aMaasThatReportsNoVersionYetIsAskedAgainInAMinuteAndNothingIsWritten() {
        ports.maas.version = "None"; // str(None): no controller has reported a version yet
        UpdateControl<RoleBinding> control = reconcile(RoleBindingControllerFastTest.binding("alice"));
        assertThat(condition("Ready"))
                .extracting(Condition::getStatus, Condition::getReason)
                .containsExactly("False", "MaasVersionUnknown");
        assertThat(condition("Reconciling").getStatus()).isEqualTo("True");
        assertThat(ports.maas.calls).containsExactly("version");
        assertThat(control.getScheduleDelay()).contains(Duration.ofMinutes(1).toMillis());
    }

    @ParameterizedTest
    @ValueSource(strings = {"3.2.9", "2.9.2", "4.0.0~alpha1"})
    void anUnsupportedMaasSaysSoAndNothingIsWritten(String version) {
        ports.maas.version = version;
        UpdateControl<RoleBinding> control = reconcile(RoleBindingControllerFastTest.binding("alice"));
        assertThat(condition("Ready"))
                .extracting(Condition::getStatus, Condition::getReason)
                .containsExactly("False", "MaasVersionNotSupported");
        assertThat(condition("Ready").getMessage()).contains("MAAS " + version, "3.3 to 3.8");
        assertThat(ports.maas.calls).containsExactly("version");
        assertThat(control.getScheduleDelay()).contains(Duration.ofMinutes(5).toMillis());
    }

    @Test
    void canonicalRbacOnMaas38WritesNoGroupAndLooksAgainAtTheNormalResync() {
        ports.maas.externalAuthUrl = "https://rbac.example:5000/auth";
        UpdateControl<RoleBinding> control = reconcile(RoleBindingControllerFastTest.binding("alice"));
        assertThat(condition("Ready"))
                .extracting(Condition::getStatus, Condition::getReason)
                .containsExactly("False", "CanonicalRbacConfigured");
        assertThat(ports.maas.calls).containsExactly("version", "externalAuthUrl");
        assertThat(control.getScheduleDelay()).contains(Duration.ofMinutes(5).toMillis());
        // RBAC removed: applied at the next look
        ports.maas.externalAuthUrl = null;
        reconcile(last);
        assertThat(condition("Ready").getReason()).isEqualTo("InSync");
    }

    @Test
    void candidAloneLeavesGroupsInForce() {
        ports.maas.externalAuthUrl = "https://candid.example";
        reconcile(RoleBindingControllerFastTest.binding("alice"));
        assertThat(condition("Ready").getReason()).isEqualTo("InSync");
        assertThat(ports.maas.groups).hasSize(1);
    }

    @Test
    void aDerivedGroupNameLongerThanMaasAllowsIsReportedAndNothingIsWritten() {
        RoleBinding b = RoleBindingControllerFastTest.binding("alice");
        b.getMetadata().setName("n".repeat(253)); // k8s_tenant_ + 253 = 264 characters
        UpdateControl<RoleBinding> control = reconcile(b);
        assertThat(condition("Ready"))
                .extracting(Condition::getStatus, Condition::getReason)
                .containsExactly("False", "GroupNameTooLong");
        assertThat(condition("Ready").getMessage()).contains("264 characters", "at most 256", "spec.groupName");
        assertThat(ports.maas.calls).noneMatch(WRITE);
        assertThat(control.getScheduleDelay()).isEmpty();
    }

    @Test
    void aGroupNameOfExactly256CharactersIsCreated() {
        RoleBinding b = RoleBindingControllerFastTest.binding("alice");
        b.getMetadata().setName("n".repeat(256 - "k8s_tenant_".length()));
        reconcile(b);
        assertThat(condition("Ready").getReason()).isEqualTo("InSync");
        assertThat(ports.maas.groups.values())
                .singleElement()
                .satisfies(g -> assertThat(g.name()).hasSize(256));
    }

    @Test
    void aDuplicateNameAnsweredWith500IsAClearStatusNotAStackTraceNorAHotLoop() {
        RoleBinding b = RoleBindingControllerFastTest.binding("alice");
        // someone creates the group between the operator's listing and its create
        ports.maas.beforeNextGroupWrite =
                () -> ports.maas.addGroupBehindTheOperatorsBack("k8s_tenant_ops", "made by hand");
        UpdateControl<RoleBinding> control = reconcile(b);
        assertThat(condition("Synced"))
                .extracting(Condition::getStatus, Condition::getReason)
                .containsExactly("False", "GroupNameTaken");
        assertThat(condition("Synced").getMessage())
                .contains("k8s_tenant_ops", "HTTP 500")
                .doesNotContain("Exception", "\tat ");
        assertThat(condition("Reconciling").getStatus()).isEqualTo("True");
        assertThat(control.getScheduleDelay()).contains(Duration.ofMinutes(1).toMillis());
        // the next look says whose group it is, and still writes nothing
        ports.maas.calls.clear();
        reconcile(last);
        assertThat(condition("Synced").getReason()).isEqualTo("GroupNotManaged");
        assertThat(ports.maas.calls).noneMatch(WRITE);
    }

    @Test
    void aDuplicateThatIsThisBindingsOwnGroupIsAdoptedAtTheNextLook() {
        RoleBinding b = RoleBindingControllerFastTest.binding("alice");
        // e.g. an earlier create that MAAS committed but whose answer was lost
        ports.maas.beforeNextGroupWrite = () -> ports.maas.addGroupBehindTheOperatorsBack(
                "k8s_tenant_ops", GroupOwnership.description("tenant", "ops"));
        reconcile(b);
        assertThat(condition("Synced").getReason()).isEqualTo("GroupNameTaken");
        reconcile(last);
        assertThat(condition("Ready").getReason()).isEqualTo("InSync");
        assertThat(ports.maas.groups).hasSize(1);
    }
}
