package io.maasops.security.testing.vault;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses the subset of Vault's HCL policy language the double needs (docs/reference/vault-api.md §5.2;
 * docs/reference/vault-acl-parameters.md §3): {@code path "<pattern>" { .. }} blocks with {@code capabilities}, the legacy
 * {@code policy = "read"} form, {@code allowed_parameters}, {@code denied_parameters}, {@code required_parameters},
 * {@code min_wrapping_ttl}, {@code max_wrapping_ttl}; comments and a base64-encoded body. Path-block keys that
 * OpenBao's parser does not know are refused, as Vault refuses them (policy.go parsePaths, CheckHCLKeys).
 *
 * <p>Parameter values keep HCL v1's Go types (decoder.go decodeInterface): string → String, integer → Long (Go
 * int), float → Double, bool → Boolean, list → List, object inside a list → Map, object inside an object →
 * {@link ParameterValues.HclObjectList}.
 */
public final class HclPolicy {
    static final Set<String> CAPABILITIES =
            Set.of("create", "read", "update", "patch", "delete", "list", "sudo", "deny", "scan");
    /** OpenBao policy.go parsePaths: the keys a path block may hold. */
    static final Set<String> PATH_KEYS = Set.of(
            "comment",
            "policy",
            "capabilities",
            "allowed_parameters",
            "denied_parameters",
            "required_parameters",
            "min_wrapping_ttl",
            "max_wrapping_ttl",
            "mfa_methods",
            "pagination_limit",
            "expiration",
            "list_scan_response_keys_filter_path",
            "control_group");

    /**
     * One path block as parsed (OpenBao PathRules + ACLPermissions). {@code allowed}/{@code denied} are null when
     * the block has none (Go nil map); their keys are lowercased. A {@code deny} block carries nothing else
     * (parsePaths jumps to PathFinished).
     */
    record PathRule(
            String pattern,
            Set<String> capabilities,
            Map<String, List<Object>> allowed,
            Map<String, List<Object>> denied,
            List<String> required,
            Duration minWrappingTtl,
            Duration maxWrappingTtl) {}

    private final List<PathRule> paths;

    private HclPolicy(List<PathRule> paths) {
        this.paths = paths;
    }

    /** The path blocks in declaration order, not merged (the ACL merges identical patterns). */
    List<PathRule> paths() {
        return paths;
    }

    /** pattern → capabilities, in declaration order; repeated patterns in one policy are unioned. */
    public Map<String, Set<String>> rules() {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (PathRule r : paths) {
            out.computeIfAbsent(r.pattern(), k -> new LinkedHashSet<>()).addAll(r.capabilities());
        }
        return out;
    }

    /** @throws IllegalArgumentException with Vault's message (without the "failed to parse policy: " prefix) */
    public static HclPolicy parse(String text) {
        String src = maybeBase64(text);
        Parser p = new Parser(tokenize(src));
        List<PathRule> paths = new ArrayList<>();
        while (!p.atEnd()) {
            String key = p.ident();
            if (!key.equals("path")) {
                if (!key.equals("name")) {
                    // hclutil.CheckHCLKeys reports the line of the '=' (0 for block syntax)
                    throw new IllegalArgumentException(multiError("invalid key \"" + key + "\" on line "
                            + (p.peek("=") ? p.peekTok().line() : 0)));
                }
                p.expect("=");
                p.skipValue();
                continue;
            }
            String pattern = p.string();
            if (p.peek("=")) {
                p.next();
            }
            paths.add(pathBlock(p, pattern));
        }
        return new HclPolicy(paths);
    }

