package io.maasops.security.controller;

import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.RoleBinding;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.status.ConditionType;
import io.maasops.security.status.Conditions;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The RoleBindings a VaultIntegration reads for its posture's Access check (their Synced condition):
 * the informer that wakes the binding's region's integration, and the bindings on its regions.
 */
final class IntegrationBindings {

    static final String NAME = "role-bindings";

    private IntegrationBindings() {}

    /** @param regions the MaasRegions, and where they (and so their RoleBindings) are watched */
    static InformerEventSource<RoleBinding, VaultIntegration> source(
            EventSourceContext<VaultIntegration> context, SharedRegions regions) {
        var config = InformerEventSourceConfiguration.from(RoleBinding.class, VaultIntegration.class)
                .withName(NAME);
        var built = (regions.namespaces().isEmpty()
                        ? config.withNamespaces(Set.of(Constants.WATCH_ALL_NAMESPACES))
                        : config.withNamespaces(regions.namespaces()))
                // only the spec and the Synced verdict: not each membership or entitlement write
                .withOnUpdateFilter((now, before) -> !Objects.equals(
                                now.getMetadata().getGeneration(),
                                before.getMetadata().getGeneration())
                        || !syncedState(now).equals(syncedState(before)))
                .withSecondaryToPrimaryMapper(b -> EventSources.regionId(b)
                        .flatMap(regions::get)
                        .flatMap(EventSources::integrationOf)
                        .map(n -> Set.of(new ResourceID(n)))
                        .orElse(Set.of()))
                .build();
        return new InformerEventSource<>(built, context);
    }

    static String syncedState(RoleBinding b) {
        return b.getStatus() == null
                ? ""
                : Conditions.find(b.getStatus().getConditions(), ConditionType.SYNCED.value())
                        .map(c -> c.getStatus() + "/" + c.getReason() + "/" + c.getMessage())
                        .orElse("");
    }

    /**
     * Every RoleBinding the informer holds, read from the whole cache rather than JOSDK's
     * primary-to-secondary index, which a binding seen before its region would miss.
     */
    @SuppressWarnings("unchecked")
    static List<RoleBinding> all(Context<VaultIntegration> context) {
        var source = (InformerEventSource<RoleBinding, VaultIntegration>)
                context.eventSourceRetriever().getEventSourceFor(RoleBinding.class, NAME);
        return source.list().toList();
    }

    /** The bindings on one of {@code regions} (a binding names a region of its own namespace). */
    static List<RoleBinding> on(Collection<MaasRegion> regions, Collection<RoleBinding> bindings) {
        Set<String> ids = regions.stream()
                .map(r -> r.getMetadata().getNamespace() + "/" + r.getMetadata().getName())
                .collect(Collectors.toSet());
        return bindings.stream()
                .filter(b -> b.getSpec() != null
                        && b.getSpec().getMaasRegionRef() != null
                        && ids.contains(b.getMetadata().getNamespace() + "/"
                                + b.getSpec().getMaasRegionRef().getName()))
                .toList();
    }
}
