package io.maasops.security.concern.regions;

import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.RegionsSummary;
import io.maasops.security.api.v1alpha1.VaultIntegrationStatus;
import io.maasops.security.concern.RegionShells;
import io.maasops.security.contract.RegionReadiness;
import io.maasops.security.contract.RetryDelays;
import io.maasops.security.port.PortFactory;
import io.maasops.security.regionhost.MaasCliException;
import io.maasops.security.regionhost.RegionAccessException;
import io.maasops.security.regionhost.VaultStatus;
import io.maasops.security.status.ConditionType;
import io.maasops.security.status.ConditionValue;
import io.maasops.security.status.Reason;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The integration's view of its regions: how many MaasRegions refer to it, how many are
 * configured, and which regions MAAS itself reports as unconfigured (`maas config-vault status`,
 * asked on one configured region; MAAS may know regions no MaasRegion declares).
 */
public final class RegionSummary {

    public static final String REGIONS_CONFIGURED = ConditionType.REGIONS_CONFIGURED.value();
    /** How often MAAS is asked again while nothing changed. */
    public static final Duration MAAS_RECHECK = Duration.ofMinutes(5);

    public record Result(ConditionValue condition, Duration requeue, VaultStatus maasStatus) {}

    private final PortFactory ports;
    private final RetryDelays retries;

    public RegionSummary(PortFactory ports, RetryDelays retries) {
        this.ports = ports;
        this.retries = retries;
    }

    /** @param askNow ask MAAS even if its last answer is recent (a requested migration waits on it) */
    public Result update(VaultIntegrationStatus status, Collection<MaasRegion> regions, Instant now, boolean askNow) {
        List<MaasRegion> declared = regions.stream()
                .filter(r -> r.getMetadata().getDeletionTimestamp() == null)
                .sorted(Comparator.comparing(r -> r.getMetadata().getName()))
                .toList();
        List<MaasRegion> configured =
                declared.stream().filter(RegionReadiness::vaultConfigured).toList();
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
            return new Result(
                    ConditionValue.isFalse(
                            REGIONS_CONFIGURED, Reason.NO_REGIONS.value(), "no MaasRegion refers to this integration"),
                    null,
                    null);
        }
        if (configured.size() < declared.size()) {
            String waiting = someOf(declared.stream()
                    // not configured.contains(r): a deep equals against each of N regions, N times
                    .filter(r -> !RegionReadiness.vaultConfigured(r))
                    .map(r -> r.getSpec().getHostname())
                    .toList());
            return new Result(
                    ConditionValue.isFalse(
                            REGIONS_CONFIGURED,
                            Reason.REGIONS_PENDING.value(),
                            configured.size() + " of " + declared.size() + " regions configured; waiting for: "
                                    + waiting),
                    null,
                    null);
        }
        Asked asked = askIfDue(summary, previous, declared.size(), configured, now, askNow);
        return verdict(summary, declared, asked);
    }

    /** What MAAS answered (null when it was not asked or could not be), or why it could not be asked. */
    private record Asked(VaultStatus maas, String error) {}

    /** Asks MAAS on the first configured region when its last answer is old or the regions changed. */
    private Asked askIfDue(
            RegionsSummary summary,
            RegionsSummary previous,
            int declared,
            List<MaasRegion> configured,
            Instant now,
            boolean askNow) {
        boolean due = askNow
                || previous == null
                || previous.getCheckedAt() == null
                || !Integer.valueOf(declared).equals(previous.getConfigured())
                || !now.isBefore(Instant.parse(previous.getCheckedAt()).plus(MAAS_RECHECK));
        if (!due) {
            return new Asked(null, null);
        }
        MaasRegion asked = configured.get(0);
        try {
            VaultStatus maas = RegionShells.open(asked, ports, ports.secrets()).vaultStatus();
            summary.setUnconfigured(maas.unconfiguredRegions());
            summary.setCheckedAt(now.truncatedTo(ChronoUnit.SECONDS).toString());
            summary.setCheckedOn(asked.getSpec().getHostname());
            return new Asked(maas, null);
        } catch (MaasCliException | RegionAccessException e) {
            return new Asked(null, "could not ask MAAS on " + asked.getSpec().getHostname() + ": " + e.getMessage());
        }
    }

    /** The condition once every declared region is configured: what MAAS last said about them. */
    private Result verdict(RegionsSummary summary, List<MaasRegion> declared, Asked asked) {
        VaultStatus maas = asked.maas();
        String askError = asked.error();
        if (summary.getCheckedAt() == null) {
            return new Result(
                    ConditionValue.unknown(
                            REGIONS_CONFIGURED,
                            Reason.MAAS_NOT_ASKED.value(),
                            "every declared region is configured, but MAAS has not confirmed it yet"
                                    + (askError == null ? "" : " (" + askError + ")")),
                    retries.cap(),
                    null);
        }
        List<String> unconfigured = summary.getUnconfigured() == null ? List.of() : summary.getUnconfigured();
        if (!unconfigured.isEmpty()) {
            Set<String> declaredNames =
                    declared.stream().map(r -> r.getSpec().getHostname()).collect(Collectors.toSet());
            List<String> named = new ArrayList<>();
            for (String h : unconfigured) {
                named.add(declaredNames.contains(h) ? h : h + " (no MaasRegion declares it)");
            }
            return new Result(
                    ConditionValue.isFalse(
                            REGIONS_CONFIGURED,
                            Reason.REGIONS_UNCONFIGURED.value(),
                            "MAAS reports regions without Vault configuration: " + someOf(named)),
                    MAAS_RECHECK,
                    maas);
        }
        return new Result(
                ConditionValue.isTrue(
                        REGIONS_CONFIGURED,
                        Reason.ALL_CONFIGURED.value(),
                        "all " + declared.size() + " regions MAAS knows are configured for Vault"),
                MAAS_RECHECK,
                maas);
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
        return String.join(", ", names.subList(0, NAMES_IN_MESSAGE)) + " and " + (names.size() - NAMES_IN_MESSAGE)
                + " more";
    }
}
