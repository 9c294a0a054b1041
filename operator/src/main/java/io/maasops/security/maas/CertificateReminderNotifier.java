package io.maasops.security.maas;

import io.maasops.security.tls.CertificateEvaluator.Evaluation;
import io.maasops.security.tls.ExpiryState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Makes MAAS's notifications match a region's certificate state, the way MAAS's own
 * certificate-expiration check does (docs/reference/maas-internals.md §4):
 *
 * <ul>
 *   <li>EXPIRING: the reminder (category info, for admins, dismissable) is created once and then
 *       updated in place (PUT), so an admin who dismissed it does not see it again; the expired
 *       notice is removed.
 *   <li>EXPIRED: the reminder is removed and the expired notice (category warning) is a new
 *       notification, so it shows even to admins who dismissed the reminder.
 *   <li>VALID (renewed), or notifications turned off: both are removed.
 * </ul>
 *
 * {@link #plan} is the pure decision; {@link #sync} reads MAAS, plans and applies.
 */
public final class CertificateReminderNotifier {

    static final String RENEW_LINK =
            "<a href='https://maas.io/docs/how-to-enable-tls-encryption#heading--renew-your-tls-certificate'>"
                    + "renew certificate instructions</a>";

    /** Template; MAAS fills {days} and {region} from the context (HTML-escaped) when displaying it. */
    public static final String REMINDER_MESSAGE =
            "The TLS certificate of MAAS region {region} is due to expire in {days} days."
                    + " You can renew it following the " + RENEW_LINK + ".";

    public static final String EXPIRED_MESSAGE = "The TLS certificate of MAAS region {region} has expired."
            + " You can renew it following the " + RENEW_LINK + ".";

    /** One change to make in MAAS. {@code id} is null for CREATE; {@code request} null for DELETE. */
    public record Action(Type type, String ident, Integer id, NotificationRequest request) {
        public enum Type {
            CREATE,
            UPDATE,
            DELETE
        }
    }

    /**
     * What {@link #sync} did. The ids of the notifications that exist afterwards (null when none) are
     * worth keeping (e.g. in status) and passing back as {@code knownIds}: MAAS hides from a user the
     * notifications that user dismissed, so the list alone cannot find them.
     */
    public record Outcome(Integer reminderId, Integer expiredId, List<Action> applied, List<String> warnings) {}

    private final io.maasops.security.port.MaasApi client;

    public CertificateReminderNotifier(io.maasops.security.port.MaasApi client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /**
     * @param evaluation the region's (worst) certificate evaluation; null means "no notifications"
     *     (notifyMaas off, or no certificate any more)
     * @param knownIds ids from a previous {@link Outcome}, keyed by ident; may be empty
     */
    public Outcome sync(
            CertificateNotificationIdents idents,
            String regionName,
            Evaluation evaluation,
            Map<String, Integer> knownIds)
            throws MaasApiException {
        List<MaasNotification> current = new ArrayList<>(client.listNotifications());
        for (String ident : List.of(idents.reminder(), idents.expired())) {
            Integer known = knownIds == null ? null : knownIds.get(ident);
            if (known != null && find(current, ident).isEmpty()) {
                lookup(known).filter(n -> ident.equals(n.ident())).ifPresent(current::add);
            }
        }
        Map<String, Integer> ids = new HashMap<>();
        for (MaasNotification n : current) {
            if (idents.reminder().equals(n.ident()) || idents.expired().equals(n.ident())) {
                ids.put(n.ident(), n.id());
            }
        }
        List<Action> applied = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (Action a : plan(idents, regionName, evaluation, current)) {
            switch (a.type()) {
                case CREATE -> {
                    try {
                        ids.put(
                                a.ident(),
                                client.createNotification(a.request()).id());
                        applied.add(a);
                    } catch (MaasApiException e) {
                        if (!isDuplicateIdent(e)) {
                            throw e;
                        }
                        // Exists but hidden from this API user: it dismissed the notification itself.
                        warnings.add("notification " + a.ident()
                                + " exists but is dismissed for the operator's MAAS user;" + " it is left as it is");
                    }
                }
                case UPDATE -> {
                    client.updateNotification(a.id(), a.request());
                    applied.add(a);
                }
                case DELETE -> {
                    try {
                        client.deleteNotification(a.id());
                    } catch (MaasApiException e) {
                        if (e.kind() != MaasApiException.Kind.NOT_FOUND) {
                            throw e;
                        }
                    }
                    ids.remove(a.ident());
                    applied.add(a);
                }
            }
        }
        return new Outcome(
                ids.get(idents.reminder()), ids.get(idents.expired()), List.copyOf(applied), List.copyOf(warnings));
    }

    /** The pure decision: which creates, in-place updates and deletes bring MAAS to the wanted state. */
    public static List<Action> plan(
            CertificateNotificationIdents idents,
            String regionName,
            Evaluation evaluation,
            List<MaasNotification> current) {
        Optional<MaasNotification> reminder = find(current, idents.reminder());
        Optional<MaasNotification> expired = find(current, idents.expired());
        List<Action> actions = new ArrayList<>();
        ExpiryState state = evaluation == null ? ExpiryState.VALID : evaluation.state();
        switch (state) {
            case VALID -> {
                reminder.ifPresent(n -> actions.add(delete(n)));
                expired.ifPresent(n -> actions.add(delete(n)));
            }
            case EXPIRING -> {
                expired.ifPresent(n -> actions.add(delete(n)));
                ensure(
                        actions,
                        idents.reminder(),
                        reminder,
                        reminderRequest(idents, regionName, evaluation.daysRemaining()));
            }
            case EXPIRED -> {
                reminder.ifPresent(n -> actions.add(delete(n)));
                ensure(actions, idents.expired(), expired, expiredRequest(idents, regionName));
            }
        }
        return List.copyOf(actions);
    }

    public static NotificationRequest reminderRequest(
            CertificateNotificationIdents idents, String regionName, long days) {
        return NotificationRequest.forAdmins(
                idents.reminder(),
                NotificationRequest.CATEGORY_INFO,
                REMINDER_MESSAGE,
                Map.of("days", days, "region", regionName));
    }

    public static NotificationRequest expiredRequest(CertificateNotificationIdents idents, String regionName) {
        return NotificationRequest.forAdmins(
                idents.expired(), NotificationRequest.CATEGORY_WARNING, EXPIRED_MESSAGE, Map.of("region", regionName));
    }

    private static void ensure(
            List<Action> actions, String ident, Optional<MaasNotification> existing, NotificationRequest wanted) {
        if (existing.isEmpty()) {
            actions.add(new Action(Action.Type.CREATE, ident, null, wanted));
        } else if (!matches(existing.get(), wanted)) {
            actions.add(new Action(Action.Type.UPDATE, ident, existing.get().id(), wanted));
        }
    }

    /** Compares what we send with what MAAS holds; context numbers may come back as any Number. */
    static boolean matches(MaasNotification n, NotificationRequest r) {
        return Objects.equals(n.message(), r.message())
                && Objects.equals(n.category(), r.category())
                && n.admins() == Boolean.TRUE.equals(r.admins())
                && n.users() == Boolean.TRUE.equals(r.users())
                && n.dismissable() == Boolean.TRUE.equals(r.dismissable())
                && normalise(n.context()).equals(normalise(r.context()));
    }

    private static Map<String, String> normalise(Map<String, Object> m) {
        Map<String, String> out = new HashMap<>();
        if (m != null) {
            m.forEach((k, v) -> out.put(k, String.valueOf(v)));
        }
        return out;
    }

    private static Action delete(MaasNotification n) {
        return new Action(Action.Type.DELETE, n.ident(), n.id(), null);
    }

    private static Optional<MaasNotification> find(List<MaasNotification> all, String ident) {
        return all.stream().filter(n -> ident.equals(n.ident())).findFirst();
    }

    private Optional<MaasNotification> lookup(int id) throws MaasApiException {
        try {
            return Optional.of(client.getNotification(id));
        } catch (MaasApiException e) {
            if (e.kind() == MaasApiException.Kind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static boolean isDuplicateIdent(MaasApiException e) {
        return e.kind() == MaasApiException.Kind.BAD_REQUEST
                && e.maasMessage() != null
                && e.maasMessage().contains("\"ident\"")
                && e.maasMessage().contains("already exists");
    }
}
