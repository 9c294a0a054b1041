package io.maasops.security.testing.vault;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The merged ACL of a token's policies and Vault's matching algorithm (vault-api.md §5.2):
 * exact rule wins; otherwise the highest-priority matching glob; deny merges per identical pattern.
 */
final class Acl {
    private final boolean root;
    private final Map<String, Set<String>> merged = new HashMap<>();

    Acl(Collection<HclPolicy> policies, boolean root) {
        this.root = root;
        for (HclPolicy p : policies) {
            p.rules().forEach((pattern, caps) -> merged.computeIfAbsent(pattern, k -> new LinkedHashSet<>()).addAll(caps));
        }
        merged.replaceAll((k, caps) -> caps.contains("deny") ? Set.of("deny") : caps);
    }

    /** @param path request path without /v1/ (LIST paths end in '/') */
    boolean allows(String path, String capability, boolean needsSudo) {
        if (root) {
            return true;
        }
        Set<String> caps = capabilities(path, capability.equals("list"));
        if (caps == null || caps.contains("deny")) {
            return false;
        }
        return caps.contains(capability) && (!needsSudo || caps.contains("sudo"));
    }

    Set<String> capabilities(String path, boolean list) {
        Set<String> exact = merged.get(path);
        if (exact != null && !isGlob(path)) {
            return exact;
        }
        if (list && path.endsWith("/")) {
            Set<String> trimmed = merged.get(path.substring(0, path.length() - 1));
            if (trimmed != null) {
                return trimmed;
            }
        }
        List<String> candidates = new ArrayList<>();
        for (String pattern : merged.keySet()) {
            if (isGlob(pattern) && matches(pattern, path)) {
                candidates.add(pattern);
            }
        }
        return candidates.stream().max(PRIORITY).map(merged::get).orElse(null);
    }

    static boolean isGlob(String pattern) {
        return pattern.endsWith("*") || pattern.equals("+") || pattern.startsWith("+/")
                || pattern.contains("/+/") || pattern.endsWith("/+");
    }

    static boolean matches(String pattern, String path) {
        return toRegex(pattern).matcher(path).matches();
    }

    private static Pattern toRegex(String pattern) {
        boolean prefix = pattern.endsWith("*");
        String body = prefix ? pattern.substring(0, pattern.length() - 1) : pattern;
        String[] segs = body.split("/", -1);
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < segs.length; i++) {
            if (i > 0) {
                re.append('/');
            }
            if (segs[i].equals("+")) {
                re.append("[^/]*");
            } else if (!segs[i].isEmpty()) {
                re.append(Pattern.quote(segs[i]));
            }
        }
        if (prefix) {
            re.append(".*");
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }

    private static int firstWildcard(String p) {
        int plus = -1;
        String[] segs = p.split("/", -1);
        int offset = 0;
        for (String s : segs) {
            if (s.equals("+")) {
                plus = offset;
                break;
            }
            offset += s.length() + 1;
        }
        int star = p.endsWith("*") ? p.length() - 1 : -1;
        if (plus < 0) {
            return star < 0 ? Integer.MAX_VALUE : star;
        }
        return star < 0 ? plus : Math.min(plus, star);
    }

    private static int plusCount(String p) {
        int n = 0;
        for (String s : p.split("/", -1)) {
            if (s.equals("+")) {
                n++;
            }
        }
        return n;
    }

    /** Vault's documented priority: larger = higher priority. */
    static final Comparator<String> PRIORITY = Comparator
            .comparingInt(Acl::firstWildcard)
            .thenComparing(p -> !p.endsWith("*"))
            .thenComparing(Comparator.comparingInt(Acl::plusCount).reversed())
            .thenComparingInt(String::length)
            .thenComparing(Comparator.naturalOrder());
}
