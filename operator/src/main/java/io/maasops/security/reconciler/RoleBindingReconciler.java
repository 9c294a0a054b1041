package io.maasops.security.reconciler;

import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.PrimaryToSecondaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.maasops.security.api.v1alpha1.EntitlementStatus;
import io.maasops.security.api.v1alpha1.GroupRef;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.api.v1alpha1.RoleBinding;
import io.maasops.security.api.v1alpha1.RoleBindingStatus;
import io.maasops.security.api.v1alpha1.Subject;
import io.maasops.security.api.v1alpha1.Unresolved;
import io.maasops.security.kube.SecretValues;
import io.maasops.security.maas.Entitlement;
import io.maasops.security.maas.MaasApiClient;
import io.maasops.security.maas.MaasApiException;
import io.maasops.security.maas.UserGroup;
import io.maasops.security.rbac.GroupDiff;
import io.maasops.security.rbac.GroupOwnership;
import io.maasops.security.rbac.GroupPlan;
import io.maasops.security.reconciler.RoleBindingGroups.Conflict;
import io.maasops.security.reconciler.RoleBindingGroups.Lookup;
import io.maasops.security.reconciler.RoleBindingGroups.NotManaged;
import io.maasops.security.reconciler.RoleBindingGroups.Owned;
import io.maasops.security.reconciler.RoleBindingGroups.Renamed;
import io.maasops.security.reconciler.RoleBindingGroups.Resolution;
import io.maasops.security.status.ConditionValue;
import io.maasops.security.status.Conditions;
import io.maasops.security.tls.CertificateReadException;
import io.maasops.security.validation.SpecValidator;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * RoleBinding: one MAAS 3.8 user group per binding, holding the subjects as members and the role's
 * entitlements over the bound pools ({@link io.maasops.security.rbac.RoleEntitlements}). Each
 * reconcile re-reads the group and applies only the differences, so changes made behind the
 * operator's back are repaired. Nothing is written until every pool and user resolves, the groups
 * API is known to exist, and the group's name is free or already this binding's.
 *
 * <p>Deletion: the finalizer deletes the group this binding created (and only that). While MAAS is
 * unreachable it retries with capped backoff and says so in a Warning event. To give up and leave
 * the group in MAAS, remove the finalizer by hand:
 * {@code kubectl patch rolebinding.security.maasops.io NAME --type=json -p '[{"op":"remove","path":"/metadata/finalizers"}]'}.
 */
@ControllerConfiguration(
    name = RoleBindingReconciler.NAME,
    // Off so that the reconcile-request annotation can trigger a re-check; the filter still ignores
    // our own status writes.
    generationAwareEventProcessing = false,
    informer = @Informer(onUpdateFilter = ReconcileRequestFilter.class),
    maxReconciliationInterval = @MaxReconciliationInterval(interval = 10, timeUnit = TimeUnit.MINUTES))
public class RoleBindingReconciler implements Reconciler<RoleBinding>, Cleaner<RoleBinding> {

  public static final String NAME = "rolebinding";
  public static final String POOLS_RESOLVED = "PoolsResolved";
  public static final String SUBJECTS_RESOLVED = "SubjectsResolved";
  public static final String SYNCED = "Synced";

  public static final String EVENT_GROUP_CREATED = "GroupCreated";
  public static final String EVENT_GROUP_DELETED = "GroupDeleted";
  public static final String EVENT_GROUP_RENAMED = "GroupRenamed";
  public static final String EVENT_MEMBERS_CHANGED = "MembersChanged";
  public static final String EVENT_ENTITLEMENTS_CHANGED = "EntitlementsChanged";
  public static final String EVENT_DRIFT_REPAIRED = "DriftRepaired";
  public static final String EVENT_CONFLICT = "Conflict";
  public static final String EVENT_DELETION_BLOCKED = "DeletionBlocked";

  /** Drift is looked for this often even when nothing in Kubernetes changes. */
  static final Duration IN_SYNC_RECHECK = Duration.ofMinutes(5);
  /** Pools and users may be created in MAAS at any time; MAAS cannot tell us. */
  static final Duration UNRESOLVED_RECHECK = Duration.ofMinutes(1);
  static final Duration CONFLICT_RECHECK = Duration.ofMinutes(1);
  static final Duration MAAS_ERROR_RECHECK = Duration.ofSeconds(30);
  static final Duration DELETE_RETRY_FIRST = Duration.ofSeconds(2);
  static final Duration DELETE_RETRY_MAX = Duration.ofMinutes(5);

