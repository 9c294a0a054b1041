package io.maasops.security.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.maasops.security.testing.kube.Access;
import io.maasops.security.testing.kube.KubeApiDouble;
import io.maasops.security.testing.kube.OperatorExtension;
import io.maasops.security.testing.kube.RbacCoverage;
import io.maasops.security.testing.kube.RbacCoverage.Grant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * secretWatch.enabled: the operator's informer of labelled Secrets lists and watches Secrets, and
 * the chart's rules for that value allow exactly it (the operator runs under them: a missing verb
 * is a 403 recorded here).
 */
class ChartRbacSecretWatchTest {

    @RegisterExtension
    static final OperatorExtension OPERATOR = new OperatorExtension(true);

    @Test
    void theLabelledSecretInformerListsAndWatchesUnderTheChartsRules() {
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() ->
                        assertThat(secretAccess()).extracting(Access::verb).contains("list", "watch"));
        List<Grant> grants = new ArrayList<>(
                ChartRbac.chartGrants(ChartRbacCoverageTest.LEASE_NAMESPACE, Map.of("secretWatch.enabled", "true")));
        grants.addAll(ChartRbac.BUILT_IN);
        RbacCoverage.assertCovered(OPERATOR.api().recordedAccess(KubeApiDouble.OPERATOR_USER_AGENT), grants);
        assertThat(RbacCoverage.unusedPermissions(secretAccess(), grants))
                .as("list and watch on Secrets are used")
                .doesNotContain("core/secrets list", "core/secrets watch");
    }

    private static Set<Access> secretAccess() {
        Set<Access> out = new java.util.HashSet<>();
        for (Access a : OPERATOR.api().recordedAccess(KubeApiDouble.OPERATOR_USER_AGENT)) {
            if ("secrets".equals(a.resource())) {
                out.add(a);
            }
        }
        return out;
    }
}
