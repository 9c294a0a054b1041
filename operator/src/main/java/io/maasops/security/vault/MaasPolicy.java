package io.maasops.security.vault;

import java.util.regex.Pattern;

/**
 * MAAS's documented minimal Vault policy (docs/reference/maas-internals.md §1.5, "Manage Vault"): list on
 * {@code <mount>/metadata/<path>/}, read/update/delete/list on {@code <mount>/metadata/<path>/*},
 * read/create/update/delete on {@code <mount>/data/<path>/*}. Rendered only from values that cannot widen it.
 */
public final class MaasPolicy {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._/-]+");

    private MaasPolicy() {}

    /** @throws IllegalArgumentException when mount or path could widen the policy or break the HCL */
    public static String render(String mount, String path) {
        validate("mount", mount);
        validate("path", path);
        String meta = mount + "/metadata/" + path;
        String data = mount + "/data/" + path;
        return "path \"" + meta + "/\" {\n  capabilities = [\"list\"]\n}\n\n"
                + "path \"" + meta + "/*\" {\n  capabilities = [\"read\", \"update\", \"delete\", \"list\"]\n}\n\n"
                + "path \"" + data + "/*\" {\n  capabilities = [\"read\", \"create\", \"update\", \"delete\"]\n}\n";
    }

    /**
     * Whether a policy text read from Vault holds exactly the rules of {@code wanted}: compared without
     * whitespace and comments, so an admin's re-indented copy still matches, while any other path,
     * capability or parameter does not.
     */
    public static boolean sameRules(String current, String wanted) {
        return normalise(current).equals(normalise(wanted));
    }

    private static String normalise(String hcl) {
        StringBuilder out = new StringBuilder();
        for (String line : hcl.split("\n")) {
            String l = line.strip();
            if (l.startsWith("#") || l.startsWith("//")) {
                continue;
            }
            for (char c : l.toCharArray()) {
                if (!Character.isWhitespace(c)) {
                    out.append(c);
                }
            }
        }
        return out.toString();
    }

    /** The same check the CRD schema applies: segments of [A-Za-z0-9._-], no globs, no "." or "..", no empty segment. */
    public static void validate(String what, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        if (!SAFE.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    what + " may only contain letters, digits, '.', '_', '-' and '/': \"" + printable(value) + "\"");
        }
        for (String segment : value.split("/", -1)) {
            if (segment.isEmpty()) {
                throw new IllegalArgumentException(
                        what + " has an empty segment (leading, trailing or double '/'): \"" + value + "\"");
            }
            if (segment.equals("..") || segment.equals(".")) {
                throw new IllegalArgumentException(what + " must not contain '.' or '..' segments: \"" + value + "\"");
            }
        }
    }

    private static String printable(String v) {
        StringBuilder b = new StringBuilder();
        for (char c : v.toCharArray()) {
            b.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : c);
        }
        return b.toString();
    }
}
