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
import io.javaoperatorsdk.operator.processing.event.source.PrimaryToSecondaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.RoleBinding;
import io.maasops.security.api.v1alpha1.RoleBindingStatus;
import io.maasops.security.kube.SecretValues;
import io.maasops.security.status.ConditionValue;
import io.maasops.security.status.Conditions;
import io.maasops.security.validation.SpecValidator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** RoleBinding: validates the spec and finds the MaasRegion whose MAAS API it uses. */
@ControllerConfiguration(
    name = RoleBindingReconciler.NAME,
    maxReconciliationInterval = @MaxReconciliationInterval(interval = 10, timeUnit = TimeUnit.MINUTES))
public class RoleBindingReconciler implements Reconciler<RoleBinding> {

  public static final String NAME = "rolebinding";
  static final String BY_REGION = "by-maas-region";

  private final StatusSupport<RoleBinding, RoleBindingStatus> statuses;

  private final Services services;

  public RoleBindingReconciler(Services services) {
    this.services = services;
    this.statuses = new StatusSupport<>(services.clock(), RoleBindingStatus.class, RoleBindingStatus::new);
  }

  @Override
  public List<EventSource<?, RoleBinding>> prepareEventSources(EventSourceContext<RoleBinding> context) {
    context.getPrimaryCache().addIndexer(BY_REGION, b -> b.getSpec() == null || b.getSpec().getMaasRegionRef() == null
        ? List.of() : List.of(b.getMetadata().getNamespace() + "/" + b.getSpec().getMaasRegionRef().getName()));
    var regions = InformerEventSourceConfiguration.from(MaasRegion.class, RoleBinding.class)
        .withName("maas-regions")
        .withNamespacesInheritedFromController()
        .withSecondaryToPrimaryMapper(r -> context.getPrimaryCache()
            .byIndex(BY_REGION, r.getMetadata().getNamespace() + "/" + r.getMetadata().getName())
            .stream().map(ResourceID::fromResource).collect(Collectors.toSet()))
        .withPrimaryToSecondaryMapper((PrimaryToSecondaryMapper<RoleBinding>) b -> b.getSpec() == null || b.getSpec().getMaasRegionRef() == null
            ? Set.of() : Set.of(new ResourceID(b.getSpec().getMaasRegionRef().getName(), b.getMetadata().getNamespace())))
        .build();
    return List.of(new InformerEventSource<>(regions, context));
  }

  @Override
  public UpdateControl<RoleBinding> reconcile(RoleBinding binding, Context<RoleBinding> context) {
    RoleBindingStatus status = statuses.begin(binding);
    List<String> problems = SpecValidator.validate(binding.getSpec());
    if (!problems.isEmpty()) {
      return statuses.notReady(binding, status, Reasons.INVALID_SPEC, Problems.join(problems), null);
    }
    Optional<MaasRegion> region = context.getSecondaryResource(MaasRegion.class);
    String ns = binding.getMetadata().getNamespace();
    if (region.isEmpty()) {
      return statuses.notReady(binding, status, Reasons.MAAS_REGION_NOT_FOUND,
          "MaasRegion " + ns + "/" + binding.getSpec().getMaasRegionRef().getName() + " does not exist", null);
    }
    var api = region.get().getSpec() == null ? null : region.get().getSpec().getApi();
    if (api == null || api.getApiKeySecretRef() == null) {
      return statuses.notReady(binding, status, Reasons.MAAS_API_NOT_CONFIGURED,
          "MaasRegion " + ns + "/" + region.get().getMetadata().getName() + " has no spec.api: the binding needs the MAAS API", null);
    }
    var key = new SecretValues(context.getClient()).read(ns, api.getApiKeySecretRef().getName(), api.getApiKeySecretRef().getKey());
    if (!key.found()) {
      return statuses.notReady(binding, status, key.reason(),
          "MaasRegion " + region.get().getMetadata().getName() + " spec.api.apiKeySecretRef: " + key.message(),
          VaultIntegrationReconciler.MISSING_REFERENCE_RECHECK);
    }
    statuses.set(status, ConditionValue.unknown(Conditions.READY, Reasons.NOT_IMPLEMENTED,
        "references resolved; MAAS group synchronisation is not implemented in this build"));
    return statuses.finish(binding, status, null);
  }

  @Override
  public ErrorStatusUpdateControl<RoleBinding> updateErrorStatus(RoleBinding binding, Context<RoleBinding> context, Exception e) {
    return statuses.error(binding, e);
  }
}