    private static PathRule pathBlock(Parser p, String pattern) {
        p.expect("{");
        List<String> capList = new ArrayList<>();
        String legacy = null;
        Map<String, List<Object>> allowed = null;
        Map<String, List<Object>> denied = null;
        List<String> required = new ArrayList<>();
        Object minRaw = null;
        Object maxRaw = null;
        while (!p.peek("}")) {
            String k = p.ident();
            if (!PATH_KEYS.contains(k)) {
                throw new IllegalArgumentException(multiError("path \"" + pattern + "\": invalid key \"" + k
                        + "\" on line " + (p.peek("=") ? p.peekTok().line() : 0)));
            }
            if (p.peek("=")) {
                p.next(); // optional before an object: block syntax
            }
            switch (k) {
                case "capabilities" -> capList.addAll(p.stringList());
                case "policy" -> legacy = p.string();
                case "allowed_parameters" -> allowed = parameterMap(p, pattern, k, allowed);
                case "denied_parameters" -> denied = parameterMap(p, pattern, k, denied);
                case "required_parameters" -> required.addAll(p.stringList());
                case "min_wrapping_ttl" -> minRaw = p.scalar(pattern, k);
                case "max_wrapping_ttl" -> maxRaw = p.scalar(pattern, k);
                default -> p.skipValue();
            }
            if (p.peek(",")) {
                p.next();
            }
        }
        p.expect("}");
        String stripped = pattern.startsWith("/") ? pattern.substring(1) : pattern;
        if (stripped.contains("+*")) {
            throw new IllegalArgumentException(
                    "path \"" + stripped + "\": invalid use of wildcards ('+*' is forbidden)");
        }
        if (legacy != null) {
            switch (legacy) {
                case "deny" -> capList = new ArrayList<>(List.of("deny"));
                case "read" -> capList.addAll(List.of("read", "list"));
                case "write" -> capList.addAll(List.of("create", "read", "update", "delete", "list"));
                case "sudo" -> capList.addAll(List.of("create", "read", "update", "delete", "list", "sudo"));
                default ->
                    throw new IllegalArgumentException("path \"" + pattern + "\": invalid policy \"" + legacy + "\"");
            }
        }
        Set<String> caps = new LinkedHashSet<>();
        for (String c : capList) {
            if (c.equals("deny")) {
                // policy.go: a deny block keeps nothing else, not even its parameters
                return new PathRule(stripped, Set.of("deny"), null, null, List.of(), Duration.ZERO, Duration.ZERO);
            }
            if (!CAPABILITIES.contains(c)) {
                throw new IllegalArgumentException("path \"" + pattern + "\": invalid capability \"" + c + "\"");
            }
            caps.add(c);
        }
        Duration min = wrappingTtl(minRaw, "min_wrapping_ttl");
        Duration max = wrappingTtl(maxRaw, "max_wrapping_ttl");
        if (!min.isZero() && !max.isZero() && max.compareTo(min) < 0) {
            throw new IllegalArgumentException("max_wrapping_ttl cannot be less than min_wrapping_ttl");
        }
        return new PathRule(stripped, caps, lowerKeys(allowed), lowerKeys(denied), List.copyOf(required), min, max);
    }

    /** go-multierror's rendering of one error, as CheckHCLKeys' errors reach the client. */
    private static String multiError(String msg) {
        return "1 error occurred:\n\t* " + msg + "\n\n";
    }

