package io.maasops.security.concern.posture;

import io.maasops.security.api.v1alpha1.PostureCheckStatus;
import io.maasops.security.api.v1alpha1.PostureMaasStatus;
import io.maasops.security.api.v1alpha1.PostureResult;
import io.maasops.security.api.v1alpha1.PostureSettings;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.api.v1alpha1.VaultIntegrationStatus;
import io.maasops.security.concern.Notice;
import io.maasops.security.contract.ErrorMessages;
import io.maasops.security.maas.MaasApiException;
import io.maasops.security.maas.MaasUser;
import io.maasops.security.maas.NotificationRequest;
import io.maasops.security.maas.PostureNotifier;
import io.maasops.security.port.PortFactory;
import io.maasops.security.status.Reason;
import io.maasops.security.util.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the posture asks the deployment's own MAAS API (spec.posture.maasApi, the cluster admin's key): its users
 * and its expiry-reminder setting, every spec.posture.checkInterval into status.postureMaas; and the opt-in
 * notification for administrators listing the failing checks (docs/posture.md). Nothing of a MaasRegion or
 * RoleBinding reaches this key.
 */
public final class MaasPosture {

    /** MAAS's own users (maasserver/models/user.py SYSTEM_USERS): the rack workers' superuser and the node-init user. */
    static final Set<String> MAAS_INTERNAL_USERS = Set.of("MAAS", "maas-init-node");

    static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(10);

    private final PortFactory ports;

    public MaasPosture(PortFactory ports) {
        this.ports = ports;
    }

    /** One reconcile's use of the deployment's MAAS API (looked up at most once). */
    /**
     * On deletion, the deployment's notification goes with it. Best effort: MAAS being down must not keep the
     * finalizer, and a notification left behind only names checks. Returns what happened, for the Deleted event.
     */
    public Optional<String> removeNotification(VaultIntegration vi) {
        PostureMaasStatus m = vi.getStatus() == null ? null : vi.getStatus().getPostureMaas();
        if (m == null || m.getNotificationId() == null) {
            return Optional.empty();
        }
        String left = "its MAAS notification " + m.getNotificationId() + " was left in MAAS: ";
        PortFactory.MaasApiLookup api = ports.deploymentMaasApi(vi);
        if (!api.found()) {
            return Optional.of(left + api.message());
        }
        try {
            new PostureNotifier(api.api())
                    .sync(PostureNotifier.ident(vi.getMetadata().getName()), null, m.getNotificationId());
            return Optional.of("its MAAS notification for administrators was removed");
        } catch (MaasApiException e) {
            return Optional.of(left + e.getMessage());
        }
    }

    public Round round(VaultIntegration vi, VaultIntegrationStatus status, Instant now) {
        return new Round(vi, status, now);
    }

    public final class Round {
        private final VaultIntegration vi;
        private final VaultIntegrationStatus status;
        private final Instant now;
        private PortFactory.MaasApiLookup lookup;
        private boolean due;

        private Round(VaultIntegration vi, VaultIntegrationStatus status, Instant now) {
            this.vi = vi;
            this.status = status;
            this.now = now;
        }

        /**
         * Asks MAAS again when due (or {@code asked}: the spec changed, or a check was requested); returns when
         * to come back, empty when spec.posture.maasApi is not set.
         */
        public Optional<Duration> measure(boolean asked) {
            PostureSettings settings = vi.getSpec().getPosture();
            if (settings == null || settings.getMaasApi() == null) {
                status.setPostureMaas(null);
                return Optional.empty();
            }
            Duration interval = interval(settings);
            PostureMaasStatus m = status.getPostureMaas() == null ? new PostureMaasStatus() : status.getPostureMaas();
            Instant last = m.getCheckedAt() == null ? null : Instant.parse(m.getCheckedAt());
            due = asked || last == null || !now.isBefore(last.plus(interval));
            if (due) {
                status.setPostureMaas(read(m));
                last = now;
            }
            Duration left = Duration.between(now, last.plus(interval));
            return Optional.of(left.isNegative() || left.isZero() ? Duration.ofSeconds(1) : left);
        }

