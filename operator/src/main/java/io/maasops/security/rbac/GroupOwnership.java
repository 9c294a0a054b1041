package io.maasops.security.rbac;

import java.util.Optional;

/**
 * Who manages a MAAS group, read from its description. The operator writes
 * {@code "Managed by maas-security-operator: RoleBinding <ns>/<name> (do not edit)"} when it
 * creates a group and only ever changes or deletes groups carrying that mark for the same binding.
 * A group without the mark (MAAS's own Administrators and Users, hand-made groups) is never adopted:
 * adopting it would remove its members. To hand such a group over, write the mark into its
 * description by hand.
 */
public final class GroupOwnership {

    public static final String PREFIX = "Managed by maas-security-operator: RoleBinding ";
    private static final String SUFFIX = " (do not edit)";

    private GroupOwnership() {}

    public enum Kind {
        THIS_BINDING,
        OTHER_BINDING,
        NOT_MANAGED
    }

    /** {@code owner} is "namespace/name" of the managing binding, or null when not managed. */
    public record Verdict(Kind kind, String owner) {}

    public static String description(String namespace, String name) {
        return PREFIX + namespace + "/" + name + SUFFIX;
    }

    /** "namespace/name" of the binding the description names, if it carries the mark. */
    public static Optional<String> owner(String description) {
        if (description == null || !description.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String rest = description.substring(PREFIX.length());
        int end = rest.indexOf(' ');
        String owner = end < 0 ? rest : rest.substring(0, end);
        return owner.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?/[a-z0-9]([-.a-z0-9]*[a-z0-9])?")
                ? Optional.of(owner)
                : Optional.empty();
    }

    public static Verdict judge(String description, String namespace, String name) {
        return owner(description)
                .map(o -> o.equals(namespace + "/" + name)
                        ? new Verdict(Kind.THIS_BINDING, o)
                        : new Verdict(Kind.OTHER_BINDING, o))
                .orElse(new Verdict(Kind.NOT_MANAGED, null));
    }
}
