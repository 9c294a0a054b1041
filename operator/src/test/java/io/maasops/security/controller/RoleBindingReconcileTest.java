package io.maasops.security.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.MaasRole;
import io.maasops.security.api.v1alpha1.RoleBinding;
import io.maasops.security.maas.Entitlement;
import io.maasops.security.maas.MaasApiClient;
import io.maasops.security.maas.MaasApiKey;
import io.maasops.security.rbac.GroupOwnership;
import io.maasops.security.status.Conditions;
import io.maasops.security.testing.MaasTestbed;
import io.maasops.security.testing.kube.OperatorExtension;
import io.maasops.security.testing.maas.MaasApiDouble;
import io.maasops.security.testing.maas.MaasApiDouble.LoggedRequest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The RoleBinding reconciler end to end: the real operator against the Kubernetes mock, the MAAS
 * API double behind a MaasRegion's spec.api. The region's VaultIntegration allows the test's
 * namespace and Administrator bindings (one test takes that allowance away).
 */
class RoleBindingReconcileTest {

    @RegisterExtension
    static final OperatorExtension OPERATOR = new OperatorExtension();

    static final Duration WAIT = Duration.ofSeconds(20);

    MaasTestbed testbed;
    MaasApiDouble maas;
    MaasApiClient behindItsBack;
    String ns;
    int production;
    int staging;

    @BeforeEach
    void setUp() throws Exception {
        testbed = MaasTestbed.start(1);
        maas = testbed.api();
        ns = OPERATOR.namespace();
        testbed.applySecrets(OPERATOR.client(), ns);
        var vi = testbed.integration("maas-prod", ns);
        vi.getSpec().getTenancy().setAllowAdministratorBindings(true);
        OPERATOR.client().resource(vi).create();
        OPERATOR.client()
                .resources(MaasRegion.class)
                .inNamespace(ns)
                .resource(testbed.region(MaasTestbed.hostname(0), "maas-prod"))
                .create();
        production = maas.addPool("production", "");
        staging = maas.addPool("staging", "");
        maas.addUser("alice", false);
        maas.addUser("bob", false);
        maas.addUser("mallory", false);
        // Another administrator, so the operator's own writes can be told apart from the edits made behind its back.
        behindItsBack = MaasApiClient.builder(maas.baseUrl(), MaasApiKey.parse(maas.addUser("a-colleague", true)))
                .build();
    }

    @AfterEach
    void tearDown() {
        testbed.close();
    }

    // ---- each role ------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(MaasRole.class)
    void eachRoleBecomesAManagedGroupWithItsEntitlements(MaasRole role) throws Exception {
        boolean admin = role == MaasRole.Administrator;
        create(binding(
                "team", role, admin ? List.of() : List.of("production", "staging"), List.of("bob", "alice"), null));

        RoleBinding b = awaitReady("team");
        String group = "k8s_" + ns + "_team";
        assertThat(b.getStatus().getGroup().getName()).isEqualTo(group);
        assertThat(b.getStatus().getGroup().getId())
                .isEqualTo((long) maas.groupId(group).orElseThrow());
        assertThat(b.getStatus().getMembers()).containsExactly("alice", "bob");
        assertThat(maas.membersOf(group)).containsExactlyInAnyOrder("alice", "bob");
        assertThat(maas.entitlementsOf(group)).containsExactlyInAnyOrderElementsOf(expected(role));
        assertThat(b.getStatus().getEntitlements())
                .extracting(e -> e.getResourceType() + ":" + e.getResourceId() + ":" + e.getEntitlement())
                .containsExactlyElementsOf(expected(role).stream()
                        .sorted(RoleBindingReconcileTest::byTypeIdName)
                        .toList());
        assertThat(behindItsBack.getGroup(maas.groupId(group).orElseThrow()).description())
                .isEqualTo(GroupOwnership.description(ns, "team"));
        assertThat(b.getStatus().getUnresolved()).isNull();
        for (String type : List.of("PoolsResolved", "SubjectsResolved", "Synced")) {
            assertThat(Conditions.isTrue(b.getStatus().getConditions(), type))
                    .as(type)
                    .isTrue();
        }
        awaitEvent("team", "GroupCreated");
        if (admin) {
            assertThat(maas.entitlementsOf(group)).contains("maas:0:can_edit_configurations");
        } else {
            assertThat(maas.entitlementsOf(group))
                    .noneMatch(
                            e -> e.contains("configurations") || e.contains("identities") || e.contains("controllers"));
        }
    }

