package io.maasops.security.concern;

/** An Event a concern's transition asks for; the controller records it on the resource. */
public record Notice(boolean warning, String reason, String message) {

    public static Notice normal(String reason, String message) {
        return new Notice(false, reason, message);
    }

    public static Notice warning(String reason, String message) {
        return new Notice(true, reason, message);
    }
}
