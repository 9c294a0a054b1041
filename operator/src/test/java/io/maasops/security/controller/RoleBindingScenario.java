package io.maasops.security.controller;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.RoleBinding;
import io.maasops.security.status.Conditions;
import io.maasops.security.testing.MaasTestbed;
import io.maasops.security.testing.kube.OperatorExtension;
import io.maasops.security.testing.maas.MaasApiDouble;
import io.maasops.security.testing.maas.MaasApiDouble.LoggedRequest;
import java.time.Duration;
import java.util.List;

/**
 * One MAAS (the API double) behind one MaasRegion whose VaultIntegration allows the test's namespace, with pools
 * production and staging and users alice and bob: the set-up and helpers of the RoleBinding end-to-end tests per MAAS
 * version (RoleBindingReconcileTest has its own).
 */
final class RoleBindingScenario implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(20);

    final OperatorExtension operator;
    final MaasTestbed testbed;
    final MaasApiDouble maas;
    final String ns;

    private RoleBindingScenario(OperatorExtension operator) {
        this.operator = operator;
        this.testbed = MaasTestbed.start(1);
        this.maas = testbed.api();
        this.ns = operator.namespace();
    }

    static RoleBindingScenario start(OperatorExtension operator) {
        RoleBindingScenario s = new RoleBindingScenario(operator);
        s.testbed.applySecrets(operator.client(), s.ns);
        operator.client().resource(s.testbed.integration("maas-prod", s.ns)).create();
        operator.client()
                .resources(MaasRegion.class)
                .inNamespace(s.ns)
                .resource(s.testbed.region(MaasTestbed.hostname(0), "maas-prod"))
                .create();
        s.maas.addPool("production", "");
        s.maas.addPool("staging", "");
        s.maas.addUser("alice", false);
        s.maas.addUser("bob", false);
        return s;
    }

    void create(RoleBinding b) {
        operator.client()
                .resources(RoleBinding.class)
                .inNamespace(ns)
                .resource(b)
                .create();
    }

    RoleBinding get(String name) {
        return operator.client()
                .resources(RoleBinding.class)
                .inNamespace(ns)
                .withName(name)
                .get();
    }

    /** Waits until the binding's current generation shows condition {@code type} with {@code reason}. */
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

    void awaitRegionReady() {
        await().atMost(WAIT).until(() -> {
            MaasRegion r = operator.client()
                    .resources(MaasRegion.class)
                    .inNamespace(ns)
                    .withName(MaasTestbed.hostname(0))
                    .get();
            return r != null
                    && r.getStatus() != null
                    && Conditions.isTrue(r.getStatus().getConditions(), "Ready");
        });
    }

    static Condition condition(RoleBinding b, String type) {
        return Conditions.find(b.getStatus().getConditions(), type).orElseThrow();
    }

    /**
     * Requests that change MAAS, after the first {@code mark} logged requests, except the MaasRegion's certificate
     * notifications (the only other writer with the same key).
     */
    List<LoggedRequest> writesAfter(int mark) {
        return maas.requestLog().stream()
                .skip(mark)
                .filter(r -> !r.method().equals("GET"))
                .filter(r -> !r.path().startsWith(MaasApiDouble.API_PREFIX + "notifications/"))
                .toList();
    }

    /** How many times the MAAS version was asked for after the first {@code mark} requests (only bindings ask). */
    long versionRequestsAfter(int mark) {
        return maas.requestLog().stream()
                .skip(mark)
                .filter(r -> r.path().equals(MaasApiDouble.API_PREFIX + "version/"))
                .count();
    }

    /** Requests to the groups API, after the first {@code mark}. */
    List<LoggedRequest> groupsRequestsAfter(int mark) {
        return maas.requestLog().stream()
                .skip(mark)
                .filter(r -> r.path().startsWith(MaasApiDouble.API_PREFIX + "groups/"))
                .toList();
    }

    void requestCheck(String name) {
        operator.requestCheck(RoleBinding.class, name);
    }

    @Override
    public void close() {
        testbed.close();
    }
}
