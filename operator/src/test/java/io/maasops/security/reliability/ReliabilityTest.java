package io.maasops.security.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.status.Conditions;
import io.maasops.security.testing.MaasTestbed;
import io.maasops.security.testing.OutputCapture;
import io.maasops.security.testing.kube.KubeApiDouble;
import io.maasops.security.testing.kube.RestartableOperator;
import io.maasops.security.testing.region.RegionHostDouble;
import io.maasops.security.testing.vault.VaultDouble;
import java.time.Duration;
import java.util.Random;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Faults at chosen and at random (seeded, printed) points while the operator provisions five
 * regions; after each, {@link Invariants}: every region Ready, one role and one secret-id accessor
 * per region, no secret value in output, events or status.
 *
 * <p>Fault points are named by what the Vault double has seen ({@link #awaitVault}), so they are
 * reproducible without sleeping. Migration and rotation fault points belong with those flows: add
 * a test here that waits for their first request (e.g. the migrate command on a region host, or the
 * rotation's secret-id) and stops the operator or seals Vault there; the invariants stay the same.
 * Set -Dreliability.seed=N to replay a random run.
 */
class ReliabilityTest {

  static final int REGIONS = 5;
  static final Duration CONVERGE = Duration.ofSeconds(60);

  static KubeApiDouble api;
  static RestartableOperator operator;

  String ns;
  MaasTestbed testbed;
  OutputCapture output;

  @BeforeAll
  static void startOperator() {
    api = KubeApiDouble.start();
    operator = new RestartableOperator(api).start();
  }

  @AfterAll
  static void stopOperator() {
    operator.close();
    api.close();
  }

  @BeforeEach
  void namespace() {
    ns = "r-" + UUID.randomUUID().toString().substring(0, 8);
    k8s().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    output = new OutputCapture();
    testbed = MaasTestbed.start(REGIONS);
    testbed.applySecrets(k8s(), ns);
  }

  @AfterEach
  void close() {
    output.close();
    testbed.close();
    operator.start();   // a test that stopped it leaves it running for the next
  }

  KubernetesClient k8s() {
    return api.client();
  }

  String rolePath(String region) {
    return "/v1/auth/approle/role/maas-" + ns + "-" + region;
  }

  void applyAll() {
    k8s().resource(testbed.integration("maas")).inNamespace(ns).create();
    for (RegionHostDouble h : testbed.hosts()) {
      k8s().resource(testbed.region(h.hostname(), "maas")).inNamespace(ns).create();
    }
  }

  /** Waits until the Vault double has logged a request matching {@code what}: a fault point. */
  void awaitVault(Predicate<VaultDouble.Request> what) {
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
        .until(() -> testbed.vault().requests().stream().anyMatch(what));
  }

  void convergesWithInvariants() {
    await().atMost(CONVERGE).pollInterval(Duration.ofMillis(200)).until(() -> Invariants.allReady(k8s(), ns, testbed));
    Invariants.vaultMatchesRegions(ns, testbed);
    Invariants.noSecretLeaked(k8s(), ns, testbed, output.text());
  }

  static long seed() {
    String s = System.getProperty("reliability.seed");
    long seed = s != null ? Long.parseLong(s) : System.nanoTime();
    System.out.println("reliability seed: " + seed + " (replay with -Dreliability.seed=" + seed + ")");
    return seed;
  }

  /**
   * Seals Vault, makes every region look again (so a run that had already converged meets the seal
   * too), waits until someone got Vault's 503, and unseals.
   */
  void sealUntilSomeoneMeetsItThenUnseal() {
    testbed.vault().seal();
    int sealedAt = testbed.vault().requests().size();
    nudgeIntegration();
    await().atMost(Duration.ofSeconds(20)).until(() -> testbed.vault().requests().stream().skip(sealedAt).anyMatch(r -> r.status() == 503));
    testbed.vault().unseal();
  }

  /** A metadata-only change of the integration: every MaasRegion that refers to it reconciles. */
  void nudgeIntegration() {
    String patch = "{\"metadata\":{\"annotations\":{\"test.maasops.io/nudge\":\"" + System.nanoTime() + "\"}}}";
    k8s().resources(VaultIntegration.class).inNamespace(ns).withName("maas")
        .patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE), patch);
  }

  // ---------------------------------------------------------------------------- Vault sealed

  @Test
  void vaultSealedRightAfterTheFirstRoleWriteThenUnsealed() {
    applyAll();
    awaitVault(r -> r.method().equals("POST") && r.path().startsWith(rolePath("region-")) && !r.path().contains("/secret-id"));
    sealUntilSomeoneMeetsItThenUnseal();
    convergesWithInvariants();
  }

  @Test
  void vaultSealedAtARandomPointThenUnsealed() {
    Random random = new Random(seed());
    int point = 1 + random.nextInt(60);
    applyAll();
    // the point-th Vault request (or the end of provisioning if it needs fewer)
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
        .until(() -> testbed.vault().requests().size() >= point || Invariants.allReady(k8s(), ns, testbed));
    sealUntilSomeoneMeetsItThenUnseal();
    convergesWithInvariants();
  }

  // ---------------------------------------------------------------------------- Vault errors

  @Test
  void vault500sAndConnectionResetsOnProvisioningCalls() {
    var faults = testbed.vault().faults();
    faults.failNthRequest("/v1/sys/policies/acl/maas-" + ns + "-maas", 1)
        .failNthRequest(rolePath("region-a"), 1)
        .failNthRequest(rolePath("region-b") + "/role-id", 1)
        .failNthRequest(rolePath("region-c") + "/secret-id", 1)
        .resetNextConnections(3);
    applyAll();
    convergesWithInvariants();
    assertThat(testbed.vault().requests()).as("the faults happened").anyMatch(r -> r.status() == 500).anyMatch(r -> r.status() == 0);
  }

  @Test
  void connectionResetsRightAfterTheFirstSecretIdWasIssued() {
    applyAll();
    awaitVault(r -> r.path().endsWith("/secret-id") && r.status() == 200);
    testbed.vault().faults().resetNextConnections(4);
    convergesWithInvariants();
  }

  // ---------------------------------------------------------------------------- SSH

  @Test
  void aRegionsSshDownThenBack() {
    RegionHostDouble c = testbed.host("region-c");
    c.stop();
    applyAll();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      var r = k8s().resources(MaasRegion.class).inNamespace(ns).withName("region-c").get();
      assertThat(r.getStatus()).isNotNull();
      assertThat(Conditions.isTrue(r.getStatus().getConditions(), Conditions.READY)).isFalse();
      assertThat(Conditions.find(r.getStatus().getConditions(), Conditions.READY).get().getMessage()).isNotBlank();
      for (String other : new String[] {"region-a", "region-b", "region-d", "region-e"}) {
        var o = k8s().resources(MaasRegion.class).inNamespace(ns).withName(other).get();
        assertThat(o.getStatus() != null && Conditions.isTrue(o.getStatus().getConditions(), Conditions.READY)).as(other).isTrue();
      }
    });
    c.start();
    convergesWithInvariants();
  }

  @Test
  void aRegionsSshDropsAfterItsSecretIdWasIssued() {
    applyAll();
    awaitVault(r -> r.path().startsWith(rolePath("region-d")) && r.path().endsWith("/secret-id"));
    RegionHostDouble d = testbed.host("region-d");
    d.stop();
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      var r = k8s().resources(MaasRegion.class).inNamespace(ns).withName("region-d").get();
      return r.getStatus() != null && Conditions.find(r.getStatus().getConditions(), Conditions.READY)
          .map(x -> "False".equals(x.getStatus())).orElse(false);
    });
    d.start();
    convergesWithInvariants();
  }

  // ---------------------------------------------------------------------------- operator restart

  @Test
  void operatorStoppedRightAfterASecretIdWasIssuedThenRestarted() {
    applyAll();
    awaitVault(r -> r.path().endsWith("/secret-id") && r.status() == 200);
    operator.stop();
    operator.start();
    convergesWithInvariants();
  }

  @Test
  void operatorStoppedAtARandomPointThenRestarted() {
    Random random = new Random(seed());
    int point = 1 + random.nextInt(60);
    applyAll();
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
        .until(() -> testbed.vault().requests().size() >= point || Invariants.allReady(k8s(), ns, testbed));
    operator.stop();
    operator.start();
    convergesWithInvariants();
  }
}