  static final String BY_REGION = "by-maas-region";
  static final String BY_GROUP = "by-group-name";

  private final StatusSupport<RoleBinding, RoleBindingStatus> statuses;
  private final Services services;
  private final Map<String, Integer> deleteAttempts = new ConcurrentHashMap<>();
  private volatile InformerEventSource<MaasRegion, RoleBinding> regions;

  public RoleBindingReconciler(Services services) {
    this.services = services;
    this.statuses = new StatusSupport<>(services.clock(), RoleBindingStatus.class, RoleBindingStatus::new);
  }

  @Override
  public List<EventSource<?, RoleBinding>> prepareEventSources(EventSourceContext<RoleBinding> context) {
    context.getPrimaryCache().addIndexer(BY_REGION, b -> b.getSpec() == null || b.getSpec().getMaasRegionRef() == null
        ? List.of() : List.of(b.getMetadata().getNamespace() + "/" + b.getSpec().getMaasRegionRef().getName()));
    context.getPrimaryCache().addIndexer(BY_GROUP, b -> b.getSpec() == null ? List.of() : List.of(groupName(b)));
    var config = InformerEventSourceConfiguration.from(MaasRegion.class, RoleBinding.class)
        .withName("maas-regions")
        .withNamespacesInheritedFromController()
        .withSecondaryToPrimaryMapper(r -> context.getPrimaryCache()
            .byIndex(BY_REGION, r.getMetadata().getNamespace() + "/" + r.getMetadata().getName())
            .stream().map(ResourceID::fromResource).collect(Collectors.toSet()))
        .withPrimaryToSecondaryMapper((PrimaryToSecondaryMapper<RoleBinding>) b -> b.getSpec() == null || b.getSpec().getMaasRegionRef() == null
            ? Set.of() : Set.of(regionId(b)))
        .build();
    regions = new InformerEventSource<>(config, context);
    // the binding's region's integration decides whether its namespace and role are allowed: a
    // change of the integration (e.g. allowAdministratorBindings) re-checks the bindings under it
    var integrations = InformerEventSourceConfiguration.from(VaultIntegration.class, RoleBinding.class)
        .withName("vault-integrations")
        .withNamespaces(Set.of(io.javaoperatorsdk.operator.api.reconciler.Constants.WATCH_ALL_NAMESPACES))
        // only what decides the allowance (the spec), not the integration's many status updates
        .withOnUpdateFilter((now, before) -> !Objects.equals(now.getMetadata().getGeneration(), before.getMetadata().getGeneration()))
        .withSecondaryToPrimaryMapper(vi -> regions.list(r -> r.getSpec() != null && r.getSpec().getVaultIntegrationRef() != null
                && vi.getMetadata().getName().equals(r.getSpec().getVaultIntegrationRef().getName()))
            .flatMap(r -> context.getPrimaryCache().byIndex(BY_REGION, r.getMetadata().getNamespace() + "/" + r.getMetadata().getName()).stream())
            .map(ResourceID::fromResource).collect(Collectors.toSet()))
        .withPrimaryToSecondaryMapper((PrimaryToSecondaryMapper<RoleBinding>) b -> b.getSpec() == null || b.getSpec().getMaasRegionRef() == null
            ? Set.of()
            : regions.get(regionId(b)).filter(r -> r.getSpec() != null && r.getSpec().getVaultIntegrationRef() != null)
                .map(r -> Set.of(new ResourceID(r.getSpec().getVaultIntegrationRef().getName()))).orElse(Set.of()))
        .build();
    return List.of(regions, new InformerEventSource<>(integrations, context));
  }

  // ---- reconcile ------------------------------------------------------------------------------

