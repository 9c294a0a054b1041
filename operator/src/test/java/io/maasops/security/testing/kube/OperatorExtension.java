package io.maasops.security.testing.kube;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.maasops.security.bootstrap.MaasSecurityOperator;
import io.maasops.security.bootstrap.OperatorSettings;
import io.maasops.security.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs the real operator (the same wiring as production, leader election included) against the
 * Kubernetes API double, once per test class; gives each test its own namespace.
 * <pre>
 * {@literal @}RegisterExtension static final OperatorExtension OPERATOR = new OperatorExtension();
 * </pre>
 */
public class OperatorExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {

  private final MutableClock clock = MutableClock.startingNow();
  private final boolean watchLabelledSecrets;
  private final java.util.Map<String, Object> chartValues;

  /** The operator as the chart installs it by default (Secrets read by name only), with the chart's RBAC. */
  public OperatorExtension() {
    this(false);
  }

  /**
   * @param watchLabelledSecrets also watch Secrets labelled security.maasops.io/watched=true (with
   *     the chart's RBAC for it: secretWatch.enabled)
   */
  public OperatorExtension(boolean watchLabelledSecrets) {
    this(watchLabelledSecrets, java.util.Map.of());
  }

  /** @param chartValues further `helm --set` values the operator's RBAC is rendered with, e.g. podExec.enabled */
  public OperatorExtension(boolean watchLabelledSecrets, java.util.Map<String, Object> chartValues) {
    this.watchLabelledSecrets = watchLabelledSecrets;
    var values = new java.util.HashMap<>(chartValues);
    if (watchLabelledSecrets) {
      values.put("secretWatch.enabled", "true");
    }
    this.chartValues = java.util.Map.copyOf(values);
  }
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private KubeApiDouble api;
  private Operator operator;
  private MaasSecurityOperator.Assembly assembly;
  private String namespace;

  @Override
  public void beforeAll(ExtensionContext context) {
    api = KubeApiDouble.start(0, chartValues);
    var settings = OperatorSettings.defaults()
        .withLeaderElection(true, KubeApiDouble.RELEASE_NAMESPACE, false)   // exit-on-lost-leadership would kill the test JVM
        .withHttpPort(0);
    settings = new OperatorSettings(settings.namespaces(), settings.leaderElection(), settings.leaseName(),
        settings.leaseNamespace(), 0, 4, false, Duration.ofSeconds(10), watchLabelledSecrets);
    // the operator gets its own client (own User-Agent) so its requests can be told from the test's
    assembly = MaasSecurityOperator.assemble(api.operatorClient(), settings, clock, registry);
    operator = assembly.operator();
    operator.start();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    namespace = "t-" + UUID.randomUUID().toString().substring(0, 8);
    api.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (operator != null) {
      assembly.stop(api.operatorClient());
    }
    if (api != null) {
      api.close();
    }
  }

  /** The API double, e.g. for {@link KubeApiDouble#recordedAccess(String)}. */
  public KubeApiDouble api() {
    return api;
  }

  /** The test's own client (not the operator's). */
  public KubernetesClient client() {
    return api.client();
  }

  public String namespace() {
    return namespace;
  }

  public MutableClock clock() {
    return clock;
  }

  public SimpleMeterRegistry registry() {
    return registry;
  }

  public Operator operator() {
    return operator;
  }

  /**
   * Makes the operator look again at everything that depends on a resource: sets an annotation by
   * JSON merge patch (no resourceVersion, so it never conflicts with the operator's status writes).
   * Metadata-only changes do not reconcile the resource itself (generation-aware processing), but
   * they reach the resources that watch it, e.g. every MaasRegion of a VaultIntegration.
   */
  public void nudge(Class<? extends io.fabric8.kubernetes.client.CustomResource<?, ?>> type, String name) {
    String patch = "{\"metadata\":{\"annotations\":{\"test.maasops.io/nudge\":\"" + System.nanoTime() + "\"}}}";
    api.client().resources(type).inNamespace(namespace).withName(name)
        .patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE), patch);
  }

  public io.maasops.security.reconciler.Services services() {
    return assembly.services();
  }
}
