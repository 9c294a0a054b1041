package io.maasops.security.concern.maasinstall;

import io.fabric8.kubernetes.api.model.Condition;
import io.maasops.security.api.v1alpha1.DetectedMaas;
import io.maasops.security.concern.ConcernResult;
import io.maasops.security.concern.MaasDetection;
import io.maasops.security.concern.Notice;
import io.maasops.security.concern.RegionConcern;
import io.maasops.security.concern.RegionInputs;
import io.maasops.security.contract.Reasons;
import io.maasops.security.maasversion.MaasBehaviour;
import io.maasops.security.maasversion.MaasVersion;
import io.maasops.security.maasversion.MaasVersions;
import io.maasops.security.regionhost.MaasCliException;
import io.maasops.security.regionhost.RegionAccessException;
import io.maasops.security.status.ConditionType;
import io.maasops.security.status.ConditionValue;
import io.maasops.security.status.Conditions;
import io.maasops.security.status.Reason;
import io.maasops.security.util.RemoteText;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * Which MAAS runs on the controller, read from the host's package manager ({@code snap list maas} or {@code
 * dpkg-query}) rather than the MAAS API: every region has a shell, not every region has {@code spec.api}, and the
 * package manager also proves the installation the spec declares. The other concerns take their behaviour from
 * {@link MaasVersions} through {@link RegionInputs#behaviour()}; on a version outside 3.3–3.8 they do not run.
 * Read again on a spec change and every {@link #RECHECK} (an upgrade is seen within that time).
 */
public final class MaasVersionConcern implements RegionConcern {

    public static final String TYPE = ConditionType.MAAS_VERSION_SUPPORTED.value();
    static final String EVENT_DETECTED = "MaasVersionDetected";
    static final Duration RECHECK = Duration.ofMinutes(10);

    @Override
    public List<String> conditionTypes() {
        return List.of(TYPE);
    }

    @Override
    public ConcernResult reconcile(RegionInputs in) {
        DetectedMaas known = in.status().getMaas();
        Optional<Condition> current = Conditions.find(in.status().getConditions(), TYPE);
        Optional<ConditionValue> previous =
                current.map(c -> new ConditionValue(c.getType(), c.getStatus(), c.getReason(), c.getMessage()));
        Duration left = known == null ? Duration.ZERO : timeLeft(known.getCheckedAt(), in.now());
        if (!in.specChanged()
                && previous.isPresent()
                && known != null
                && !Reason.MAAS_VERSION_UNKNOWN.value().equals(previous.get().reason())
                && left.compareTo(Duration.ZERO) > 0) {
            return ConcernResult.of(previous.get(), left);
        }
        String printed;
        try {
            printed = in.installedVersion();
        } catch (RegionAccessException e) {
            // the last known version stays: the other concerns report the same failure with their own step
            return ConcernResult.of(
                    ConditionValue.unknown(
                            TYPE,
                            Reason.MAAS_VERSION_UNKNOWN.value(),
                            "cannot read the MAAS version (" + Reasons.of(e).value() + "): " + e.getMessage()),
                    // backing off from when the version first could not be read, like every access failure
                    in.retries()
                            .since(
                                    current.filter(c -> Reason.MAAS_VERSION_UNKNOWN
                                                    .value()
                                                    .equals(c.getReason()))
                                            .map(Condition::getLastTransitionTime)
                                            .orElse(null),
                                    in.now()));
        } catch (MaasCliException e) {
            MaasDetection.recordMismatch(in.status(), in.packaging(), in.now());
            return ConcernResult.of(
                    ConditionValue.isFalse(
                            TYPE,
                            Reason.INSTALLATION_MISMATCH.value(),
                            e.getMessage() + "; set spec.installation to how MAAS is installed there"),
                    RECHECK);
        }
        return ConcernResult.of(judge(in, printed), RECHECK);
    }

    /** Records what the host printed in status.maas and says whether the operator supports it. */
    private static ConditionValue judge(RegionInputs in, String printed) {
        DetectedMaas found = MaasDetection.record(in.status(), in.packaging(), printed, in.now());
        String installation = found.getInstallation();
        if (found.getVersion() == null) {
            return ConditionValue.isFalse(
                    TYPE,
                    Reason.MAAS_VERSION_NOT_SUPPORTED.value(),
                    "the " + installation + " package on " + in.hostname() + " reports version '"
                            + RemoteText.excerpt(printed) + "', which is not a MAAS version the operator knows");
        }
        if (!found.getSupported()) {
            return ConditionValue.isFalse(
                    TYPE,
                    Reason.MAAS_VERSION_NOT_SUPPORTED.value(),
                    "MAAS " + found.getVersion() + " (" + installation + ") on " + in.hostname()
                            + " is not supported: the operator supports MAAS "
                            + String.join(", ", MaasVersions.supportedSeries())
                            + " (docs/reference/maas-versions.md); it changes nothing on this controller");
        }
        MaasBehaviour behaviour = in.behaviour().orElseThrow();
        List<String> defects = behaviour.defectsOf(MaasVersion.of(found.getVersion())).stream()
                .map(MaasBehaviour.Defect::id)
                .toList();
        return ConditionValue.isTrue(
                TYPE,
                Reason.SUPPORTED.value(),
                "MAAS " + found.getVersion() + " (" + installation + ")"
                        + (defects.isEmpty()
                                ? ""
                                : "; known MAAS defects of this version: " + String.join(", ", defects)));
    }

    /**
     * The Event a change of status.maas stands for (pure): the version first seen, or changed (an upgrade). The
     * controller emits it once the status holding that version is written.
     */
    public static List<Notice> transitions(String hostname, DetectedMaas before, DetectedMaas after) {
        String was = before == null ? null : before.getVersion();
        if (after == null || after.getVersion() == null || after.getVersion().equals(was)) {
            return List.of();
        }
        return List.of(Notice.normal(
                EVENT_DETECTED,
                "MAAS " + after.getVersion() + " (" + after.getInstallation() + ") on " + hostname
                        + (was == null ? "" : ", was " + was)));
    }

    private static Duration timeLeft(String checkedAt, Instant now) {
        if (checkedAt == null) {
            return Duration.ZERO;
        }
        try {
            Duration left = Duration.between(now, Instant.parse(checkedAt).plus(RECHECK));
            return left.isNegative() ? Duration.ZERO : left;
        } catch (DateTimeParseException e) {
            return Duration.ZERO;
        }
    }
}