  @Override
  public UpdateControl<RoleBinding> reconcile(RoleBinding binding, Context<RoleBinding> context) {
    RoleBindingStatus status = statuses.begin(binding);
    List<String> problems = SpecValidator.validate(binding.getSpec());
    if (!problems.isEmpty()) {
      return statuses.notReady(binding, status, Reasons.INVALID_SPEC, Problems.join(problems), null, context);
    }
    Connection conn = connect(binding, context);
    if (conn.client() == null) {
      return statuses.notReady(binding, status, conn.reason(), conn.message(), conn.recheck(), context);
    }
    var refused = io.maasops.security.tenancy.Tenancy.roleBinding(conn.integration(), binding.getMetadata().getNamespace(),
        binding.getSpec().getRole());
    if (refused.isPresent()) {
      return statuses.notReady(binding, status, refused.get().reason(), refused.get().message(), null, context);
    }
    try {
      return sync(binding, context, status, conn);
    } catch (MaasApiException e) {
      ConditionValue synced = ConditionValue.isFalse(SYNCED, reasonFor(e), e.getMessage());
      statuses.set(status, synced, Conditions.rollUp(List.of(synced), "", ""));
      return statuses.finish(binding, status, MAAS_ERROR_RECHECK, context);
    }
  }

  private UpdateControl<RoleBinding> sync(RoleBinding binding, Context<RoleBinding> context, RoleBindingStatus status,
      Connection conn) throws MaasApiException {
    MaasApiClient maas = conn.client();
    String ns = binding.getMetadata().getNamespace();
    String name = binding.getMetadata().getName();
    String groupName = groupName(binding);

    // 1. The groups API, before anything else: on an old MAAS nothing is resolved or written.
    List<UserGroup> groups;
    try {
      groups = maas.listGroups();
    } catch (MaasApiException e) {
      if (e.kind() != MaasApiException.Kind.GROUPS_API_UNSUPPORTED) {
        throw e;
      }
      ConditionValue synced = ConditionValue.isFalse(SYNCED, Reasons.GROUPS_API_UNSUPPORTED,
          "this MAAS has no user groups API (MAAS 3.8 or later is needed); nothing was applied");
      statuses.set(status, synced,
          ConditionValue.unknown(POOLS_RESOLVED, Reasons.NOT_CHECKED, "needs the groups API first"),
          ConditionValue.unknown(SUBJECTS_RESOLVED, Reasons.NOT_CHECKED, "needs the groups API first"),
          Conditions.rollUp(List.of(synced), "", ""));
      return statuses.finish(binding, status, null, context);
    }

    // 2. Names to ids; nothing is applied until all resolve.
    List<String> usernames = binding.getSpec().getSubjects().stream().map(Subject::getName).toList();
    List<String> poolNames = binding.getSpec().getResourcePools() == null ? List.of() : binding.getSpec().getResourcePools();
    Resolution res = RoleBindingGroups.resolve(maas, poolNames, usernames);
    status.setUnresolved(unresolved(res));
    ConditionValue pools = res.unknownPools().isEmpty()
        ? ConditionValue.isTrue(POOLS_RESOLVED, Reasons.RESOLVED, poolNames.isEmpty()
            ? "no pools: the role is MAAS-wide" : "pools " + ids(res.pools()))
        : ConditionValue.isFalse(POOLS_RESOLVED, Reasons.POOLS_NOT_FOUND,
            "MAAS has no resource pool named " + String.join(", ", res.unknownPools()));
    ConditionValue subjects = res.unknownUsers().isEmpty()
        ? ConditionValue.isTrue(SUBJECTS_RESOLVED, Reasons.RESOLVED, usernames.size() + " MAAS user(s)")
        : ConditionValue.isFalse(SUBJECTS_RESOLVED, Reasons.USERS_NOT_FOUND,
            "MAAS has no user named " + String.join(", ", res.unknownUsers()));
    if (!res.complete()) {
      ConditionValue synced = ConditionValue.isFalse(SYNCED, Reasons.WAITING_FOR_REFERENCES,
          "nothing is applied until every pool and user exists in MAAS");
      return finish(binding, status, pools, subjects, synced, UNRESOLVED_RECHECK, context);
    }

    // 3. The binding's own group: ours, free, or someone else's.
    Long recordedId = status.getGroup() == null ? null : status.getGroup().getId();
    Lookup lookup = RoleBindingGroups.find(groups, groupName, recordedId, ns, name);
    if (lookup instanceof Conflict c) {
      return conflict(binding, status, pools, subjects, groupName, "RoleBinding " + c.owner() + " manages MAAS group "
          + groupName + " (id " + c.group().id() + "); this binding changes nothing", context);
    }
    if (lookup instanceof NotManaged nm) {
      ConditionValue synced = ConditionValue.isFalse(SYNCED, Reasons.GROUP_NOT_MANAGED, "MAAS group " + groupName
          + " (id " + nm.group().id() + ") exists and is not managed by this operator; it is left alone. Choose another"
          + " spec.groupName, or hand the group over by setting its description to \""
          + GroupOwnership.description(ns, name) + "\"");
      return finish(binding, status, pools, subjects, synced, CONFLICT_RECHECK, context);
    }
    String description = GroupOwnership.description(ns, name);
    boolean created = false;
    UserGroup group;
    if (lookup instanceof Owned o) {
      group = o.group();
    } else if (lookup instanceof Renamed r) {
      group = maas.updateGroup(r.group().id(), groupName, null);
      services.events().normal(binding, EVENT_GROUP_RENAMED, "renamed MAAS group " + r.group().name() + " (id "
          + group.id() + ") to " + groupName);
    } else {
      Optional<String> earlier = earlierClaim(binding, context, conn.apiUrl(), groupName);
      if (earlier.isPresent()) {
        return conflict(binding, status, pools, subjects, groupName, "RoleBinding " + earlier.get()
            + " already declares MAAS group " + groupName + " on the same MAAS; this binding changes nothing", context);
      }
      group = maas.createGroup(groupName, description);
      created = true;
      services.events().normal(binding, EVENT_GROUP_CREATED, "created MAAS group " + groupName + " (id " + group.id() + ")");
    }
    GroupRef ref = new GroupRef();
    ref.setId((long) group.id());
    ref.setName(groupName);
    status.setGroup(ref);

    // 4. Only the differences.
    GroupPlan plan = GroupPlan.of(groupName, description, binding.getSpec().getRole(), res.pools().values(), res.users());
    GroupDiff diff = RoleBindingGroups.diff(maas, group.id(), plan);
    if (!diff.isEmpty()) {
      RoleBindingGroups.apply(maas, group.id(), diff);
      if (!created && wasInSync(binding, group.id())) {
        services.events().warning(binding, EVENT_DRIFT_REPAIRED, "MAAS group " + groupName + " was changed outside"
            + " this binding; restored:" + (diff.membersChanged() ? " members " + diff.describeMembers() : "")
            + (diff.entitlementsChanged() ? " entitlements " + diff.describeEntitlements() : ""));
      } else {
        if (diff.membersChanged()) {
          services.events().normal(binding, EVENT_MEMBERS_CHANGED, groupName + ": " + diff.describeMembers());
        }
        if (diff.entitlementsChanged()) {
          services.events().normal(binding, EVENT_ENTITLEMENTS_CHANGED, groupName + ": " + diff.describeEntitlements());
        }
      }
    }
    status.setMembers(List.copyOf(plan.members()));
    status.setEntitlements(plan.entitlements().stream().map(RoleBindingReconciler::entitlementStatus).toList());
    ConditionValue synced = ConditionValue.isTrue(SYNCED, Reasons.IN_SYNC, "MAAS group " + groupName + " (id "
        + group.id() + "): " + plan.members().size() + " member(s), " + plan.entitlements().size() + " entitlement(s)");
    return finish(binding, status, pools, subjects, synced, IN_SYNC_RECHECK, context);
  }

