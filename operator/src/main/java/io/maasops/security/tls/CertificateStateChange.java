package io.maasops.security.tls;

import io.maasops.security.tls.CertificateEvaluator.Evaluation;
import java.util.Optional;

/**
 * Decides the Kubernetes Event for a certificate check: one per state change, none while the state
 * stays the same (a check every 12 h must not repeat the warning).
 *
 * @param type "Warning" or "Normal"
 */
public record CertificateStateChange(String type, String reason, String message) {

    public static final String REASON_EXPIRING = "CertificateExpiring";
    public static final String REASON_EXPIRED = "CertificateExpired";
    public static final String REASON_VALID = "CertificateValid";

    /**
     * @param previous the state recorded at the last check, or null on the first check
     * @param source "secret" or "endpoint", named in the message
     */
    public static Optional<CertificateStateChange> between(ExpiryState previous, Evaluation current, String source) {
        if (current.state() == previous) {
            return Optional.empty();
        }
        String prefix = source == null ? "" : source + ": ";
        return switch (current.state()) {
            case EXPIRING ->
                Optional.of(new CertificateStateChange("Warning", REASON_EXPIRING, prefix + current.message()));
            case EXPIRED ->
                Optional.of(new CertificateStateChange("Warning", REASON_EXPIRED, prefix + current.message()));
            // A first check that finds a valid certificate is not news; a renewal is.
            case VALID ->
                previous == null
                        ? Optional.empty()
                        : Optional.of(new CertificateStateChange("Normal", REASON_VALID, prefix + current.message()));
        };
    }
}
