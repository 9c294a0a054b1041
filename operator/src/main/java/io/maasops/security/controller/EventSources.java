package io.maasops.security.controller;

import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.PrimaryToSecondaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.MaasRegionSpec;
import io.maasops.security.api.v1alpha1.RoleBinding;
import io.maasops.security.api.v1alpha1.TlsSecretRef;
import io.maasops.security.api.v1alpha1.TlsSpec;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.concern.groups.GroupSync;
import io.maasops.security.contract.IntegrationReadiness;
import io.maasops.security.contract.RegionReadiness;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every secondary informer, indexer, mapper and update filter of the three controllers: which change
 * of one kind wakes which resource of another. What each kind reads of the other is in
 * {@link IntegrationReadiness} and {@link RegionReadiness}.
 */
public final class EventSources {

    static final String BY_INTEGRATION = "by-vault-integration";
    static final String BY_TLS_SECRET = "by-tls-secret";
    static final String BY_REGION = "by-maas-region";
    static final String BY_GROUP = "by-group-name";
    /**
     * Secrets with this label set to "true" are watched: a change to a certificate Secret so labelled
     * triggers a check at once. Only labelled Secrets are cached; all others are read on demand.
     */
    public static final String WATCH_LABEL = "security.maasops.io/watched";

    private EventSources() {}

    // ---- MaasRegion: its VaultIntegration (and labelled certificate Secrets)

    static List<EventSource<?, MaasRegion>> forRegions(
            EventSourceContext<MaasRegion> context, boolean watchLabelledSecrets, SharedRegions shared) {
        context.getPrimaryCache()
                .addIndexer(BY_INTEGRATION, r -> integrationOf(r).map(List::of).orElse(List.of()));
        var integrations = InformerEventSourceConfiguration.from(VaultIntegration.class, MaasRegion.class)
                .withName("vault-integrations")
                // cluster-scoped: one cluster-wide informer, whatever namespaces the regions are watched in
                .withNamespaces(Set.of(Constants.WATCH_ALL_NAMESPACES))
                // the integration's status changes as each region gets configured: re-reconciling every
                // region on each of those would be N^2 work; only what regions depend on wakes them
                .withOnUpdateFilter(IntegrationReadiness::changeMattersToRegions)
                .withSecondaryToPrimaryMapper(
                        vi -> context
                                .getPrimaryCache()
                                .byIndex(BY_INTEGRATION, vi.getMetadata().getName())
                                .stream()
                                .map(ResourceID::fromResource)
                                .collect(Collectors.toSet()))
                .withPrimaryToSecondaryMapper((PrimaryToSecondaryMapper<MaasRegion>) r ->
                        integrationOf(r).map(n -> Set.of(new ResourceID(n))).orElse(Set.of()))
                .build();
        var fanOut = shared.fanOut(context);
        return watchLabelledSecrets
                ? List.of(new InformerEventSource<>(integrations, context), fanOut, certificateSecrets(context))
                : List.of(new InformerEventSource<>(integrations, context), fanOut);
    }

