package io.maasops.security.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.TlsSecretRef;
import io.maasops.security.api.v1alpha1.TlsSpec;
import io.maasops.security.bootstrap.HealthServer;
import io.maasops.security.bootstrap.ProcessMetrics;
import io.maasops.security.chart.ChartRenderer;
import io.maasops.security.status.Conditions;
import io.maasops.security.testing.MaasTestbed;
import io.maasops.security.testing.PromQl;
import io.maasops.security.testing.PrometheusText;
import io.maasops.security.testing.PrometheusText.Sample;
import io.maasops.security.testing.kube.OperatorExtension;
import io.maasops.security.testing.tls.TestCertificates;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The operator's /metrics as Prometheus scrapes it, over HTTP, from the production HealthServer:
 * two regions (one with an expiring certificate, so the MAAS API is called too) are provisioned, the
 * endpoint is scraped, one region is deleted and it is scraped again. {@link #SCRAPE} is what the
 * chart's alerts and dashboard are checked against.
 */
public class MetricsEndToEndTest {

    @RegisterExtension
    static final OperatorExtension OPERATOR = new OperatorExtension();

    /** The scrape with both regions provisioned (the names and labels the operator really exports). */
    private static PrometheusText scrape;

    private static PrometheusText afterDeletion;
    private static String ns;

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String INTEGRATION_PREFIX = "metrics-";
    private static String integration;

    @BeforeAll
    static void provisionScrapeDeleteScrape() throws Exception {
        ProcessMetrics.bindTo(OPERATOR.registry()); // as OperatorMain does: the JVM panels' metrics
        ns = "m-" + UUID.randomUUID().toString().substring(0, 8);
        integration = INTEGRATION_PREFIX + ns;
        var k8s = OPERATOR.client();
        k8s.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(ns)
                        .endMetadata()
                        .build())
                .create();
        try (MaasTestbed testbed = MaasTestbed.start(2);
                HealthServer http = new HealthServer(0, OPERATOR.operator(), OPERATOR.registry())) {
            testbed.applySecrets(k8s, ns);
            var now = OPERATOR.clock().instant();
            var cert = TestCertificates.selfSigned(
                    "maas.example", now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(10)));
            k8s.secrets()
                    .inNamespace(ns)
                    .resource(new SecretBuilder()
                            .withNewMetadata()
                            .withName("maas-tls")
                            .endMetadata()
                            .withType("kubernetes.io/tls")
                            .withStringData(Map.of("tls.crt", cert.chainPem(), "tls.key", cert.keyPem()))
                            .build())
                    .create();
            k8s.resource(testbed.integration(integration, ns)).create();
            MaasRegion a = testbed.region(MaasTestbed.hostname(0), integration);
            TlsSpec tls = new TlsSpec();
            TlsSecretRef ref = new TlsSecretRef();
            ref.setName("maas-tls");
            tls.setCertificateSecretRef(ref);
            tls.setReminderDays(30);
            a.getSpec().setTls(tls);
            k8s.resources(MaasRegion.class).inNamespace(ns).resource(a).create();
            k8s.resources(MaasRegion.class)
                    .inNamespace(ns)
                    .resource(testbed.region(MaasTestbed.hostname(1), integration))
                    .create();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> configured(MaasTestbed.hostname(0))
                            && configured(MaasTestbed.hostname(1))
                            && !PrometheusText.parse(get(http))
                                    .named("maasops_maas_api_request_duration_seconds_count")
                                    .isEmpty());
            String text = get(http);
            java.nio.file.Files.writeString(
                    java.nio.file.Path.of("target/metrics-scrape.txt"), text); // to read when a check fails
            scrape = PrometheusText.parse(text);

            k8s.resources(MaasRegion.class)
                    .inNamespace(ns)
                    .withName(MaasTestbed.hostname(0))
                    .delete();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> k8s.resources(MaasRegion.class)
                                    .inNamespace(ns)
                                    .withName(MaasTestbed.hostname(0))
                                    .get()
                            == null);
            // JOSDK is done with it once the finalizer is gone; the removal follows at once
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> of(PrometheusText.parse(get(http)), MaasTestbed.hostname(0))
                            .isEmpty());
            afterDeletion = PrometheusText.parse(get(http));
        }
    }

    @AfterAll
    static void cleanUp() {
        OperatorExtension.removeAll(OPERATOR.client(), ns);
    }

    @Test
    void perResourceSeriesAreExportedWithOneSetOfResourceLabels() {
        String a = MaasTestbed.hostname(0);
        assertThat(series(scrape, "maasops_resource_ready", "MaasRegion", a))
                .singleElement()
                .satisfies(s -> assertThat(s.labels().keySet()).containsExactlyInAnyOrder("kind", "namespace", "name"));
        assertThat(series(scrape, "maasops_resource_condition", "MaasRegion", a))
                .anySatisfy(s -> assertThat(s.labels())
                        .containsEntry("type", "VaultConfigured")
                        .containsEntry("status", "True"))
                .anySatisfy(s -> assertThat(s.labels()).containsEntry("type", "Ready"));
        assertThat(series(scrape, "maasops_certificate_expiry_timestamp_seconds", "MaasRegion", a))
                .singleElement()
                .satisfies(s -> assertThat(s.labels()).containsEntry("source", "secret"));
        assertThat(series(scrape, "maasops_configfiles_noncompliant", "MaasRegion", a))
                .hasSize(1);
        assertThat(scrape.named("maasops_regions_declared"))
                .filteredOn(s -> s.has("name", integration))
                .singleElement()
                .satisfies(s -> {
                    assertThat(s.labels())
                            .containsEntry("kind", "VaultIntegration")
                            .containsEntry("namespace", "");
                    assertThat(s.value()).isEqualTo(2);
                });
        assertThat(scrape.named("maasops_resource_ready"))
                .filteredOn(s -> s.has("name", integration))
                .singleElement()
                .satisfies(s -> assertThat(s.labels()).containsEntry("kind", "VaultIntegration"));
        // one label name per concept: no metric of ours names a resource any other way
        assertThat(scrape.samples())
                .filteredOn(s -> s.name().startsWith("maasops_"))
                .allSatisfy(s -> assertThat(s.labels().keySet()).doesNotContain("resource", "region"));
        assertThat(scrape.named("maasops_certificate_days_remaining"))
                .as("the timestamp says it in base units")
                .isEmpty();
    }

    @Test
    void callsToVaultTheMaasApiAndRegionHostsAreTimed() {
        assertThat(scrape.named("maasops_vault_request_duration_seconds_count"))
                .anySatisfy(s -> assertThat(s.labels())
                        .containsEntry("operation", "create_wrapped_secret_id")
                        .containsEntry("outcome", "success"));
        assertThat(scrape.named("maasops_vault_request_duration_seconds_bucket"))
                .anySatisfy(s -> assertThat(s.labels()).containsKey("le"));
        assertThat(scrape.named("maasops_region_command_duration_seconds_count"))
                .anySatisfy(s -> assertThat(s.labels())
                        .containsEntry("operation", "config-vault configure")
                        .containsEntry("access", "ssh")
                        .containsEntry("outcome", "success"))
                .anySatisfy(s -> assertThat(s.labels()).containsEntry("operation", "stat"));
        assertThat(scrape.named("maasops_maas_api_request_duration_seconds_count"))
                .anySatisfy(s -> assertThat(s.labels())
                        .containsEntry("operation", "POST notifications/")
                        .containsEntry("outcome", "success"));
        for (String name : List.of(
                "maasops_vault_request_duration_seconds_count",
                "maasops_region_command_duration_seconds_count",
                "maasops_maas_api_request_duration_seconds_count")) {
            assertThat(scrape.named(name))
                    .allSatisfy(s -> assertThat(s.labels().keySet())
                            .as(name)
                            .isSubsetOf(Set.of("operation", "outcome", "access")));
        }
    }

    @Test
    void buildInfoAndJosdkMetricsWithTheControllerAsALabel() {
        assertThat(scrape.named("maasops_build_info"))
                .singleElement()
                .satisfies(s -> assertThat(s.labels()).containsKeys("version", "java_version"));
        assertThat(scrape.named("operator_sdk_reconciliations_executions"))
                .extracting(s -> s.labels().get("controller"))
                .contains("maasregion", "vaultintegration", "rolebinding");
        assertThat(scrape.labelsByName().keySet())
                .noneMatch(n -> n.startsWith("operator_sdk_reconciliations_executions_")
                        || n.startsWith("operator_sdk_reconciliations_queue_size_"));
    }

    @Test
    void aDeletedRegionsSeriesAreGoneAndTheOthersStay() {
        String a = MaasTestbed.hostname(0);
        String b = MaasTestbed.hostname(1);
        assertThat(of(scrape, a))
                .extracting(Sample::name)
                .contains(
                        "maasops_resource_ready",
                        "maasops_resource_condition",
                        "maasops_certificate_expiry_timestamp_seconds",
                        "maasops_configfiles_noncompliant");
        assertThat(of(afterDeletion, a)).isEmpty();
        assertThat(of(afterDeletion, b))
                .extracting(Sample::name)
                .contains("maasops_resource_ready", "maasops_resource_condition", "maasops_configfiles_noncompliant");
    }

    /**
     * The chart's PrometheusRule (metrics.prometheusRule.enabled) parses, and each alert's expression
     * selects only metrics and labels this scrape has (a renamed metric or label fails here).
     */
    @Test
    void everyAlertNamesOnlyExportedMetricsAndLabels() {
        var rule = ChartRenderer.render(Map.of("metrics.prometheusRule.enabled", "true")).stream()
                .filter(o -> o.getKind().equals("PrometheusRule"))
                .findFirst()
                .orElseThrow();
        assertThat(rule.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
        var groups = Serialization.jsonMapper().valueToTree(rule).path("spec").path("groups");
        List<String> alerts = new java.util.ArrayList<>();
        for (var group : groups) {
            for (var r : group.path("rules")) {
                alerts.add(r.path("alert").asText());
                assertThat(r.path("expr").asText()).as(r.path("alert").asText()).isNotBlank();
                if (r.has("for")) {
                    assertThat(r.path("for").asText()).matches("([0-9]+(ms|s|m|h|d|w|y))+");
                }
                assertThat(r.path("labels").path("severity").asText()).isIn("critical", "warning", "info");
                assertThat(r.path("annotations").path("summary").asText()).isNotBlank();
                assertOnlyExported(r.path("alert").asText(), r.path("expr").asText());
            }
        }
        assertThat(alerts)
                .contains(
                        "MaasOpsVaultSealed",
                        "MaasOpsVaultUnreachable",
                        "MaasOpsRegionNotConfigured",
                        "MaasOpsConfigFilesNonCompliant",
                        "MaasOpsCertificateExpiring",
                        "MaasOpsCertificateExpired",
                        "MaasOpsReconcileErrors",
                        "MaasOpsSecretMigrationFailed",
                        "MaasOpsPostureCheckFailing");
    }

    /**
     * The alerts evaluated against the real scrapes, at the operator's clock: with two configured
     * regions, one certificate 10 days from expiry and nothing else wrong, only MaasOpsCertificateExpiring
     * fires, for that region; with a 5-day threshold it does not; after the region is deleted nothing fires.
     */
    @Test
    void alertsFireOnlyForWhatIsWrong() {
        double now = OPERATOR.clock().instant().getEpochSecond();
        String a = MaasTestbed.hostname(0);
        // the posture's failing checks (the testbed's plain-http Vault, the certificate) are one series each
        assertThat(firing(Map.of(), scrape, now))
                .containsOnlyKeys("MaasOpsCertificateExpiring", "MaasOpsPostureCheckFailing")
                .hasEntrySatisfying(
                        "MaasOpsCertificateExpiring", names -> assertThat(names).containsExactly(a))
                .hasEntrySatisfying(
                        "MaasOpsPostureCheckFailing", names -> assertThat(names).containsOnly(integration));
        assertThat(firing(Map.of("metrics.prometheusRule.certificateExpiringDays", "5"), scrape, now))
                .containsOnlyKeys("MaasOpsPostureCheckFailing");
        assertThat(firing(Map.of(), scrape, now + Duration.ofDays(11).toSeconds()))
                .as("11 days later")
                .containsOnlyKeys("MaasOpsCertificateExpired", "MaasOpsPostureCheckFailing");
        // region a deleted: the integration (and its failing posture checks) remains
        assertThat(firing(Map.of(), afterDeletion, now)).containsOnlyKeys("MaasOpsPostureCheckFailing");
    }

    /** alert name -> names of this test's resources it fires for. */
    private static Map<String, List<String>> firing(Map<String, Object> values, PrometheusText text, double now) {
        Map<String, Object> v = new java.util.HashMap<>(values);
        v.put("metrics.prometheusRule.enabled", "true");
        var rule = ChartRenderer.render(v).stream()
                .filter(o -> o.getKind().equals("PrometheusRule"))
                .findFirst()
                .orElseThrow();
        Map<String, List<String>> out = new java.util.TreeMap<>();
        for (var group :
                Serialization.jsonMapper().valueToTree(rule).path("spec").path("groups")) {
            for (var r : group.path("rules")) {
                List<String> names =
                        io.maasops.security.testing.PromEval.eval(r.path("expr").asText(), text, now).stream()
                                .map(io.maasops.security.testing.PromEval.Value::labels)
                                .filter(l -> ns.equals(l.get("namespace")) || integration.equals(l.get("name")))
                                .map(l -> l.get("name"))
                                .toList();
                if (!names.isEmpty()) {
                    out.put(r.path("alert").asText(), names);
                }
            }
        }
        return out;
    }

    /** The chart's Grafana dashboard (metrics.dashboard.enabled) parses and every query names only exported metrics and labels. */
    @Test
    void everyDashboardQueryNamesOnlyExportedMetricsAndLabels() throws Exception {
        var cm = ChartRenderer.ofType(
                        ChartRenderer.render(Map.of("metrics.dashboard.enabled", "true")),
                        io.fabric8.kubernetes.api.model.ConfigMap.class)
                .stream()
                .filter(c -> c.getMetadata().getName().endsWith("-dashboard"))
                .findFirst()
                .orElseThrow();
        assertThat(cm.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        var dashboard = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(cm.getData().get("maas-security-operator.json"));
        assertThat(dashboard.path("uid").asText()).isEqualTo("maas-security-operator");
        int queries = 0;
        for (var panel : dashboard.path("panels")) {
            for (var target : panel.path("targets")) {
                assertOnlyExported(
                        panel.path("title").asText(), target.path("expr").asText());
                queries++;
            }
        }
        for (var variable : dashboard.path("templating").path("list")) {
            if (variable.path("type").asText().equals("query")) {
                assertOnlyExported(
                        "variable " + variable.path("name").asText(),
                        variable.path("query").asText());
                queries++;
            }
        }
        assertThat(queries).isGreaterThan(20);
    }

    private static void assertOnlyExported(String what, String expr) {
        Map<String, Set<String>> exported = scrape.labelsByName();
        assertThat(expr).as(what).isNotBlank();
        assertThat(expr.chars().filter(c -> c == '(').count())
                .as(what + ": balanced parentheses")
                .isEqualTo(expr.chars().filter(c -> c == ')').count());
        PromQl.References refs = PromQl.references(expr);
        assertThat(refs.selectors()).as(what + " selects something").isNotEmpty();
        Set<String> available = new java.util.HashSet<>(Set.of("le"));
        for (PromQl.Selector s : refs.selectors()) {
            assertThat(exported).as("%s: %s is exported", what, s.metric()).containsKey(s.metric());
            assertThat(exported.get(s.metric()))
                    .as("%s: labels of %s", what, s.metric())
                    .containsAll(s.labels());
            available.addAll(exported.get(s.metric()));
        }
        assertThat(available).as("%s: grouping labels", what).containsAll(refs.groupingLabels());
    }

    /** The per-resource samples of one region of this test. */
    private static List<Sample> of(PrometheusText text, String region) {
        return text.samples().stream()
                .filter(s -> s.has("namespace", ns) && s.has("name", region))
                .toList();
    }

    private static List<Sample> series(PrometheusText text, String metric, String kind, String name) {
        return text.named(metric).stream()
                .filter(s -> s.has("kind", kind) && s.has("namespace", ns) && s.has("name", name))
                .toList();
    }

    private static boolean configured(String region) {
        var r = OPERATOR.client()
                .resources(MaasRegion.class)
                .inNamespace(ns)
                .withName(region)
                .get();
        return r != null
                && r.getStatus() != null
                && Conditions.isTrue(r.getStatus().getConditions(), "VaultConfigured");
    }

    static String get(HealthServer http) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + "/metrics"))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }
}
