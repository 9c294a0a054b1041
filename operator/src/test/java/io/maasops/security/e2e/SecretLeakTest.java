package io.maasops.security.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.maasops.security.api.v1alpha1.ApiGroup;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.MigrationPhase;
import io.maasops.security.api.v1alpha1.RoleBinding;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.status.Conditions;
import io.maasops.security.testing.MaasTestbed;
import io.maasops.security.testing.OutputCapture;
import io.maasops.security.testing.kube.OperatorExtension;
import io.maasops.security.testing.region.RegionHostDouble;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A full run — provisioning, a failed configure (sudo refused, then allowed), the secret migration
 * with its pre-flight secret-id and a secret-id rotation — with
 * every log line, event and status captured: none holds a secret-id, a wrapping token, a Vault
 * token, the MAAS API key or the SSH private key.
 */
class SecretLeakTest {

    @RegisterExtension
    static final OperatorExtension OPERATOR = new OperatorExtension();

    @Test
    void noSecretValueReachesLogsEventsOrStatus() {
        try (OutputCapture output = new OutputCapture();
                MaasTestbed testbed = MaasTestbed.start(2)) {
            var k8s = OPERATOR.client();
            String ns = OPERATOR.namespace();
            testbed.applySecrets(k8s, ns);
            testbed.host("region-b").refuseSudo(true); // its first configure fails with sudo's message
            k8s.resource(testbed.integration("maas", ns)).inNamespace(ns).create();
            for (RegionHostDouble h : testbed.hosts()) {
                k8s.resource(testbed.region(h.hostname(), "maas"))
                        .inNamespace(ns)
                        .create();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                var b = k8s.resources(MaasRegion.class)
                        .inNamespace(ns)
                        .withName("region-b")
                        .get();
                return b != null
                        && b.getStatus() != null
                        && Conditions.find(b.getStatus().getConditions(), "VaultConfigured")
                                .map(c -> "SudoRefused".equals(c.getReason()))
                                .orElse(false);
            });
            testbed.host("region-b").refuseSudo(false);
            await().atMost(Duration.ofSeconds(60)).until(() -> allReady(k8s, ns, testbed));
            // the migration (its pre-flight uses a plain secret-id) and a secret-id rotation
            k8s.resources(VaultIntegration.class)
                    .inNamespace(ns)
                    .withName("maas")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"migration\":{\"approved\":true}}}");
            k8s.resources(MaasRegion.class)
                    .inNamespace(ns)
                    .withName("region-a")
                    .patch(
                            PatchContext.of(PatchType.JSON_MERGE),
                            "{\"metadata\":{\"annotations\":{\"" + ApiGroup.ROTATE_SECRET_ID_ANNOTATION
                                    + "\":\"leak-test\"}}}");
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                var vi = k8s.resources(VaultIntegration.class)
                        .inNamespace(ns)
                        .withName("maas")
                        .get();
                var a = k8s.resources(MaasRegion.class)
                        .inNamespace(ns)
                        .withName("region-a")
                        .get();
                return vi.getStatus().getMigration() != null
                        && vi.getStatus().getMigration().getPhase() == MigrationPhase.Succeeded
                        && Conditions.find(a.getStatus().getConditions(), "SecretIdRotation")
                                .map(c -> "Rotated".equals(c.getReason()))
                                .orElse(false);
            });

            List<String> secrets = new ArrayList<>(testbed.vault().everIssuedSecrets());
            for (RegionHostDouble h : testbed.hosts()) {
                secrets.add(String.valueOf(h.regiondConf().get("vault_secret_id")));
            }
            secrets.add(testbed.api().apiKey());
            secrets.add(testbed.api().apiKey().split(":")[2]);
            secrets.add(privateKeyBody(testbed.clientPrivateKey()));
            assertThat(secrets).hasSizeGreaterThan(6);

            // what reached the hosts' sshd (exec requests, so MINA's DEBUG log of them and sudo's auth.log): no secret,
            // the wrapping tokens included; they went on the configure script's standard input
            for (RegionHostDouble h : testbed.hosts()) {
                assertThat(h.execRequests())
                        .as("exec requests on " + h.hostname())
                        .anyMatch(l -> l.startsWith("sudo -n -- sh -c ") && l.contains("config-vault configure"));
                for (String s : secrets) {
                    assertThat(h.execRequests())
                            .as("a secret in an exec request")
                            .noneMatch(l -> l.contains(s));
                }
            }

            StringBuilder everything = new StringBuilder(output.text());
            // events about the cluster-scoped VaultIntegration are in "default"
            for (String where : List.of(ns, "default")) {
                for (Event e : k8s.v1().events().inNamespace(where).list().getItems()) {
                    everything.append('\n').append(e.getReason()).append(' ').append(e.getMessage());
                }
            }
            for (var type : List.of(VaultIntegration.class, MaasRegion.class, RoleBinding.class)) {
                k8s.resources(type)
                        .inNamespace(ns)
                        .list()
                        .getItems()
                        .forEach(r -> everything.append('\n').append(Serialization.asJson(r.getStatus())));
            }
            String all = everything.toString();
            assertThat(all)
                    .as("the capture saw the run")
                    .contains("Provisioned")
                    .contains("ConfigureFailed")
                    .contains("SecretsMigrated")
                    .contains("SecretIdRotated");
            for (String s : secrets) {
                assertThat(s).isNotBlank();
                assertThat(all).as("a secret value leaked").doesNotContain(s);
            }
        }
    }

    private static boolean allReady(io.fabric8.kubernetes.client.KubernetesClient k8s, String ns, MaasTestbed testbed) {
        for (RegionHostDouble h : testbed.hosts()) {
            var r = k8s.resources(MaasRegion.class)
                    .inNamespace(ns)
                    .withName(h.hostname())
                    .get();
            if (r == null
                    || r.getStatus() == null
                    || !Conditions.isTrue(r.getStatus().getConditions(), Conditions.READY)) {
                return false;
            }
        }
        return true;
    }

    /** The base64 body of the OpenSSH key, a long unique substring. */
    private static String privateKeyBody(String pem) {
        String[] lines = pem.split("\n");
        return lines[2].trim();
    }
}
