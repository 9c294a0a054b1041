package io.maasops.security.reconciler;

import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.api.v1alpha1.VaultIntegrationStatus;
import io.maasops.security.kube.SecretValues;
import io.maasops.security.status.ConditionValue;
import io.maasops.security.status.Conditions;
import io.maasops.security.validation.SpecValidator;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * VaultIntegration: validates the spec and its Secret references, then hands over to the Vault
 * provisioning flow. Thin by design: the steps live in their own classes.
 */
@ControllerConfiguration(
    name = VaultIntegrationReconciler.NAME,
    maxReconciliationInterval = @MaxReconciliationInterval(interval = 10, timeUnit = TimeUnit.MINUTES))
public class VaultIntegrationReconciler implements Reconciler<VaultIntegration> {

  public static final String NAME = "vaultintegration";
  static final Duration MISSING_REFERENCE_RECHECK = Duration.ofSeconds(30);

  private final StatusSupport<VaultIntegration, VaultIntegrationStatus> statuses;

  private final Services services;

  public VaultIntegrationReconciler(Services services) {
    this.services = services;
    this.statuses = new StatusSupport<>(services.clock(), VaultIntegrationStatus.class, VaultIntegrationStatus::new);
  }

  @Override
  public List<EventSource<?, VaultIntegration>> prepareEventSources(EventSourceContext<VaultIntegration> context) {
    // a region appearing, changing or going away changes the integration's region summary
    var regions = InformerEventSourceConfiguration.from(MaasRegion.class, VaultIntegration.class)
        .withName("regions")
        .withNamespacesInheritedFromController()
        .withSecondaryToPrimaryMapper(r -> r.getSpec() == null || r.getSpec().getVaultIntegrationRef() == null
            ? Set.of()
            : Set.of(new ResourceID(r.getSpec().getVaultIntegrationRef().getName(), r.getMetadata().getNamespace())))
        .build();
    return List.of(new InformerEventSource<>(regions, context));
  }

  @Override
  public UpdateControl<VaultIntegration> reconcile(VaultIntegration vi, Context<VaultIntegration> context) {
    VaultIntegrationStatus status = statuses.begin(vi);
    List<String> problems = SpecValidator.validate(vi.getSpec());
    if (!problems.isEmpty()) {
      return statuses.notReady(vi, status, Reasons.INVALID_SPEC, Problems.join(problems), null);
    }
    SecretValues secrets = new SecretValues(context.getClient());
    String ns = vi.getMetadata().getNamespace();
    var auth = vi.getSpec().getVault().getAuth();
    if (auth.getTokenSecretRef() != null) {
      var token = secrets.read(ns, auth.getTokenSecretRef().getName(), auth.getTokenSecretRef().getKey());
      if (!token.found()) {
        return statuses.notReady(vi, status, token.reason(), "spec.vault.auth.tokenSecretRef: " + token.message(), MISSING_REFERENCE_RECHECK);
      }
    }
    var ca = vi.getSpec().getVault().getCaSecretRef();
    if (ca != null) {
      var caPem = secrets.read(ns, ca.getName(), ca.getKey());
      if (!caPem.found()) {
        return statuses.notReady(vi, status, caPem.reason(), "spec.vault.caSecretRef: " + caPem.message(), MISSING_REFERENCE_RECHECK);
      }
    }
    // Vault provisioning is not part of this build yet: say so rather than claim readiness.
    statuses.set(status, ConditionValue.unknown(Conditions.READY, Reasons.NOT_IMPLEMENTED,
        "references resolved; Vault provisioning is not implemented in this build"));
    return statuses.finish(vi, status, null);
  }

  @Override
  public ErrorStatusUpdateControl<VaultIntegration> updateErrorStatus(VaultIntegration vi, Context<VaultIntegration> context, Exception e) {
    return statuses.error(vi, e);
  }
}