    /** Labelled kubernetes.io/tls Secrets named by spec.tls.certificateSecretRef (see {@link #WATCH_LABEL}). */
    private static InformerEventSource<Secret, MaasRegion> certificateSecrets(EventSourceContext<MaasRegion> context) {
        context.getPrimaryCache()
                .addIndexer(
                        BY_TLS_SECRET,
                        r -> tlsSecretName(r)
                                .map(n -> List.of(r.getMetadata().getNamespace() + "/" + n))
                                .orElse(List.of()));
        var config = InformerEventSourceConfiguration.from(Secret.class, MaasRegion.class)
                .withName("certificate-secrets")
                .withNamespacesInheritedFromController()
                .withLabelSelector(WATCH_LABEL + "=true")
                .withSecondaryToPrimaryMapper(s -> context
                        .getPrimaryCache()
                        .byIndex(
                                BY_TLS_SECRET,
                                s.getMetadata().getNamespace() + "/"
                                        + s.getMetadata().getName())
                        .stream()
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
                .withPrimaryToSecondaryMapper((PrimaryToSecondaryMapper<MaasRegion>) r -> tlsSecretName(r)
                        .map(n -> Set.of(new ResourceID(n, r.getMetadata().getNamespace())))
                        .orElse(Set.of()))
                .build();
        return new InformerEventSource<>(config, context);
    }

    private static Optional<String> tlsSecretName(MaasRegion r) {
        return Optional.ofNullable(r.getSpec())
                .map(MaasRegionSpec::getTls)
                .map(TlsSpec::getCertificateSecretRef)
                .map(TlsSecretRef::getName);
    }

    static Optional<String> integrationOf(MaasRegion r) {
        return r.getSpec() == null || r.getSpec().getVaultIntegrationRef() == null
                ? Optional.empty()
                : Optional.ofNullable(r.getSpec().getVaultIntegrationRef().getName());
    }

    // ---- VaultIntegration: its MaasRegions

    static List<EventSource<?, VaultIntegration>> forIntegrations(
            EventSourceContext<VaultIntegration> context, SharedRegions regions) {
        // the integration is cluster-scoped (watched cluster-wide); its regions live in the watched namespaces
        var regionSource = new RegionEvents<VaultIntegration>(
                "regions",
                regions,
                syncTimeout(context),
                r -> integrationOf(r).map(n -> Set.of(new ResourceID(n))).orElse(Set.of()),
                // a region's status changes several times while it is provisioned; only what the summary,
                // the migration and the clean-up read wakes the integration
                RegionReadiness::changeMattersToIntegration,
                vi -> Set.copyOf(
                        regions.byIndex(BY_INTEGRATION, vi.getMetadata().getName())));
        return List.of(regionSource, IntegrationBindings.source(context, regions));
    }

    private static Duration syncTimeout(EventSourceContext<?> context) {
        return context.getControllerConfiguration().getConfigurationService().cacheSyncTimeout();
    }

    // ---- RoleBinding: its MaasRegion, and that region's VaultIntegration

    static List<EventSource<?, RoleBinding>> forRoleBindings(
            EventSourceContext<RoleBinding> context, SharedRegions regions) {
        context.getPrimaryCache()
                .addIndexer(
                        BY_REGION,
                        b -> b.getSpec() == null || b.getSpec().getMaasRegionRef() == null
                                ? List.of()
                                : List.of(b.getMetadata().getNamespace() + "/"
                                        + b.getSpec().getMaasRegionRef().getName()));
        context.getPrimaryCache()
                .addIndexer(BY_GROUP, b -> b.getSpec() == null ? List.of() : List.of(GroupSync.groupName(b)));
        var regionSource = new RegionEvents<RoleBinding>(
                "maas-regions",
                regions,
                syncTimeout(context),
                r -> bindingsOn(context, r),
                (now, before) -> true,
                b -> regionId(b).flatMap(regions::get).map(Set::of).orElse(Set.of()));
        // the binding's region's integration decides whether its namespace and role are allowed: a
        // change of the integration (e.g. allowAdministratorBindings) re-checks the bindings under it
        var integrations = InformerEventSourceConfiguration.from(VaultIntegration.class, RoleBinding.class)
                .withName("vault-integrations")
                .withNamespaces(Set.of(Constants.WATCH_ALL_NAMESPACES))
                // only what decides the allowance (the spec), not the integration's many status updates
                .withOnUpdateFilter((now, before) -> !Objects.equals(
                        now.getMetadata().getGeneration(), before.getMetadata().getGeneration()))
                .withSecondaryToPrimaryMapper(
                        vi -> regions.byIndex(BY_INTEGRATION, vi.getMetadata().getName()).stream()
                                .flatMap(r -> bindingsOn(context, r).stream())
                                .collect(Collectors.toSet()))
                .withPrimaryToSecondaryMapper((PrimaryToSecondaryMapper<RoleBinding>) b -> regionId(b)
                        .flatMap(regions::get)
                        .flatMap(EventSources::integrationOf)
                        .map(n -> Set.of(new ResourceID(n)))
                        .orElse(Set.of()))
                .build();
        return List.of(regionSource, new InformerEventSource<>(integrations, context));
    }

    private static Set<ResourceID> bindingsOn(EventSourceContext<RoleBinding> context, MaasRegion r) {
        return context
                .getPrimaryCache()
                .byIndex(
                        BY_REGION,
                        r.getMetadata().getNamespace() + "/" + r.getMetadata().getName())
                .stream()
                .map(ResourceID::fromResource)
                .collect(Collectors.toSet());
    }

    static Optional<ResourceID> regionId(RoleBinding b) {
        return b.getSpec() == null || b.getSpec().getMaasRegionRef() == null
                ? Optional.empty()
                : Optional.of(new ResourceID(
                        b.getSpec().getMaasRegionRef().getName(),
                        b.getMetadata().getNamespace()));
    }

    /** The MAAS API URL of another binding's region (normalised), as the regions' cache has it. */
    static String apiUrlOf(SharedRegions regions, RoleBinding b) {
        return regionId(b)
                .flatMap(regions::get)
                .map(r -> r.getSpec() == null || r.getSpec().getApi() == null
                        ? null
                        : io.maasops.security.concern.groups.MaasConnection.normalise(
                                r.getSpec().getApi().getUrl()))
                .orElse(null);
    }
}
