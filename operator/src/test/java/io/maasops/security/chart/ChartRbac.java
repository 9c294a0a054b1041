package io.maasops.security.chart;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.maasops.security.testing.kube.Access;
import io.maasops.security.testing.kube.Authorizer;
import io.maasops.security.testing.kube.RbacCoverage;
import io.maasops.security.testing.kube.RbacCoverage.Grant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The chart's RBAC as {@link Grant}s, for checking recorded operator requests against it from any
 * operator test (e.g. an end-to-end run):
 * <pre>
 * ChartRbac.assertAllowed(api.recordedAccess(KubeApiDouble.OPERATOR_USER_AGENT), leaseNamespace);
 * </pre>
 * The release is named like the operator's default Lease ("maas-security-operator"), so the
 * chart's Lease rule (limited to that name) applies to an operator started with
 * {@code OperatorSettings.defaults()}.
 */
public final class ChartRbac {

    /** What Kubernetes grants every authenticated user out of the box: see {@link Authorizer#AUTHENTICATED}. */
    public static final List<Grant> BUILT_IN = Authorizer.AUTHENTICATED;

    private ChartRbac() {}

    /** The grants the chart gives its ServiceAccount when installed in {@code releaseNamespace} with these values. */
    public static List<Grant> chartGrants(String releaseNamespace, Map<String, Object> values) {
        // the chart does not change while the tests run; rendering it (helm) for every API double cost 1.5 % of
        // the suite's CPU
        return RENDERED.computeIfAbsent(new Rendering(releaseNamespace, Map.copyOf(values)), r -> {
            List<HasMetadata> objects = ChartRenderer.render(r.namespace(), r.values());
            return List.copyOf(RbacCoverage.grantsFor(objects, r.namespace(), ChartRenderer.RELEASE));
        });
    }

    private record Rendering(String namespace, Map<String, Object> values) {}

    private static final java.util.concurrent.ConcurrentHashMap<Rendering, List<Grant>> RENDERED =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** Fails unless the chart (default values, all namespaces) plus Kubernetes' built-ins allow every access. */
    public static void assertAllowed(Collection<Access> used, String releaseNamespace) {
        List<Grant> all = new ArrayList<>(chartGrants(releaseNamespace, Map.of()));
        all.addAll(BUILT_IN);
        RbacCoverage.assertCovered(used, all);
    }
}
