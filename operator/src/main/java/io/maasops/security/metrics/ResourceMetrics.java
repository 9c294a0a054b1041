package io.maasops.security.metrics;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.processing.Controller;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.maasops.security.api.v1alpha1.ResourceStatus;
import io.maasops.security.api.v1alpha1.VaultIntegrationStatus;
import io.micrometer.core.instrument.Tags;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * JOSDK's metrics hook for the operator: JOSDK's own Micrometer metrics (delegated to), plus the
 * per-resource series, which are set when a status is written ({@link #statusWritten}) and removed
 * when JOSDK is done with a deleted resource ({@link #cleanupDoneFor}: finalizer removed, or the
 * resource gone from the API server).
 *
 * <p>Per resource: {@code maasops_resource_ready} (1 when Ready=True, else 0),
 * {@code maasops_resource_condition} (1 for each condition, its status and reason as labels; a changed
 * status replaces the series) and, for a VaultIntegration, {@code maasops_secret_migration_phase}.
 */
public final class ResourceMetrics implements Metrics {

    public static final String READY = "maasops.resource.ready";
    public static final String CONDITION = "maasops.resource.condition";
    public static final String MIGRATION_PHASE = "maasops.secret.migration.phase";
    public static final String POSTURE_CHECK = "maasops.posture.check";

    private final Metrics josdk;
    private final OperatorMetrics operator;

    /** @param josdk JOSDK's MicrometerMetrics (or any other), which sees every call first */
    public ResourceMetrics(Metrics josdk, OperatorMetrics operator) {
        this.josdk = josdk;
        this.operator = operator;
    }

    /** The ResourceMetrics the operator runs with, from a reconcile's context (a no-op one when there is none). */
    public static ResourceMetrics of(Context<?> context) {
        Metrics m =
                context.getControllerConfiguration().getConfigurationService().getMetrics();
        return m instanceof ResourceMetrics r ? r : NONE;
    }

    private static final ResourceMetrics NONE = new ResourceMetrics(Metrics.NOOP, null);

    /**
     * Call with every status the operator decides on for {@code resource} (written or unchanged), so the
     * per-resource gauges follow it (an unchanged status after a restart too).
     */
    public void statusWritten(HasMetadata resource, ResourceStatus status) {
        if (operator == null || status == null) {
            return;
        }
        try {
            ResourceKey key = ResourceKey.of(resource);
            ResourceSeries series = operator.resources();
            List<Condition> conditions = status.getConditions() == null ? List.of() : status.getConditions();
            boolean ready =
                    conditions.stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
            series.set(
                    READY,
                    "1 when the resource's Ready condition is True, else 0",
                    null,
                    key,
                    Tags.empty(),
                    ready ? 1 : 0);
            Set<String> types = new HashSet<>();
            for (Condition c : conditions) {
                if (c.getType() == null || !types.add(c.getType())) {
                    continue;
                }
                series.setExclusive(
                        CONDITION,
                        "The resource's conditions: 1 per condition type, with its status and reason",
                        key,
                        Tags.of("type", c.getType()),
                        Tags.of(
                                "status",
                                String.valueOf(c.getStatus()),
                                "reason",
                                c.getReason() == null ? "" : c.getReason()),
                        1);
            }
            series.remove(
                    CONDITION,
                    key,
                    t -> !types.contains(t.stream()
                            .filter(x -> x.getKey().equals("type"))
                            .map(io.micrometer.core.instrument.Tag::getValue)
                            .findFirst()
                            .orElse("")));
            if (status instanceof VaultIntegrationStatus vi) {
                if (vi.getMigration() != null && vi.getMigration().getPhase() != null) {
                    series.setExclusive(
                            MIGRATION_PHASE,
                            "The phase of the integration's secret migration (1 for the current one)",
                            key,
                            Tags.empty(),
                            Tags.of("phase", vi.getMigration().getPhase().name()),
                            1);
                } else {
                    series.remove(MIGRATION_PHASE, key, t -> true);
                }
                if (vi.getPosture() != null) {
                    for (var check : vi.getPosture()) {
                        series.set(
                                POSTURE_CHECK,
                                "1 when the deployment's posture check passes or does not apply, 0 when it fails",
                                null,
                                key,
                                Tags.of("check", String.valueOf(check.getCheck()), "deployment", key.name()),
                                check.getResult() == io.maasops.security.api.v1alpha1.PostureResult.Fail ? 0 : 1);
                    }
                }
            }
        } catch (RuntimeException ignored) {
            // metrics must never break a reconcile
        }
    }

    /** Removes every series of the resource (all metrics of this operator). */
    public void resourceDeleted(String kind, ResourceID id) {
        if (operator != null) {
            operator.resources()
                    .removeAll(new ResourceKey(kind, id.getNamespace().orElse(""), id.getName()));
        }
    }

    @Override
    public void cleanupDoneFor(ResourceID resourceID, Map<String, Object> metadata) {
        josdk.cleanupDoneFor(resourceID, metadata);
        if (metadata != null && metadata.get(Constants.RESOURCE_GVK_KEY) instanceof GroupVersionKind gvk) {
            resourceDeleted(gvk.getKind(), resourceID);
        }
    }

    // ---- JOSDK's own metrics, unchanged -----------------------------------------------------------

    @Override
    public void controllerRegistered(Controller<? extends HasMetadata> controller) {
        josdk.controllerRegistered(controller);
    }

    @Override
    public void receivedEvent(Event event, Map<String, Object> metadata) {
        josdk.receivedEvent(event, metadata);
    }

    @Override
    public void reconcileCustomResource(HasMetadata resource, RetryInfo retryInfo, Map<String, Object> metadata) {
        josdk.reconcileCustomResource(resource, retryInfo, metadata);
    }

    @Override
    public void failedReconciliation(HasMetadata resource, Exception exception, Map<String, Object> metadata) {
        josdk.failedReconciliation(resource, exception, metadata);
    }

    @Override
    public void reconciliationExecutionStarted(HasMetadata resource, Map<String, Object> metadata) {
        josdk.reconciliationExecutionStarted(resource, metadata);
    }

    @Override
    public void reconciliationExecutionFinished(HasMetadata resource, Map<String, Object> metadata) {
        josdk.reconciliationExecutionFinished(resource, metadata);
    }

    @Override
    public void finishedReconciliation(HasMetadata resource, Map<String, Object> metadata) {
        josdk.finishedReconciliation(resource, metadata);
    }

    @Override
    public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
        return josdk.timeControllerExecution(execution);
    }

    @Override
    public <T extends Map<?, ?>> T monitorSizeOf(T map, String name) {
        return josdk.monitorSizeOf(map, name);
    }
}
