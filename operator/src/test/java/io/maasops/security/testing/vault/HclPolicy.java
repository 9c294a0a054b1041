package io.maasops.security.testing.vault;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses the subset of Vault's HCL policy language the double needs (vault-api.md §5.2):
 * {@code path "<pattern>" { capabilities = [..] }} blocks, the legacy {@code policy = "read"} form,
 * comments, and a base64-encoded body. Other keys (allowed_parameters, ...) are parsed and ignored.
 */
public final class HclPolicy {
    static final Set<String> CAPABILITIES =
            Set.of("create", "read", "update", "patch", "delete", "list", "sudo", "deny", "scan");

    /** pattern → capabilities, in declaration order; repeated patterns in one policy are merged. */
    private final Map<String, Set<String>> rules;

    private HclPolicy(Map<String, Set<String>> rules) {
        this.rules = rules;
    }

    public Map<String, Set<String>> rules() {
        return rules;
    }

    /** @throws IllegalArgumentException with Vault's message (without the "failed to parse policy: " prefix) */
    public static HclPolicy parse(String text) {
        String src = maybeBase64(text);
        Parser p = new Parser(tokenize(src));
        Map<String, Set<String>> rules = new LinkedHashMap<>();
        while (!p.atEnd()) {
            String key = p.ident();
            if (!key.equals("path")) {
                // top-level keys such as name = "..." are ignored by Vault's parser too
                p.expect("=");
                p.skipValue();
                continue;
            }
            String pattern = p.string();
            if (p.peek("=")) {
                p.next();
            }
            p.expect("{");
            Set<String> caps = new LinkedHashSet<>();
            while (!p.peek("}")) {
                String k = p.ident();
                p.expect("=");
                if (k.equals("capabilities")) {
                    for (String c : p.stringList()) {
                        if (!CAPABILITIES.contains(c)) {
                            throw new IllegalArgumentException("path \"" + pattern + "\": invalid capability \"" + c + "\"");
                        }
                        caps.add(c);
                    }
                } else if (k.equals("policy")) {
                    String legacy = p.string();
                    switch (legacy) {
                        case "deny" -> caps.add("deny");
                        case "read" -> caps.addAll(List.of("read", "list"));
                        case "write" -> caps.addAll(List.of("create", "read", "update", "patch", "delete", "list"));
                        case "sudo" -> caps.addAll(List.of("create", "read", "update", "patch", "delete", "list", "sudo"));
                        default -> throw new IllegalArgumentException("path \"" + pattern + "\": invalid policy \"" + legacy + "\"");
                    }
                } else {
                    p.skipValue();
                }
                if (p.peek(",")) {
                    p.next();
                }
            }
            p.expect("}");
            if (pattern.contains("+*")) {
                throw new IllegalArgumentException("path \"" + pattern + "\": invalid use of wildcards ('+*' is forbidden)");
            }
            String key2 = pattern.startsWith("/") ? pattern.substring(1) : pattern;
            rules.computeIfAbsent(key2, k -> new LinkedHashSet<>()).addAll(caps);
        }
        return new HclPolicy(rules);
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

    private static List<String> tokenize(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '#' || (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '/')) {
                while (i < s.length() && s.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '*') {
                int end = s.indexOf("*/", i + 2);
                i = end < 0 ? s.length() : end + 2;
            } else if ("{}[]=,".indexOf(c) >= 0) {
                out.add(String.valueOf(c));
                i++;
            } else if (c == '"') {
                StringBuilder b = new StringBuilder("\"");
                i++;
                while (i < s.length() && s.charAt(i) != '"') {
                    if (s.charAt(i) == '\\' && i + 1 < s.length()) {
                        i++;
                    }
                    b.append(s.charAt(i++));
                }
                if (i >= s.length()) {
                    throw new IllegalArgumentException("unterminated string");
                }
                i++;
                out.add(b.toString());
            } else {
                int start = i;
                while (i < s.length() && !Character.isWhitespace(s.charAt(i)) && "{}[]=,\"#".indexOf(s.charAt(i)) < 0) {
                    i++;
                }
                out.add(s.substring(start, i));
            }
        }
        return out;
    }

    private static final class Parser {
        private final List<String> toks;
        private int pos;

        Parser(List<String> toks) {
            this.toks = toks;
        }

        boolean atEnd() {
            return pos >= toks.size();
        }

        boolean peek(String t) {
            return !atEnd() && toks.get(pos).equals(t);
        }

        String next() {
            if (atEnd()) {
                throw new IllegalArgumentException("unexpected end of policy");
            }
            return toks.get(pos++);
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