  private UpdateControl<RoleBinding> finish(RoleBinding binding, RoleBindingStatus status, ConditionValue pools,
      ConditionValue subjects, ConditionValue synced, Duration requeue, Context<RoleBinding> context) {
    statuses.set(status, pools, subjects, synced,
        Conditions.rollUp(List.of(pools, subjects, synced), Reasons.IN_SYNC, "the MAAS group is as declared"));
    return statuses.finish(binding, status, requeue, context);
  }

  private UpdateControl<RoleBinding> conflict(RoleBinding binding, RoleBindingStatus status, ConditionValue pools,
      ConditionValue subjects, String groupName, String message, Context<RoleBinding> context) {
    boolean already = Conditions.find(binding.getStatus() == null ? null : binding.getStatus().getConditions(), SYNCED)
        .map(c -> Reasons.GROUP_CONFLICT.equals(c.getReason()) && message.equals(c.getMessage())).orElse(false);
    if (!already) {
      services.events().warning(binding, EVENT_CONFLICT, message);
    }
    // The group shown is the one this binding owns, which is none while in conflict.
    if (status.getGroup() != null && Objects.equals(status.getGroup().getName(), groupName)) {
      status.setGroup(null);
      status.setMembers(null);
      status.setEntitlements(null);
    }
    return finish(binding, status, pools, subjects, ConditionValue.isFalse(SYNCED, Reasons.GROUP_CONFLICT, message),
        CONFLICT_RECHECK, context);
  }

