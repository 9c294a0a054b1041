package io.maasops.security.maas;

import io.maasops.security.port.MaasApi;
import io.maasops.security.util.Digests;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The one MAAS notification for administrators that lists a deployment's failing posture checks
 * (docs/posture.md): created once, then updated in place (PUT keeps the row, and so each admin's dismissal of
 * it), removed when nothing fails. The text is a template: every value the operator did not write itself goes
 * in the context, which MAAS HTML-escapes when it renders the message (docs/reference/maas-internals.md §4).
 */
public final class PostureNotifier {

    public static final String IDENT_PREFIX = "maasops-posture-";

    /** The usual case: checks fail, Vault is fine. */
    public static final String FAILING_MESSAGE = "MAAS deployment {deployment}: {count} security posture check(s)"
            + " fail: {failing}. See status.posture of VaultIntegration {deployment}.";

    /** Vault sealed or unreachable: MAAS itself may not say so (docs/posture.md). */
    public static final String VAULT_MESSAGE = "Vault, which keeps the secrets of MAAS deployment {deployment},"
            + " needs an operator: {vault}. Failing security posture checks: {failing}. See status.posture of"
            + " VaultIntegration {deployment}.";

    private final MaasApi client;

    public PostureNotifier(MaasApi client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /** The ident of a deployment's notification: at most 40 characters, the same for the same name. */
    public static String ident(String deployment) {
        return IDENT_PREFIX + Digests.sha256Hex(deployment).substring(0, 16);
    }

    /**
     * @param failing the failing checks, e.g. {@code Access (UndeclaredAdministrators)}; empty: none
     * @param vaultTrouble what Vault needs, e.g. "it is sealed"; null when Vault is not sealed or unreachable
     * @return the wanted notification, or null when nothing fails
     */
    public static NotificationRequest request(String deployment, List<String> failing, String vaultTrouble) {
        if (failing.isEmpty()) {
            return null;
        }
        String list = String.join(", ", failing);
        if (vaultTrouble != null) {
            return NotificationRequest.forAdmins(
                    ident(deployment),
                    NotificationRequest.CATEGORY_ERROR,
                    VAULT_MESSAGE,
                    Map.of("deployment", deployment, "vault", vaultTrouble, "failing", list));
        }
        return NotificationRequest.forAdmins(
                ident(deployment),
                NotificationRequest.CATEGORY_WARNING,
                FAILING_MESSAGE,
                Map.of("deployment", deployment, "count", failing.size(), "failing", list));
    }

    /**
     * Brings MAAS to {@code wanted} (null: no notification) and returns the id of the notification that exists
     * afterwards, or null. {@code knownId}: the id from a previous call (a notification the operator's own user
     * dismissed is missing from its listing).
     */
    public Integer sync(String ident, NotificationRequest wanted, Integer knownId) throws MaasApiException {
        Optional<MaasNotification> existing = client.listNotifications().stream()
                .filter(n -> ident.equals(n.ident()))
                .findFirst();
        if (existing.isEmpty() && knownId != null) {
            existing = lookup(knownId).filter(n -> ident.equals(n.ident()));
        }
        if (wanted == null) {
            if (existing.isPresent()) {
                delete(existing.get().id());
            }
            return null;
        }
        if (existing.isEmpty()) {
            return client.createNotification(wanted).id();
        }
        if (!CertificateReminderNotifier.matches(existing.get(), wanted)) {
            client.updateNotification(existing.get().id(), wanted);
        }
        return existing.get().id();
    }

    private void delete(int id) throws MaasApiException {
        try {
            client.deleteNotification(id);
        } catch (MaasApiException e) {
            if (e.kind() != MaasApiException.Kind.NOT_FOUND) {
                throw e;
            }
        }
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
}
