package io.maasops.security.testing.vault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The merged ACL of a token's policies and Vault's matching algorithm (docs/reference/vault-api.md §5.2): exact rule wins;
 * otherwise the highest-priority matching glob. Identical patterns merge (docs/reference/vault-acl-parameters.md §4, OpenBao
 * acl.go NewACL); the chosen rule is then checked in OpenBao's order (acl.go AllowOperation, docs/reference/vault-acl-parameters.md §5): capability,
 * wrapping-TTL bounds, then for read/create/update/patch the parameter constraints.
 */
final class Acl {
    /** The operations whose request data is checked (OpenBao acl.go: read, update, create, patch). */
    private static final Set<String> PARAMETER_CHECKED = Set.of("read", "create", "update", "patch");

    /** One merged pattern: OpenBao ACLPermissions. Maps are null when no block set them (Go nil). */
    static final class Permissions {
        Set<String> capabilities = new LinkedHashSet<>();
        Map<String, List<Object>> allowed;
        Map<String, List<Object>> denied;
        List<String> required = new ArrayList<>();
        Duration minWrappingTtl = Duration.ZERO;
        Duration maxWrappingTtl = Duration.ZERO;
    }

    private final boolean root;
    private final ParameterMatching matching;
    private final Map<String, Permissions> merged = new HashMap<>();

    Acl(Collection<HclPolicy> policies, boolean root) {
        this(policies, root, ParameterMatching.WHOLE_VALUE);
    }

    Acl(Collection<HclPolicy> policies, boolean root, ParameterMatching matching) {
        this.root = root;
        this.matching = matching;
        for (HclPolicy p : policies) {
            for (HclPolicy.PathRule r : p.paths()) {
                merge(r);
            }
        }
    }

    /** OpenBao acl.go NewACL, for one path block. */
    private void merge(HclPolicy.PathRule r) {
        Permissions e = merged.get(r.pattern());
        if (e == null) {
            Permissions n = new Permissions();
            n.capabilities.addAll(r.capabilities());
            n.allowed = copy(r.allowed());
            n.denied = copy(r.denied());
            n.required.addAll(r.required());
            n.minWrappingTtl = r.minWrappingTtl();
            n.maxWrappingTtl = r.maxWrappingTtl();
            merged.put(r.pattern(), n);
            return;
        }
        if (e.capabilities.contains("deny")) {
            return;
        }
        if (r.capabilities().contains("deny")) {
            e.capabilities = new LinkedHashSet<>(Set.of("deny"));
            e.allowed = null;
            e.denied = null;
            return;
        }
        e.capabilities.addAll(r.capabilities());
        // the lesser of two non-zero values, for the max and for the min
        if (positive(r.maxWrappingTtl())
                && (e.maxWrappingTtl.isZero() || r.maxWrappingTtl().compareTo(e.maxWrappingTtl) < 0)) {
            e.maxWrappingTtl = r.maxWrappingTtl();
        }
        if (positive(r.minWrappingTtl())
                && (e.minWrappingTtl.isZero() || r.minWrappingTtl().compareTo(e.minWrappingTtl) < 0)) {
            e.minWrappingTtl = r.minWrappingTtl();
        }
        e.allowed = mergeParameters(e.allowed, r.allowed());
        e.denied = mergeParameters(e.denied, r.denied());
        for (String p : r.required()) {
            if (!e.required.contains(p)) {
                e.required.add(p);
            }
        }
    }

    /**
     * A block without entries leaves the existing map as it is (a whitelist survives); an empty list on either side
     * makes the merged list empty (any value); otherwise the value lists are concatenated.
     */
    private static Map<String, List<Object>> mergeParameters(
            Map<String, List<Object>> existing, Map<String, List<Object>> incoming) {
        if (incoming == null || incoming.isEmpty()) {
            return existing;
        }
        if (existing == null) {
            return copy(incoming);
        }
        incoming.forEach((key, values) -> {
            List<Object> old = existing.get(key);
            if (values.isEmpty() || (old != null && old.isEmpty())) {
                existing.put(key, new ArrayList<>());
            } else {
                List<Object> both = new ArrayList<>(values);
                if (old != null) {
                    both.addAll(old);
                }
                existing.put(key, both);
            }
        });
        return existing;
    }

    private static boolean positive(Duration d) {
        return !d.isZero() && !d.isNegative();
    }