  /** True when the last status already said this same generation was in sync with this group: any difference now is drift. */
  private static boolean wasInSync(RoleBinding binding, int groupId) {
    RoleBindingStatus last = binding.getStatus();
    return last != null
        && Objects.equals(last.getObservedGeneration(), StatusSupport.generation(binding))
        && last.getGroup() != null && Objects.equals(last.getGroup().getId(), (long) groupId)
        && Conditions.isTrue(last.getConditions(), SYNCED);
  }

  /**
   * Another binding that declares the same group on the same MAAS and came first (older, then by
   * namespace/name) wins while the group does not exist yet, so two bindings never both create it.
   */
  private Optional<String> earlierClaim(RoleBinding binding, Context<RoleBinding> context, String apiUrl, String groupName) {
    Comparator<RoleBinding> order = Comparator.comparing(RoleBindingReconciler::created)
        .thenComparing(b -> b.getMetadata().getNamespace() + "/" + b.getMetadata().getName());
    return context.getPrimaryCache().byIndex(BY_GROUP, groupName).stream()
        .filter(o -> !Objects.equals(o.getMetadata().getUid(), binding.getMetadata().getUid()))
        .filter(o -> o.getMetadata().getDeletionTimestamp() == null)
        .filter(o -> apiUrl.equals(apiUrlOf(o)))
        .filter(o -> order.compare(o, binding) < 0)
        .map(o -> o.getMetadata().getNamespace() + "/" + o.getMetadata().getName())
        .findFirst();
  }

  private String apiUrlOf(RoleBinding b) {
    if (regions == null || b.getSpec() == null || b.getSpec().getMaasRegionRef() == null) {
      return null;
    }
    return regions.get(regionId(b))
        .map(r -> r.getSpec() == null || r.getSpec().getApi() == null ? null : normalise(r.getSpec().getApi().getUrl()))
        .orElse(null);
  }

  private static Instant created(RoleBinding b) {
    String ts = b.getMetadata().getCreationTimestamp();
    try {
      return ts == null ? Instant.MAX : Instant.parse(ts);
    } catch (RuntimeException e) {
      return Instant.MAX;
    }
  }

  // ---- deletion -------------------------------------------------------------------------------

  @Override
  public DeleteControl cleanup(RoleBinding binding, Context<RoleBinding> context) {
    String uid = binding.getMetadata().getUid();
    GroupRef recorded = binding.getStatus() == null ? null : binding.getStatus().getGroup();
    if (binding.getSpec() == null) {
      return DeleteControl.defaultDelete();
    }
    Connection conn = connect(binding, context);
    String problem;
    if (conn.client() != null) {
      try {
        deleteOwnGroup(binding, conn.client(), recorded);
        deleteAttempts.remove(uid);
        return DeleteControl.defaultDelete();
      } catch (MaasApiException e) {
        problem = e.getMessage();
      }
    } else if (isRefusal(conn.reason())) {
      // the deployment no longer lets this namespace (or this API URL) use the operator: no MAAS call
      services.events().warning(binding, "CleanupSkipped", conn.message() + "; MAAS group "
          + (recorded == null ? groupName(binding) : recorded.getName()) + " (if any) was left in MAAS");
      deleteAttempts.remove(uid);
      return DeleteControl.defaultDelete();
    } else if (recorded == null) {
      // Never got as far as a group (its status names none), and MAAS cannot be asked: nothing to undo.
      deleteAttempts.remove(uid);
      return DeleteControl.defaultDelete();
    } else {
      problem = conn.message();
    }
    int attempt = deleteAttempts.merge(uid, 1, Integer::sum);
    Duration wait = backoff(attempt);
    services.events().warning(binding, EVENT_DELETION_BLOCKED, "cannot delete MAAS group "
        + (recorded == null ? groupName(binding) : recorded.getName()) + " yet: " + problem + "; retrying in "
        + wait.toSeconds() + "s. To leave the group in MAAS instead, remove this resource's finalizer by hand");
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(wait.toMillis());
  }