    private List<String> expected(MaasRole role) {
        String p = "pool:" + production + ":";
        String s = "pool:" + staging + ":";
        return switch (role) {
            case Administrator ->
                List.of(
                        "maas:0:can_edit_machines",
                        "maas:0:can_edit_global_entities",
                        "maas:0:can_edit_controllers",
                        "maas:0:can_edit_identities",
                        "maas:0:can_edit_configurations",
                        "maas:0:can_edit_notifications",
                        "maas:0:can_edit_boot_entities",
                        "maas:0:can_edit_license_keys",
                        "maas:0:can_edit_operations",
                        "maas:0:can_view_devices",
                        "maas:0:can_view_ipaddresses",
                        "maas:0:can_view_dnsrecords",
                        "maas:0:can_view_operations");
            case Operator ->
                List.of(
                        "maas:0:can_view_global_entities",
                        "maas:0:can_view_boot_entities",
                        p + "can_edit_machines",
                        p + "can_view_machines",
                        s + "can_edit_machines",
                        s + "can_view_machines");
            case User ->
                List.of(
                        "maas:0:can_view_global_entities",
                        "maas:0:can_view_boot_entities",
                        p + "can_deploy_machines",
                        p + "can_view_available_machines",
                        s + "can_deploy_machines",
                        s + "can_view_available_machines");
            case Auditor ->
                List.of("maas:0:can_view_global_entities", p + "can_view_machines", s + "can_view_machines");
        };
    }

    private static int byTypeIdName(String a, String b) {
        String[] x = a.split(":");
        String[] y = b.split(":");
        int c = x[0].compareTo(y[0]);
        if (c == 0) {
            c = Long.compare(Long.parseLong(x[1]), Long.parseLong(y[1]));
        }
        return c != 0 ? c : x[2].compareTo(y[2]);
    }

    // ---- only differences, drift --------------------------------------------------------------