    private static Map<String, List<Object>> copy(Map<String, List<Object>> m) {
        if (m == null) {
            return null;
        }
        Map<String, List<Object>> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, new ArrayList<>(v)));
        return out;
    }

    /** Capability (and sudo) only, for a request without data and without X-Vault-Wrap-TTL. */
    boolean allows(String path, String capability, boolean needsSudo) {
        return allows(path, capability, needsSudo, Map.of(), null);
    }

    /**
     * @param path     request path without /v1/ (LIST paths end in '/')
     * @param data     Vault's req.Data (see {@link RequestData}); never null
     * @param wrapTtl  the X-Vault-Wrap-TTL of the request, null without the header (req.WrapInfo == nil)
     */
    boolean allows(String path, String capability, boolean needsSudo, Map<String, Object> data, Duration wrapTtl) {
        if (root) {
            return true;
        }
        Permissions p = permissions(path, capability.equals("list"));
        if (p == null || p.capabilities.contains("deny") || !p.capabilities.contains(capability)) {
            return false;
        }
        if (needsSudo && !p.capabilities.contains("sudo")) {
            return false;
        }
        if (positive(p.maxWrappingTtl) && (wrapTtl == null || wrapTtl.compareTo(p.maxWrappingTtl) > 0)) {
            return false;
        }
        if (positive(p.minWrappingTtl) && (wrapTtl == null || wrapTtl.compareTo(p.minWrappingTtl) < 0)) {
            return false;
        }
        if (!p.minWrappingTtl.isZero()
                && !p.maxWrappingTtl.isZero()
                && p.maxWrappingTtl.compareTo(p.minWrappingTtl) < 0) {
            return false; // possible after a merge, refused at parse time within one block
        }
        return !PARAMETER_CHECKED.contains(capability) || parametersAllowed(p, data);
    }

    /** OpenBao acl.go AllowOperation, parameter block: required, empty data, denied, allowed. */
    private boolean parametersAllowed(Permissions p, Map<String, Object> data) {
        for (String r : p.required) {
            if (!data.containsKey(r.toLowerCase(Locale.ROOT))) {
                return false;
            }
        }
        if (data.isEmpty()) {
            return true;
        }
        if (p.denied != null && !p.denied.isEmpty()) {
            if (p.denied.containsKey("*")) {
                return false; // the value list of "*" is never consulted
            }
            for (Map.Entry<String, Object> e : data.entrySet()) {
                List<Object> values = p.denied.get(e.getKey().toLowerCase(Locale.ROOT));
                if (values != null && ParameterValues.denied(e.getValue(), values, matching)) {
                    return false;
                }
            }
        }
        if (p.allowed == null || p.allowed.isEmpty()) {
            return true;
        }
        boolean allowedAll = p.allowed.containsKey("*");
        if (allowedAll && p.allowed.size() == 1) {
            return true;
        }
        for (Map.Entry<String, Object> e : data.entrySet()) {
            List<Object> values = p.allowed.get(e.getKey().toLowerCase(Locale.ROOT));
            if (values == null && !allowedAll) {
                return false;
            }
            if (values != null && !ParameterValues.allowed(e.getValue(), values, matching)) {
                return false;
            }
        }
        return true;
    }

    private Permissions permissions(String path, boolean list) {
        Permissions exact = merged.get(path);
        if (exact != null && !isGlob(path)) {
            return exact;
        }
        if (list && path.endsWith("/")) {
            Permissions trimmed = merged.get(path.substring(0, path.length() - 1));
            if (trimmed != null) {
                return trimmed;
            }
        }
        Permissions glob = nonExact(path);
        if (glob == null && list && path.endsWith("/")) {
            // OpenBao acl.go: a LIST with no glob rule for "x/" tries the glob rules for "x" (e.g. "role/+/secret-id")
            glob = nonExact(path.substring(0, path.length() - 1));
        }
        return glob;
    }

    private Permissions nonExact(String path) {
        List<String> candidates = new ArrayList<>();
        for (String pattern : merged.keySet()) {
            if (isGlob(pattern) && matches(pattern, path)) {
                candidates.add(pattern);
            }
        }
        return candidates.stream().max(PRIORITY).map(merged::get).orElse(null);
    }

    static boolean isGlob(String pattern) {
        return pattern.endsWith("*")
                || pattern.equals("+")
                || pattern.startsWith("+/")
                || pattern.contains("/+/")
                || pattern.endsWith("/+");
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
    static final Comparator<String> PRIORITY = Comparator.comparingInt(Acl::firstWildcard)
            .thenComparing(p -> !p.endsWith("*"))
            .thenComparing(Comparator.comparingInt(Acl::plusCount).reversed())
            .thenComparingInt(String::length)
            .thenComparing(Comparator.naturalOrder());
}