  /** Deletes the group(s) marked as this binding's under its name or recorded id; anything else is left alone. */
  private void deleteOwnGroup(RoleBinding binding, MaasApiClient maas, GroupRef recorded) throws MaasApiException {
    List<UserGroup> groups;
    try {
      groups = maas.listGroups();
    } catch (MaasApiException e) {
      if (e.kind() == MaasApiException.Kind.GROUPS_API_UNSUPPORTED) {
        return; // no groups API, so no group was ever created
      }
      throw e;
    }
    String ns = binding.getMetadata().getNamespace();
    String name = binding.getMetadata().getName();
    String groupName = groupName(binding);
    for (UserGroup g : groups) {
      boolean candidate = g.name().equals(groupName) || (recorded != null && Objects.equals(recorded.getId(), (long) g.id()));
      if (candidate && GroupOwnership.judge(g.description(), ns, name).kind() == GroupOwnership.Kind.THIS_BINDING) {
        try {
          maas.deleteGroup(g.id());
        } catch (MaasApiException e) {
          if (e.kind() != MaasApiException.Kind.NOT_FOUND) {
            throw e;
          }
        }
        services.events().normal(binding, EVENT_GROUP_DELETED, "deleted MAAS group " + g.name() + " (id " + g.id() + ")");
      }
    }
  }

  static Duration backoff(int attempt) {
    long seconds = DELETE_RETRY_FIRST.toSeconds() << Math.min(attempt - 1, 16);
    return Duration.ofSeconds(Math.min(seconds, DELETE_RETRY_MAX.toSeconds()));
  }

  // ---- shared ---------------------------------------------------------------------------------

  @Override
  public ErrorStatusUpdateControl<RoleBinding> updateErrorStatus(RoleBinding binding, Context<RoleBinding> context, Exception e) {
    return statuses.error(binding, context, e);
  }

  /** The MAAS API client of the referenced region, or why there is none. */
  private record Connection(MaasApiClient client, String apiUrl, VaultIntegration integration, String reason, String message,
                            Duration recheck) {
    static Connection problem(String reason, String message, Duration recheck) {
      return new Connection(null, null, null, reason, message, recheck);
    }
  }

  private Connection connect(RoleBinding binding, Context<RoleBinding> context) {
    String ns = binding.getMetadata().getNamespace();
    if (binding.getSpec().getMaasRegionRef() == null || binding.getSpec().getMaasRegionRef().getName() == null) {
      return Connection.problem(Reasons.INVALID_SPEC, "spec.maasRegionRef.name is required", null);
    }
    Optional<MaasRegion> region = context.getSecondaryResource(MaasRegion.class);
    if (region.isEmpty()) {
      return Connection.problem(Reasons.MAAS_REGION_NOT_FOUND,
          "MaasRegion " + ns + "/" + binding.getSpec().getMaasRegionRef().getName() + " does not exist", null);
    }
    var api = region.get().getSpec() == null ? null : region.get().getSpec().getApi();
    String regionName = region.get().getMetadata().getName();
    if (api == null || api.getApiKeySecretRef() == null || api.getUrl() == null) {
      return Connection.problem(Reasons.MAAS_API_NOT_CONFIGURED,
          "MaasRegion " + ns + "/" + regionName + " has no spec.api: the binding needs the MAAS API", null);
    }
    Optional<VaultIntegration> vi = context.getSecondaryResource(VaultIntegration.class);
    if (vi.isEmpty()) {
      return Connection.problem(Reasons.VAULT_INTEGRATION_NOT_FOUND, "MaasRegion " + regionName + " refers to VaultIntegration "
          + (region.get().getSpec().getVaultIntegrationRef() == null ? "(none)" : region.get().getSpec().getVaultIntegrationRef().getName())
          + ", which does not exist", null);
    }
    // no MAAS call for a namespace the deployment does not allow, nor to an API URL it does not allow
    var refused = io.maasops.security.tenancy.Tenancy.namespace(vi.get(), ns)
        .or(() -> io.maasops.security.tenancy.Tenancy.maasApi(vi.get(), api));
    if (refused.isPresent()) {
      return Connection.problem(refused.get().reason(), refused.get().message(), null);
    }
    SecretValues secrets = new SecretValues(context.getClient());
    var key = secrets.read(ns, api.getApiKeySecretRef().getName(), api.getApiKeySecretRef().getKey());
    if (!key.found()) {
      return Connection.problem(key.reason(), "MaasRegion " + regionName + " spec.api.apiKeySecretRef: " + key.message(),
          services.retries().missingReference());
    }
    String ca = null;
    if (api.getCaSecretRef() != null) {
      var caLookup = secrets.read(ns, api.getCaSecretRef().getName(), api.getCaSecretRef().getKey());
      if (!caLookup.found()) {
        return Connection.problem(caLookup.reason(), "MaasRegion " + regionName + " spec.api.caSecretRef: " + caLookup.message(),
            services.retries().missingReference());
      }
      ca = caLookup.value().reveal();
    }
    try {
      // Keyed like the MaasRegion reconciler's, so both share one client per region.
      MaasApiClient client = services.maasClients().forRegion(ns + "/" + regionName, URI.create(api.getUrl()), key.value(), ca);
      return new Connection(client, normalise(api.getUrl()), vi.get(), null, null, null);
    } catch (CertificateReadException e) {
      return Connection.problem(Reasons.MAAS_API_NOT_CONFIGURED, "MaasRegion " + regionName
          + " spec.api.caSecretRef: " + e.getMessage(), null);
    } catch (IllegalArgumentException e) {
      return Connection.problem(Reasons.MAAS_API_NOT_CONFIGURED, "MaasRegion " + regionName + " spec.api: "
          + e.getMessage(), null);
    }
  }

