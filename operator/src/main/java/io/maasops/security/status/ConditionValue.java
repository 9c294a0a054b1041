package io.maasops.security.status;

/** The part of a condition a reconciler decides: type, status, reason and a message a user can act on. */
public record ConditionValue(String type, String status, String reason, String message) {

    public static ConditionValue isTrue(String type, String reason, String message) {
        return new ConditionValue(type, Conditions.TRUE, reason, message);
    }

    public static ConditionValue isFalse(String type, String reason, String message) {
        return new ConditionValue(type, Conditions.FALSE, reason, message);
    }

    public static ConditionValue unknown(String type, String reason, String message) {
        return new ConditionValue(type, Conditions.UNKNOWN, reason, message);
    }

    public boolean ok() {
        return Conditions.TRUE.equals(status);
    }
}