    @Test
    void aReconcileWithNothingToDoWritesNothingAndDriftIsRepaired() throws Exception {
        create(binding("ops", MaasRole.Operator, List.of("production"), List.of("alice"), null));
        awaitReady("ops");
        String group = "k8s_" + ns + "_ops";
        int id = maas.groupId(group).orElseThrow();

        int mark = maas.requestLog().size();
        requestReconcile("ops", "1");
        awaitRequestAfter(
                mark,
                r -> r.method().equals("GET")
                        && r.path().endsWith("groups/" + id + "/")
                        && "list_entitlements".equals(r.op()));
        assertThat(writesAfter(mark)).as("writes on an unchanged group").isEmpty();

        // Someone edits the group in MAAS: adds a member, removes an entitlement, adds a settings one.
        // The mark comes first: a reconcile may start between these edits and repair part of them.
        mark = maas.requestLog().size();
        behindItsBack.addGroupMember(id, "mallory");
        behindItsBack.removeEntitlement(id, new Entitlement("pool", production, "can_edit_machines"));
        behindItsBack.addEntitlement(id, new Entitlement("maas", 0, "can_edit_configurations"));
        requestReconcile("ops", "2");

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(maas.membersOf(group)).containsExactly("alice");
            assertThat(maas.entitlementsOf(group))
                    .containsExactlyInAnyOrderElementsOf(expected(MaasRole.Operator).stream()
                            .filter(e -> !e.startsWith("pool:" + staging))
                            .toList());
        });
        assertThat(writesAfter(mark))
                .extracting(LoggedRequest::op)
                .containsExactlyInAnyOrder("remove_member", "remove_entitlement", "add_entitlement");
        // One repair normally; two if a reconcile ran between the edits: together they name all three.
        await().atMost(WAIT).untilAsserted(() -> {
            List<Event> drifts = OPERATOR.client().v1().events().inNamespace(ns).list().getItems().stream()
                    .filter(e -> "ops".equals(e.getInvolvedObject().getName()) && "DriftRepaired".equals(e.getReason()))
                    .toList();
            assertThat(drifts)
                    .isNotEmpty()
                    .allSatisfy(e -> assertThat(e.getType()).isEqualTo("Warning"));
            assertThat(drifts.stream().map(Event::getMessage).collect(java.util.stream.Collectors.joining(" ")))
                    .contains("-mallory")
                    .contains("+pool:" + production + ":can_edit_machines")
                    .contains("-maas:0:can_edit_configurations");
        });
    }

    @Test
    void aSpecChangeAppliesOnlyTheDifference() throws Exception {
        create(binding("ops", MaasRole.Auditor, List.of("production"), List.of("alice"), null));
        awaitReady("ops");
        int mark = maas.requestLog().size();
        OPERATOR.client()
                .resources(RoleBinding.class)
                .inNamespace(ns)
                .withName("ops")
                .edit(b -> {
                    b.getSpec().setResourcePools(List.of("production", "staging"));
                    b.getSpec().getSubjects().get(0).setName("bob");
                    return b;
                });
        String group = "k8s_" + ns + "_ops";
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(maas.membersOf(group)).containsExactly("bob");
            assertThat(maas.entitlementsOf(group)).contains("pool:" + staging + ":can_view_machines");
        });
        assertThat(writesAfter(mark))
                .extracting(LoggedRequest::op)
                .containsExactlyInAnyOrder("remove_member", "add_member", "add_entitlement");
        awaitEvent("ops", "MembersChanged");
        awaitEvent("ops", "EntitlementsChanged");
    }

    // ---- unresolved references ------------------------------------------------------------------

    @Test
    void unknownPoolsAndUsersAreListedAndNothingIsAppliedUntilTheyExist() throws Exception {
        create(binding("ops", MaasRole.User, List.of("production", "gpu"), List.of("alice", "zoe"), null));
        RoleBinding b = awaitCondition("ops", "Synced", "WaitingForReferences");
        assertThat(b.getStatus().getUnresolved().getPools()).containsExactly("gpu");
        assertThat(b.getStatus().getUnresolved().getUsers()).containsExactly("zoe");
        assertThat(Conditions.find(b.getStatus().getConditions(), "PoolsResolved")
                        .orElseThrow())
                .extracting(Condition::getStatus, Condition::getReason)
                .containsExactly("False", "PoolsNotFound");
        assertThat(Conditions.find(b.getStatus().getConditions(), "SubjectsResolved")
                        .orElseThrow()
                        .getMessage())
                .contains("zoe");
        assertThat(Conditions.find(b.getStatus().getConditions(), "Ready").orElseThrow())
                .extracting(Condition::getStatus, Condition::getReason)
                .containsExactly("False", "PoolsNotFound");
        assertThat(writesAfter(0)).isEmpty();
        assertThat(maas.groupId("k8s_" + ns + "_ops")).isEmpty();

        int gpu = maas.addPool("gpu", "");
        maas.addUser("zoe", false);
        requestReconcile("ops", "1");
        b = awaitReady("ops");
        assertThat(b.getStatus().getUnresolved())
                .as("nothing unresolved any more")
                .isNull();
        assertThat(maas.membersOf("k8s_" + ns + "_ops")).containsExactlyInAnyOrder("alice", "zoe");
        assertThat(maas.entitlementsOf("k8s_" + ns + "_ops")).contains("pool:" + gpu + ":can_deploy_machines");
    }

    // ---- conflicts ------------------------------------------------------------------------------

    @Test
    void theLaterBindingOfTheSameGroupReportsAConflictAndChangesNothing() throws Exception {
        create(binding("first", MaasRole.Operator, List.of("production"), List.of("alice"), "platform-ops"));
        awaitReady("first");
        Set<String> entitlements = maas.entitlementsOf("platform-ops");
        int mark = maas.requestLog().size();

        create(binding("second", MaasRole.Auditor, List.of("staging"), List.of("mallory"), "platform-ops"));
        RoleBinding second = awaitCondition("second", "Synced", "GroupConflict");
        assertThat(Conditions.find(second.getStatus().getConditions(), "Synced")
                        .orElseThrow()
                        .getMessage())
                .contains("RoleBinding " + ns + "/first")
                .contains("platform-ops");
        assertThat(second.getStatus().getGroup()).isNull();
        assertThat(awaitEvent("second", "Conflict").getType()).isEqualTo("Warning");
        assertThat(writesAfter(mark)).isEmpty();
        assertThat(maas.membersOf("platform-ops")).containsExactly("alice");
        assertThat(maas.entitlementsOf("platform-ops")).isEqualTo(entitlements);
        assertThat(Conditions.isTrue(get("first").getStatus().getConditions(), Conditions.READY))
                .isTrue();
    }

    @Test
    void twoBindingsCreatedTogetherNeverBothCreateTheGroup() throws Exception {
        create(binding("first", MaasRole.Auditor, List.of("production"), List.of("alice"), "together"));
        create(binding("second", MaasRole.Auditor, List.of("production"), List.of("bob"), "together"));
        await().atMost(WAIT).untilAsserted(() -> {
            List<String> reasons = List.of("first", "second").stream()
                    .map(n -> get(n).getStatus() == null
                            ? ""
                            : Conditions.find(get(n).getStatus().getConditions(), "Synced")
                                    .map(Condition::getReason)
                                    .orElse(""))
                    .sorted()
                    .toList();
            assertThat(reasons).containsExactly("GroupConflict", "InSync");
        });
        assertThat(behindItsBack.listGroups())
                .filteredOn(g -> g.name().equals("together"))
                .hasSize(1);
    }

    @Test
    void changingTheGroupNameRenamesTheGroup() throws Exception {
        create(binding("ops", MaasRole.Auditor, List.of("production"), List.of("alice"), "old-name"));
        awaitReady("ops");
        int id = maas.groupId("old-name").orElseThrow();
        OPERATOR.client()
                .resources(RoleBinding.class)
                .inNamespace(ns)
                .withName("ops")
                .edit(b -> {
                    b.getSpec().setGroupName("new-name");
                    return b;
                });
        await().atMost(WAIT).until(() -> maas.groupId("new-name").isPresent());
        assertThat(maas.groupId("new-name")).contains(id);
        assertThat(maas.groupId("old-name")).isEmpty();
        assertThat(awaitReady("ops").getStatus().getGroup().getName()).isEqualTo("new-name");
    }

    @Test
    void aGroupTheOperatorDidNotCreateIsNeverAdopted() throws Exception {
        Set<String> adminsBefore = maas.membersOf("Administrators");
        create(binding("takeover", MaasRole.Administrator, List.of(), List.of("mallory"), "Administrators"));
        RoleBinding b = awaitCondition("takeover", "Synced", "GroupNotManaged");
        assertThat(Conditions.find(b.getStatus().getConditions(), "Synced")
                        .orElseThrow()
                        .getMessage())
                .contains(GroupOwnership.description(ns, "takeover"));
        assertThat(writesAfter(0)).isEmpty();
        assertThat(maas.membersOf("Administrators")).isEqualTo(adminsBefore);
    }

    // ---- deletion -------------------------------------------------------------------------------

    @Test
    void deletingTheBindingDeletesItsGroup() throws Exception {
        create(binding("ops", MaasRole.User, List.of("production"), List.of("alice"), null));
        awaitReady("ops");
        String group = "k8s_" + ns + "_ops";
        assertThat(get("ops").getMetadata().getFinalizers()).contains("rolebindings.security.maasops.io/finalizer");

        OPERATOR.client()
                .resources(RoleBinding.class)
                .inNamespace(ns)
                .withName("ops")
                .delete();
        await().atMost(WAIT).until(() -> get("ops") == null);
        assertThat(maas.groupId(group)).isEmpty();
        assertThat(maas.groupId("Users")).isPresent();
        awaitEvent("ops", "GroupDeleted");
    }

    @Test
    void deletionWaitsForAnUnreachableMaasInsteadOfLeavingTheGroup() throws Exception {
        create(binding("ops", MaasRole.Auditor, List.of("production"), List.of("alice"), null));
        awaitReady("ops");
        String group = "k8s_" + ns + "_ops";
        String url = setRegionApiUrl("http://127.0.0.1:1/MAAS"); // nothing listens there
        awaitCondition("ops", "Synced", "MaasUnreachable");

        OPERATOR.client()
                .resources(RoleBinding.class)
                .inNamespace(ns)
                .withName("ops")
                .delete();
        Event blocked = awaitEvent("ops", "DeletionBlocked");
        assertThat(blocked.getMessage())
                .contains(group)
                .contains("connection refused")
                .contains("remove this resource's finalizer");
        assertThat(get("ops")).isNotNull();
        assertThat(maas.groupId(group)).isPresent();

        assertNoApiKeyIn(Serialization.asJson(get("ops")));
        assertNoApiKeyIn(Serialization.asJson(
                OPERATOR.client().v1().events().inNamespace(ns).list()));

        setRegionApiUrl(url); // MAAS is back: the next attempt deletes the group and lets the binding go
        await().atMost(WAIT).until(() -> get("ops") == null);
        assertThat(maas.groupId(group)).isEmpty();
    }

    void assertNoApiKeyIn(String text) {
        for (String part : maas.apiKey().split(":")) {
            assertThat(text).doesNotContain(part);
        }
    }

    /** Points the MaasRegion's spec.api at another URL; returns the old one. */
    String setRegionApiUrl(String url) {
        var region =
                OPERATOR.client().resources(MaasRegion.class).inNamespace(ns).withName(MaasTestbed.hostname(0));
        String old = region.get().getSpec().getApi().getUrl();
        // a merge patch (no resourceVersion): the region is being reconciled, so an update could conflict
        region.patch(
                io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                        io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                "{\"spec\":{\"api\":{\"url\":\"" + url + "\"}}}");
        return old;
    }

    // ---- the deployment's allowances -------------------------------------------------------------

    @Test
    void administratorNeedsTheClusterAdminsAllowance() {
        allowAdministrators(false);
        int mark = maas.requestLog().size();
        create(binding("admins", MaasRole.Administrator, List.of(), List.of("mallory"), null));
        RoleBinding b = awaitCondition(
                "admins", Conditions.READY, io.maasops.security.tenancy.Refusal.ADMINISTRATOR_NOT_ALLOWED);
        assertThat(Conditions.find(b.getStatus().getConditions(), Conditions.READY)
                        .orElseThrow()
                        .getMessage())
                .contains("allowAdministratorBindings")
                .contains("nothing was changed in MAAS");
        assertThat(maas.requestLog().stream().skip(mark))
                .as("no MAAS call for a refused binding")
                .isEmpty();
        assertThat(maas.groupId("k8s_" + ns + "_admins")).isEmpty();
        // the admin allows it: the binding goes ahead by itself (the integration's change wakes it)
        allowAdministrators(true);
        awaitReady("admins");
        assertThat(maas.membersOf("k8s_" + ns + "_admins")).containsExactly("mallory");
    }

    /** The cluster admin's change, by merge patch (no resourceVersion: never conflicts with the operator's status writes). */
    void allowAdministrators(boolean allow) {
        OPERATOR.client()
                .resources(io.maasops.security.api.v1alpha1.VaultIntegration.class)
                .withName("maas-prod")
                .patch(
                        io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                        "{\"spec\":{\"tenancy\":{\"allowAdministratorBindings\":" + allow + "}}}");
    }

    // ---- a MAAS without the groups API ----------------------------------------------------------

    @Test
    void anOldMaasIsReportedAndNothingIsHalfApplied() throws Exception {
        maas.groupsApiEnabled(false);
        create(binding("ops", MaasRole.Operator, List.of("production"), List.of("alice"), null));
        RoleBinding b = awaitCondition("ops", "Synced", "GroupsApiUnsupported");
        assertThat(Conditions.find(b.getStatus().getConditions(), Conditions.READY)
                        .orElseThrow())
                .extracting(Condition::getStatus, Condition::getReason)
                .containsExactly("False", "GroupsApiUnsupported");
        assertThat(maas.requestLog()).isNotEmpty().allMatch(r -> r.method().equals("GET"), "only reads");
        assertThat(b.getStatus().getGroup()).isNull();

        // And it can be deleted: there is no group to clean up.
        OPERATOR.client()
                .resources(RoleBinding.class)
                .inNamespace(ns)
                .withName("ops")
                .delete();
        await().atMost(WAIT).until(() -> get("ops") == null);
        assertThat(maas.requestLog()).allMatch(r -> r.method().equals("GET"), "only reads");
    }

    // ---- helpers --------------------------------------------------------------------------------

    static RoleBinding binding(String name, MaasRole role, List<String> pools, List<String> users, String groupName) {
        StringBuilder y = new StringBuilder("""
        apiVersion: security.maasops.io/v1alpha1
        kind: RoleBinding
        metadata: {name: %s}
        spec:
          maasRegionRef: {name: %s}
          role: %s
        """.formatted(name, MaasTestbed.hostname(0), role));
        y.append("  subjects:\n");
        users.forEach(u -> y.append("  - {kind: User, name: ").append(u).append("}\n"));
        if (!pools.isEmpty()) {
            y.append("  resourcePools: [").append(String.join(", ", pools)).append("]\n");
        }
        if (groupName != null) {
            y.append("  groupName: ").append(groupName).append("\n");
        }
        return Serialization.unmarshal(y.toString(), RoleBinding.class);
    }

    void create(RoleBinding b) {
        OPERATOR.client()
                .resources(RoleBinding.class)
                .inNamespace(ns)
                .resource(b)
                .create();
    }

    RoleBinding get(String name) {
        return OPERATOR.client()
                .resources(RoleBinding.class)
                .inNamespace(ns)
                .withName(name)
                .get();
    }

    void requestReconcile(String name, String value) {
        OPERATOR.client()
                .resources(RoleBinding.class)
                .inNamespace(ns)
                .withName(name)
                .edit(b -> {
                    if (b.getMetadata().getAnnotations() == null) {
                        b.getMetadata().setAnnotations(new HashMap<>());
                    }
                    b.getMetadata().getAnnotations().put(ReconcileRequestFilter.ANNOTATION, value);
                    return b;
                });
    }

    RoleBinding awaitReady(String name) {
        return awaitCondition(name, Conditions.READY, io.maasops.security.status.Reason.IN_SYNC.value());
    }

    RoleBinding awaitCondition(String name, String type, String reason) {
        return await().atMost(WAIT)
                .until(
                        () -> {
                            RoleBinding b = get(name);
                            if (b == null || b.getStatus() == null) {
                                return null;
                            }
                            return Conditions.find(b.getStatus().getConditions(), type)
                                                    .filter(c -> reason.equals(c.getReason()))
                                                    .isPresent()
                                            && b.getMetadata()
                                                    .getGeneration()
                                                    .equals(b.getStatus().getObservedGeneration())
                                    ? b
                                    : null;
                        },
                        b -> b != null);
    }

    Event awaitEvent(String name, String reason) {
        return await().atMost(WAIT)
                .until(
                        () -> OPERATOR.client().v1().events().inNamespace(ns).list().getItems().stream()
                                .filter(e ->
                                        name.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason()))
                                .findFirst()
                                .orElse(null),
                        e -> e != null);
    }

    void awaitRequestAfter(int mark, Predicate<LoggedRequest> what) {
        await().atMost(WAIT).until(() -> maas.requestLog().stream().skip(mark).anyMatch(what));
    }

    /** Requests that change MAAS, after the first {@code mark} logged requests. */
    List<LoggedRequest> writesAfter(int mark) {
        return maas.requestLog().stream()
                .skip(mark)
                .filter(r -> !r.method().equals("GET") && r.username().equals(maas.adminUsername()))
                .toList();
    }
}