    private static Map<String, List<Object>> lowerKeys(Map<String, List<Object>> in) {
        if (in == null) {
            return null;
        }
        Map<String, List<Object>> out = new LinkedHashMap<>();
        in.forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), v));
        return out;
    }

    /** parseutil.ParseDurationSecond: int and float = seconds, strings = seconds or a Go duration. */
    private static Duration wrappingTtl(Object raw, String key) {
        try {
            if (raw == null) {
                return Duration.ZERO;
            }
            if (raw instanceof Long l) {
                return Duration.ofSeconds(l);
            }
            if (raw instanceof Double d) {
                return Duration.ofSeconds(d.longValue());
            }
            if (raw instanceof String s) {
                return Values.parseDuration(s);
            }
            throw new IllegalArgumentException("could not parse duration from input");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("error parsing " + key + ": " + e.getMessage());
        }
    }

    /**
     * {@code map[string][]any}: each value must be a list, or an object (HCL decodes it as a one-element list);
     * a scalar is an HCL decoding error. Repeated blocks add keys to the same map.
     */
    private static Map<String, List<Object>> parameterMap(
            Parser p, String pattern, String key, Map<String, List<Object>> into) {
        Map<String, List<Object>> out = into == null ? new LinkedHashMap<>() : into;
        p.expect("{");
        while (!p.peek("}")) {
            String name = p.key();
            if (p.peek("=")) {
                p.next(); // optional before an object: block syntax
            }
            if (p.peek("[")) {
                out.put(name, p.list());
            } else if (p.peek("{")) {
                out.put(name, new ArrayList<>(List.of(p.object(true))));
            } else {
                throw new IllegalArgumentException(
                        "path \"" + pattern + "\": " + key + "." + name + ": unknown slice type");
            }
            if (p.peek(",")) {
                p.next();
            }
        }
        p.expect("}");
        return out;
    }

    private static String maybeBase64(String text) {
        String t = text.trim();
        if (t.isEmpty() || t.contains(" ") || t.contains("\n") || t.contains("{")) {
            return text;
        }
        try {
            return new String(Base64.getDecoder().decode(t), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return text;
        }
    }

    /** One token; strings keep their leading '"' so they cannot be confused with punctuation or bare words. */
    private record Tok(String text, int line) {}

    private static List<Tok> tokenize(String s) {
        List<Tok> out = new ArrayList<>();
        int i = 0;
        int line = 1;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\n') {
                line++;
                i++;
            } else if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '#' || (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '/')) {
                while (i < s.length() && s.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '*') {
                int end = s.indexOf("*/", i + 2);
                int stop = end < 0 ? s.length() : end + 2;
                line += (int)
                        s.substring(i, stop).chars().filter(ch -> ch == '\n').count();
                i = stop;
            } else if ("{}[]=,".indexOf(c) >= 0) {
                out.add(new Tok(String.valueOf(c), line));
                i++;
            } else if (c == '"') {
                StringBuilder b = new StringBuilder("\"");
                int startLine = line;
                i++;
                while (i < s.length() && s.charAt(i) != '"') {
                    if (s.charAt(i) == '\\' && i + 1 < s.length()) {
                        i++;
                    }
                    if (s.charAt(i) == '\n') {
                        line++;
                    }
                    b.append(s.charAt(i++));
                }
                if (i >= s.length()) {
                    throw new IllegalArgumentException("unterminated string");
                }
                i++;
                out.add(new Tok(b.toString(), startLine));
            } else {
                int start = i;
                while (i < s.length() && !Character.isWhitespace(s.charAt(i)) && "{}[]=,\"#".indexOf(s.charAt(i)) < 0) {
                    i++;
                }
                out.add(new Tok(s.substring(start, i), line));
            }
        }
        return out;
    }

    private static final class Parser {
        private static final Pattern INT = Pattern.compile("[-+]?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)");
        private static final Pattern FLOAT =
                Pattern.compile("[-+]?([0-9]+\\.[0-9]*([eE][-+]?[0-9]+)?|[0-9]+[eE][-+]?[0-9]+)");

        private final List<Tok> toks;
        private int pos;

        Parser(List<Tok> toks) {
            this.toks = toks;
        }

        boolean atEnd() {
            return pos >= toks.size();
        }

        boolean peek(String t) {
            return !atEnd() && toks.get(pos).text().equals(t);
        }

        Tok peekTok() {
            if (atEnd()) {
                throw new IllegalArgumentException("unexpected end of policy");
            }
            return toks.get(pos);
        }

        String next() {
            peekTok();
            return toks.get(pos++).text();
        }

        void expect(String t) {
            String got = next();
            if (!got.equals(t)) {
                throw new IllegalArgumentException("expected '" + t + "' but found '" + got + "'");
            }
        }

        String ident() {
            String t = next();
            if (t.startsWith("\"") || t.length() == 1 && "{}[]=,".contains(t)) {
                throw new IllegalArgumentException("unexpected token '" + t + "'");
            }
            return t;
        }

        /** An object key: a bare word or a string. */
        String key() {
            String t = next();
            if (t.startsWith("\"")) {
                return t.substring(1);
            }
            if (t.length() == 1 && "{}[]=,".contains(t)) {
                throw new IllegalArgumentException("unexpected token '" + t + "'");
            }
            return t;
        }

        String string() {
            String t = next();
            if (!t.startsWith("\"")) {
                throw new IllegalArgumentException("expected a string but found '" + t + "'");
            }
            return t.substring(1);
        }

        List<String> stringList() {
            expect("[");
            List<String> out = new ArrayList<>();
            while (!peek("]")) {
                out.add(string());
                if (peek(",")) {
                    next();
                }
            }
            expect("]");
            return out;
        }

        /** A list; its elements are decoded "directly within a slice" (objects become maps). */
        List<Object> list() {
            expect("[");
            List<Object> out = new ArrayList<>();
            while (!peek("]")) {
                if (peek("[")) {
                    out.add(list());
                } else if (peek("{")) {
                    out.add(object(true));
                } else {
                    out.add(literal());
                }
                if (peek(",")) {
                    next();
                }
            }
            expect("]");
            return out;
        }

        /**
         * An object. Inside a list it is a map; inside an object HCL v1 decodes it as a list of maps
         * ({@code []map[string]interface{}}), which never equals a JSON object.
         */
        Object object(boolean inList) {
            expect("{");
            Map<String, Object> out = new LinkedHashMap<>();
            while (!peek("}")) {
                String k = key();
                if (peek("=")) {
                    next();
                }
                if (peek("[")) {
                    out.put(k, list());
                } else if (peek("{")) {
                    out.put(k, object(false));
                } else {
                    out.put(k, literal());
                }
                if (peek(",")) {
                    next();
                }
            }
            expect("}");
            return inList ? out : new ParameterValues.HclObjectList(List.of(out));
        }

        /** string → String, integer → Long (Go ParseInt base 0), float → Double, true/false → Boolean. */
        Object literal() {
            String t = next();
            if (t.startsWith("\"")) {
                return t.substring(1);
            }
            if (t.equals("true") || t.equals("false")) {
                return Boolean.valueOf(t);
            }
            if (INT.matcher(t).matches()) {
                String digits = t.replaceFirst("^[-+]", "");
                boolean negative = t.startsWith("-");
                long v;
                if (digits.startsWith("0x") || digits.startsWith("0X")) {
                    v = Long.parseLong(digits.substring(2), 16);
                } else if (digits.length() > 1 && digits.startsWith("0")) {
                    v = Long.parseLong(digits.substring(1), 8);
                } else {
                    v = Long.parseLong(digits);
                }
                return negative ? -v : v;
            }
            if (FLOAT.matcher(t).matches()) {
                return Double.valueOf(t);
            }
            throw new IllegalArgumentException("unexpected token '" + t + "'");
        }

        /** A scalar value (wrapping TTLs): a literal; a list or object cannot be parsed as a duration. */
        Object scalar(String pattern, String key) {
            if (peek("[") || peek("{")) {
                skipValue();
                throw new IllegalArgumentException("error parsing " + key + ": could not parse duration from input");
            }
            return literal();
        }

        void skipValue() {
            String t = next();
            if (t.equals("[") || t.equals("{")) {
                int depth = 1;
                while (depth > 0) {
                    String n = next();
                    if (n.equals("[") || n.equals("{")) {
                        depth++;
                    } else if (n.equals("]") || n.equals("}")) {
                        depth--;
                    }
                }
            }
        }
    }
}
