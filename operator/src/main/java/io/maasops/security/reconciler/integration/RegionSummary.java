package io.maasops.security.reconciler.integration;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.RegionsSummary;
import io.maasops.security.api.v1alpha1.VaultIntegrationStatus;
import io.maasops.security.kube.SecretValues;
import io.maasops.security.reconciler.Services;
import io.maasops.security.reconciler.region.AppRolePart;
import io.maasops.security.reconciler.region.RegionAccess;
import io.maasops.security.regionhost.MaasCli;
import io.maasops.security.regionhost.MaasCliException;
import io.maasops.security.regionhost.RegionAccessException;
import io.maasops.security.regionhost.VaultStatus;
import io.maasops.security.status.ConditionValue;
import io.maasops.security.status.Conditions;
import io.maasops.security.util.Secret;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The integration's view of its regions: how many MaasRegions refer to it, how many are
 * configured, and which regions MAAS itself reports as unconfigured (`maas config-vault status`,
 * asked on one configured region; MAAS may know regions no MaasRegion declares).
 */
public final class RegionSummary {

  public static final String REGIONS_CONFIGURED = "RegionsConfigured";
  /** How often MAAS is asked again while nothing changed. */
  public static final Duration MAAS_RECHECK = Duration.ofMinutes(5);

  public record Result(ConditionValue condition, Duration requeue, VaultStatus maasStatus) {}

  private final Services services;

  public RegionSummary(Services services) {
    this.services = services;
  }

  public Result update(VaultIntegrationStatus status, Collection<MaasRegion> regions, KubernetesClient client, Instant now) {
    return update(status, regions, client, now, false);
  }

  /** @param askNow ask MAAS even if its last answer is recent (a requested migration waits on it) */
  public Result update(VaultIntegrationStatus status, Collection<MaasRegion> regions, KubernetesClient client, Instant now,
                       boolean askNow) {
    List<MaasRegion> declared = regions.stream().filter(r -> r.getMetadata().getDeletionTimestamp() == null)
        .sorted(Comparator.comparing(r -> r.getMetadata().getName())).toList();
    List<MaasRegion> configured = declared.stream()
        .filter(r -> r.getStatus() != null && Conditions.isTrue(r.getStatus().getConditions(), AppRolePart.VAULT_CONFIGURED)).toList();
    RegionsSummary previous = status.getRegions();
    RegionsSummary summary = new RegionsSummary();
    summary.setDeclared(declared.size());
    summary.setConfigured(configured.size());
    if (previous != null) {
      summary.setUnconfigured(previous.getUnconfigured());
      summary.setCheckedAt(previous.getCheckedAt());
      summary.setCheckedOn(previous.getCheckedOn());
    }
    status.setRegions(summary);
    if (declared.isEmpty()) {
      return new Result(ConditionValue.isFalse(REGIONS_CONFIGURED, "NoRegions", "no MaasRegion refers to this integration"), null, null);
    }
    if (configured.size() < declared.size()) {
      String waiting = someOf(declared.stream().filter(r -> !configured.contains(r)).map(r -> r.getSpec().getHostname()).toList());
      return new Result(ConditionValue.isFalse(REGIONS_CONFIGURED, "RegionsPending",
          configured.size() + " of " + declared.size() + " regions configured; waiting for: " + waiting), null, null);
    }
    VaultStatus maas = null;
    String askError = null;
    boolean due = askNow || previous == null || previous.getCheckedAt() == null
        || !Integer.valueOf(declared.size()).equals(previous.getConfigured())
        || !now.isBefore(Instant.parse(previous.getCheckedAt()).plus(MAAS_RECHECK));
    if (due) {
      MaasRegion asked = configured.get(0);
      try {
        maas = ask(asked, client);
        summary.setUnconfigured(maas.unconfiguredRegions());
        summary.setCheckedAt(now.truncatedTo(ChronoUnit.SECONDS).toString());
        summary.setCheckedOn(asked.getSpec().getHostname());
      } catch (MaasCliException | RegionAccessException | IllegalStateException e) {
        askError = "could not ask MAAS on " + asked.getSpec().getHostname() + ": " + e.getMessage();
      }
    }
    if (summary.getCheckedAt() == null) {
      return new Result(ConditionValue.unknown(REGIONS_CONFIGURED, "MaasNotAsked",
          "every declared region is configured, but MAAS has not confirmed it yet" + (askError == null ? "" : " (" + askError + ")")),
          io.maasops.security.reconciler.Backoff.CAP, null);
    }
    List<String> unconfigured = summary.getUnconfigured() == null ? List.of() : summary.getUnconfigured();
    if (!unconfigured.isEmpty()) {
      Set<String> declaredNames = declared.stream().map(r -> r.getSpec().getHostname()).collect(Collectors.toSet());
      List<String> named = new ArrayList<>();
      for (String h : unconfigured) {
        named.add(declaredNames.contains(h) ? h : h + " (no MaasRegion declares it)");
      }
      return new Result(ConditionValue.isFalse(REGIONS_CONFIGURED, "RegionsUnconfigured",
          "MAAS reports regions without Vault configuration: " + someOf(named)), MAAS_RECHECK, maas);
    }
    return new Result(ConditionValue.isTrue(REGIONS_CONFIGURED, "AllConfigured",
        "all " + declared.size() + " regions MAAS knows are configured for Vault"), MAAS_RECHECK, maas);
  }

  /** Names shown in a condition message before "and N more": status.regions has the counts. */
  static final int NAMES_IN_MESSAGE = 10;

  /**
   * The first {@link #NAMES_IN_MESSAGE} names, then how many more: a condition message stays readable
   * in `kubectl describe`, and the integration's status is not rewritten with a list of every pending
   * region each time one more is configured (kilobytes per write at 1000 regions).
   */
  static String someOf(List<String> names) {
    if (names.size() <= NAMES_IN_MESSAGE) {
      return String.join(", ", names);
    }
    return String.join(", ", names.subList(0, NAMES_IN_MESSAGE)) + " and " + (names.size() - NAMES_IN_MESSAGE) + " more";
  }

  /** Runs `maas config-vault status` on a region, with that region's own access Secrets. */
  public VaultStatus ask(MaasRegion region, KubernetesClient client) {
    return cli(region, client).vaultStatus();
  }

  public MaasCli cli(MaasRegion region, KubernetesClient client) {
    SecretValues secrets = new SecretValues(client);
    Optional<Secret> key = Optional.empty();
    Optional<Secret> knownHosts = Optional.empty();
    var ssh = region.getSpec().getAccess().getSsh();
    if (ssh != null) {
      key = Optional.ofNullable(secrets.read(region.getMetadata().getNamespace(), ssh.getPrivateKeySecretRef().getName(),
          ssh.getPrivateKeySecretRef().getKey()).value());
      knownHosts = Optional.ofNullable(secrets.read(region.getMetadata().getNamespace(), ssh.getKnownHostsSecretRef().getName(),
          ssh.getKnownHostsSecretRef().getKey()).value());
      if (key.isEmpty() || knownHosts.isEmpty()) {
        throw new IllegalStateException("the SSH Secrets of MaasRegion " + region.getMetadata().getName() + " cannot be read");
      }
    }
    return new MaasCli(RegionAccess.runner(region, key, knownHosts, services, client), RegionAccess.installation(region));
  }
}