        private PostureMaasStatus read(PostureMaasStatus previous) {
            PostureMaasStatus m = new PostureMaasStatus();
            m.setCheckedAt(now.truncatedTo(ChronoUnit.SECONDS).toString());
            m.setNotificationId(previous.getNotificationId());
            m.setNotified(previous.getNotified());
            PortFactory.MaasApiLookup api = api();
            if (!api.found()) {
                m.setReason(api.reason());
                m.setMessage(api.message());
                return m;
            }
            try {
                MaasUser me = api.api().whoami();
                m.setApiUser(me == null ? null : me.username());
                m.setAdministrators(api.api().listUsers().stream()
                        .filter(MaasUser::superuser)
                        .map(MaasUser::username)
                        .filter(u -> !MAAS_INTERNAL_USERS.contains(u))
                        .sorted()
                        .toList());
                m.setCertificateReminders(
                        api.api().getConfig(MaasPostureChecks.REMINDER_SETTING).asBoolean(false));
                m.setCertificateReminderDays(api.api()
                        .getConfig("tls_cert_expiration_notification_interval")
                        .asInt());
            } catch (MaasApiException e) {
                m.setApiUser(null);
                m.setAdministrators(null);
                m.setCertificateReminders(null);
                m.setReason(reason(e));
                m.setMessage(ErrorMessages.describe(e));
            }
            return m;
        }

        /**
         * Brings the notification for administrators in line with {@code checks} (opt-in): when MAAS was just
         * asked, or the failing checks changed; removes it when notifications are turned off.
         */
        public List<Notice> notifyAdministrators(List<PostureCheckStatus> checks) {
            PostureMaasStatus m = status.getPostureMaas();
            if (m == null) {
                return List.of();
            }
            boolean wanted = Boolean.TRUE.equals(vi.getSpec().getPosture().getNotifyAdministrators());
            String name = vi.getMetadata().getName();
            List<String> failing = checks.stream()
                    .filter(c -> c.getResult() == PostureResult.Fail)
                    .map(c -> c.getCheck() + " (" + c.getReason() + ")")
                    .toList();
            NotificationRequest request = wanted ? PostureNotifier.request(name, failing, vaultTrouble(checks)) : null;
            String notified = request == null ? null : request.category() + ": " + String.join(", ", failing);
            boolean changed =
                    !Objects.equals(notified, m.getNotified()) || (request == null) != (m.getNotificationId() == null);
            if (!(changed || (due && request != null))) {
                return List.of();
            }
            PortFactory.MaasApiLookup api = api();
            if (!api.found()) {
                return List.of();
            }
            try {
                m.setNotificationId(new PostureNotifier(api.api())
                        .sync(PostureNotifier.ident(name), request, m.getNotificationId()));
                m.setNotified(notified);
                return List.of();
            } catch (MaasApiException e) {
                return List.of(Notice.warning(
                        "PostureNotificationFailed",
                        "the MAAS notification for administrators was not updated: " + ErrorMessages.describe(e)));
            }
        }

        private PortFactory.MaasApiLookup api() {
            if (lookup == null) {
                lookup = ports.deploymentMaasApi(vi);
            }
            return lookup;
        }
    }

    /** What Vault needs, worded for the notification; null unless the Vault check fails on Vault itself. */
    static String vaultTrouble(List<PostureCheckStatus> checks) {
        return checks.stream()
                .filter(c -> PostureCheck.VAULT.value().equals(c.getCheck()) && c.getResult() == PostureResult.Fail)
                .filter(c -> !Reason.PLAIN_HTTP_ALLOWED.value().equals(c.getReason()))
                .findFirst()
                .map(c -> Reason.SEALED.value().equals(c.getReason())
                        ? "it is sealed, so MAAS cannot read its secrets; unseal it (`vault operator unseal`)"
                        : "the operator cannot use it (" + c.getReason() + "), and MAAS may not either; restore"
                                + " Vault or its network path")
                .orElse(null);
    }

    static Duration interval(PostureSettings settings) {
        try {
            Duration d = Durations.parse(settings.getCheckInterval());
            return d.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : d;
        } catch (RuntimeException e) {
            return DEFAULT_INTERVAL;
        }
    }

    static String reason(MaasApiException e) {
        return switch (e.kind()) {
            case UNAUTHORIZED -> "MaasApiUnauthorized";
            case FORBIDDEN -> "MaasApiForbidden";
            case UNREACHABLE -> "MaasApiUnreachable";
            case TLS -> "MaasApiTlsFailed";
            default -> "MaasApiError";
        };
    }
}