  private static boolean isRefusal(String reason) {
    return io.maasops.security.tenancy.Refusal.NAMESPACE_NOT_ALLOWED.equals(reason)
        || io.maasops.security.tenancy.Refusal.MAAS_API_URL_NOT_ALLOWED.equals(reason)
        || io.maasops.security.tenancy.Refusal.INSECURE_MAAS_API.equals(reason);
  }

  /**
   * spec.groupName, or {@code k8s_<namespace>_<name>}: "_" cannot occur in Kubernetes names, so no
   * two bindings share a default group name (with "-", a-b/c and a/b-c did).
   */
  static String groupName(RoleBinding b) {
    String explicit = b.getSpec() == null ? null : b.getSpec().getGroupName();
    return explicit == null || explicit.isEmpty()
        ? "k8s_" + b.getMetadata().getNamespace() + "_" + b.getMetadata().getName()
        : explicit;
  }

  private static ResourceID regionId(RoleBinding b) {
    return new ResourceID(b.getSpec().getMaasRegionRef().getName(), b.getMetadata().getNamespace());
  }

  private static String normalise(String url) {
    if (url == null) {
      return null;
    }
    String s = url.strip();
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }

  private static String ids(Map<String, Integer> pools) {
    return pools.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
  }

  /** Only what is missing; empty lists are left out, as the API server would drop them anyway. */
  private static Unresolved unresolved(Resolution res) {
    if (res.complete()) {
      return null;
    }
    Unresolved u = new Unresolved();
    u.setPools(res.unknownPools().isEmpty() ? null : res.unknownPools());
    u.setUsers(res.unknownUsers().isEmpty() ? null : res.unknownUsers());
    return u;
  }

  private static EntitlementStatus entitlementStatus(Entitlement e) {
    EntitlementStatus s = new EntitlementStatus();
    s.setResourceType(e.resourceType());
    s.setResourceId(e.resourceId());
    s.setEntitlement(e.entitlement());
    return s;
  }

  static String reasonFor(MaasApiException e) {
    return switch (e.kind()) {
      case UNREACHABLE, TLS -> Reasons.MAAS_UNREACHABLE;
      case UNAUTHORIZED -> Reasons.MAAS_UNAUTHORIZED;
      case FORBIDDEN -> Reasons.MAAS_FORBIDDEN;
      case GROUPS_API_UNSUPPORTED -> Reasons.GROUPS_API_UNSUPPORTED;
      default -> Reasons.MAAS_API_ERROR;
    };
  }
}
