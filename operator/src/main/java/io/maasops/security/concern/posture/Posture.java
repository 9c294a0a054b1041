package io.maasops.security.concern.posture;

import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.PostureCheckStatus;
import io.maasops.security.api.v1alpha1.PostureResult;
import io.maasops.security.api.v1alpha1.RoleBinding;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.api.v1alpha1.VaultIntegrationStatus;
import io.maasops.security.concern.Notice;
import io.maasops.security.status.ConditionType;
import io.maasops.security.status.ConditionValue;
import io.maasops.security.status.Reason;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The deployment's security posture (docs/posture.md), as a pure function of what the operator
 * already recorded: the integration's status and conditions, its regions' status and its
 * RoleBindings' Synced condition. It asks nothing of Vault, MAAS or the regions; each check reads
 * the verdict the concern that measures it wrote, so the posture never disagrees with the conditions.
 */
public final class Posture {

    public static final String SECURITY_POSTURE = ConditionType.SECURITY_POSTURE.value();

    /** What one evaluation gives: status.posture, status.postureSummary, the condition, the Events. */
    public record Evaluation(
            List<PostureCheckStatus> checks, String summary, ConditionValue condition, List<Notice> notices) {}

    private Posture() {}

    /**
     * @param vi the integration (its spec: the Vault addresses)
     * @param status its status, holding this reconcile's conditions and the previous posture
     * @param regions the regions of the deployment (tenancy-allowed); deleting ones are ignored
     * @param bindings the RoleBindings on those regions
     */
    public static Evaluation evaluate(
            VaultIntegration vi,
            VaultIntegrationStatus status,
            Collection<MaasRegion> regions,
            Collection<RoleBinding> bindings,
            Instant now) {
        List<MaasRegion> live = regions.stream()
                .filter(r -> r.getMetadata().getDeletionTimestamp() == null)
                .sorted(Comparator.comparing(Posture::name))
                .toList();
        Map<String, PostureCheckStatus> previous = status.getPosture() == null
                ? Map.of()
                : status.getPosture().stream()
                        .filter(p -> p.getCheck() != null)
                        .collect(Collectors.toMap(PostureCheckStatus::getCheck, Function.identity(), (a, b) -> a));
        String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
        List<PostureCheckStatus> checks = new ArrayList<>();
        for (PostureCheck check : PostureCheck.values()) {
            Verdict v = switch (check) {
                case SECRETS_IN_VAULT -> PostureChecks.secretsInVault(status);
                case REGIONS_CONFIGURED -> PostureChecks.regionsConfigured(status, live);
                case SECRET_IDS_RECORDED -> PostureChecks.secretIdsRecorded(live);
                case CONFIG_FILES ->
                    PostureChecks.perRegion(
                            live,
                            ConditionType.CONFIG_FILES_SECURE,
                            "NoRegions",
                            "no MaasRegion refers to the integration: no configuration file is checked",
                            "every region's configuration files and shared secret meet the policy of its MAAS version and installation",
                            "; see the region's status.configFiles (set spec.configFiles.enforce to let the operator fix them)");
                case CERTIFICATE ->
                    MaasPostureChecks.certificate(
                            PostureChecks.perRegion(
                                    live,
                                    ConditionType.CERTIFICATE_VALID,
                                    "NoCertificateWatched",
                                    "no MaasRegion sets spec.tls: the operator watches no MAAS certificate (set spec.tls on a region to have it checked)",
                                    "every watched MAAS certificate is valid and outside its reminder window",
                                    "; renew the certificate (`maas config-tls enable`) and update the Secret"),
                            vi,
                            status.getPostureMaas());
                case VAULT -> PostureChecks.vault(vi, status);
                case ACCESS ->
                    MaasPostureChecks.access(PostureChecks.access(bindings), vi, status.getPostureMaas(), bindings);
            };
            PostureCheckStatus before = previous.get(check.value());
            boolean changed = before == null || before.getResult() != v.result();
            checks.add(new PostureCheckStatus(
                    check.value(),
                    v.result(),
                    v.reason(),
                    v.message(),
                    changed || before.getLastTransitionTime() == null ? time : before.getLastTransitionTime(),
                    check.recommendation()));
        }
        return new Evaluation(checks, summary(checks), condition(checks), transitions(status.getPosture(), checks));
    }

    /**
     * The Events of a change of status.posture, from the checks before and after (pure; the controller emits
     * them once the status is written): a first evaluation tells only what fails; later, every change of result.
     */
    public static List<Notice> transitions(List<PostureCheckStatus> before, List<PostureCheckStatus> after) {
        Map<String, PostureCheckStatus> previous = before == null
                ? Map.of()
                : before.stream()
                        .filter(p -> p.getCheck() != null)
                        .collect(Collectors.toMap(PostureCheckStatus::getCheck, Function.identity(), (a, b) -> a));
        List<Notice> notices = new ArrayList<>();
        for (PostureCheckStatus now : after == null ? List.<PostureCheckStatus>of() : after) {
            PostureCheckStatus was = previous.get(now.getCheck());
            boolean changed = was == null || was.getResult() != now.getResult();
            if (changed && (was != null || now.getResult() == PostureResult.Fail)) {
                notices.add(notice(now.getCheck(), now.getResult(), now.getMessage()));
            }
        }
        return notices;
    }

    /** "passing/applicable", e.g. 6/7 (the printer column). */
    static String summary(List<PostureCheckStatus> checks) {
        long applicable = checks.stream()
                .filter(c -> c.getResult() != PostureResult.NotApplicable)
                .count();
        long passing =
                checks.stream().filter(c -> c.getResult() == PostureResult.Pass).count();
        return passing + "/" + applicable;
    }

    private static ConditionValue condition(List<PostureCheckStatus> checks) {
        List<String> failing = checks.stream()
                .filter(c -> c.getResult() == PostureResult.Fail)
                .map(c -> c.getCheck() + " (" + c.getReason() + ")")
                .toList();
        if (failing.isEmpty()) {
            return ConditionValue.isTrue(
                    SECURITY_POSTURE,
                    Reason.ALL_CHECKS_PASS.value(),
                    "every applicable posture check passes (" + summary(checks) + "); see status.posture");
        }
        return ConditionValue.isFalse(
                SECURITY_POSTURE,
                Reason.CHECKS_FAILING.value(),
                "failing: " + String.join(", ", failing) + "; see status.posture");
    }

    private static Notice notice(String check, PostureResult result, String message) {
        return switch (result) {
            case Fail -> Notice.warning("PostureCheckFailed", check + " fails: " + message);
            case Pass -> Notice.normal("PostureCheckPassed", check + " passes: " + message);
            case NotApplicable -> Notice.normal("PostureCheckNotApplicable", check + " does not apply: " + message);
        };
    }

    static String name(io.fabric8.kubernetes.api.model.HasMetadata r) {
        return r.getMetadata().getNamespace() + "/" + r.getMetadata().getName();
    }
}
