package io.maasops.security.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates the subset of PromQL the chart's alerts use against one scrape, at one instant: instant
 * selectors with = and != matchers, numbers, time(), + - * /, comparisons (filtering, as without
 * bool), `and`, parentheses. Anything else is refused, so an alert that outgrows this fails loudly.
 * Enough to show which series an alert would select; `for` is not modelled.
 */
public final class PromEval {

    /** One element of an instant vector (or a scalar: labels null). */
    public record Value(Map<String, String> labels, double value) {}

    private final PrometheusText scrape;
    private final double now;
    private String src;
    private int pos;

    private PromEval(PrometheusText scrape, double nowSeconds) {
        this.scrape = scrape;
        this.now = nowSeconds;
    }

    /** The series the expression returns (an alert fires for each, once its `for` has passed). */
    public static List<Value> eval(String expr, PrometheusText scrape, double nowSeconds) {
        PromEval e = new PromEval(scrape, nowSeconds);
        e.src = expr;
        e.pos = 0;
        List<Value> result = e.and();
        e.space();
        if (e.pos != expr.length()) {
            throw new IllegalArgumentException("cannot evaluate from " + e.pos + ": " + expr);
        }
        return result;
    }

    private List<Value> and() {
        List<Value> left = comparison();
        while (word("and")) {
            List<Value> right = comparison();
            Set<Map<String, String>> keys = new java.util.HashSet<>();
            right.forEach(v -> keys.add(v.labels()));
            left = left.stream().filter(v -> keys.contains(v.labels())).toList();
        }
        return left;
    }

    private List<Value> comparison() {
        List<Value> left = additive();
        for (String op : List.of("==", "!=", ">=", "<=", ">", "<")) {
            if (symbol(op)) {
                List<Value> right = additive();
                return binary(left, right, op);
            }
        }
        return left;
    }

    private List<Value> additive() {
        List<Value> left = multiplicative();
        while (true) {
            if (symbol("+")) {
                left = binary(left, multiplicative(), "+");
            } else if (symbol("-")) {
                left = binary(left, multiplicative(), "-");
            } else {
                return left;
            }
        }
    }

    private List<Value> multiplicative() {
        List<Value> left = primary();
        while (true) {
            if (symbol("*")) {
                left = binary(left, primary(), "*");
            } else if (symbol("/")) {
                left = binary(left, primary(), "/");
            } else {
                return left;
            }
        }
    }

    private List<Value> primary() {
        space();
        if (symbol("(")) {
            List<Value> v = and();
            expect(")");
            return v;
        }
        char c = src.charAt(pos);
        if (Character.isDigit(c)) {
            int start = pos;
            while (pos < src.length() && (Character.isDigit(src.charAt(pos)) || src.charAt(pos) == '.')) {
                pos++;
            }
            return List.of(new Value(null, Double.parseDouble(src.substring(start, pos))));
        }
        int start = pos;
        while (pos < src.length()
                && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_' || src.charAt(pos) == ':')) {
            pos++;
        }
        String name = src.substring(start, pos);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("unexpected '" + c + "' at " + pos + ": " + src);
        }
        if (name.equals("time")) {
            expect("(");
            expect(")");
            return List.of(new Value(null, now));
        }
        Map<String, String> eq = new HashMap<>();
        Map<String, String> ne = new HashMap<>();
        if (symbol("{")) {
            while (!symbol("}")) {
                space();
                int ls = pos;
                while (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_') {
                    pos++;
                }
                String label = src.substring(ls, pos);
                boolean negated = symbol("!=");
                if (!negated) {
                    expect("=");
                }
                expect("\"");
                int vs = pos;
                pos = src.indexOf('"', pos);
                (negated ? ne : eq).put(label, src.substring(vs, pos));
                pos++;
                symbol(",");
            }
        }
        List<Value> out = new ArrayList<>();
        for (PrometheusText.Sample s : scrape.named(name)) {
            boolean match = eq.entrySet().stream()
                            .allMatch(m -> m.getValue().equals(s.labels().getOrDefault(m.getKey(), "")))
                    && ne.entrySet().stream()
                            .noneMatch(m -> m.getValue().equals(s.labels().getOrDefault(m.getKey(), "")));
            if (match) {
                Map<String, String> labels = new HashMap<>(s.labels());
                labels.put("__name__", name);
                out.add(new Value(labels, s.value()));
            }
        }
        return out;
    }

    /** vector op scalar, scalar op vector, scalar op scalar; arithmetic drops the metric name, as Prometheus does. */
    private static List<Value> binary(List<Value> left, List<Value> right, String op) {
        boolean ls = left.size() == 1 && left.get(0).labels() == null;
        boolean rs = right.size() == 1 && right.get(0).labels() == null;
        if (!ls && !rs) {
            throw new IllegalArgumentException("vector " + op + " vector is not supported here");
        }
        List<Value> vector = ls ? right : left;
        double scalar = ls ? left.get(0).value() : right.get(0).value();
        boolean comparison = List.of("==", "!=", ">=", "<=", ">", "<").contains(op);
        List<Value> out = new ArrayList<>();
        for (Value v : vector) {
            double a = ls ? scalar : v.value();
            double b = ls ? v.value() : scalar;
            if (comparison) {
                boolean keep = switch (op) {
                    case "==" -> a == b;
                    case "!=" -> a != b;
                    case ">=" -> a >= b;
                    case "<=" -> a <= b;
                    case ">" -> a > b;
                    default -> a < b;
                };
                if (keep) {
                    out.add(v);
                }
            } else {
                double r = switch (op) {
                    case "+" -> a + b;
                    case "-" -> a - b;
                    case "*" -> a * b;
                    default -> a / b;
                };
                Map<String, String> labels = null;
                if (v.labels() != null) {
                    labels = new HashMap<>(v.labels());
                    labels.remove("__name__");
                }
                out.add(new Value(labels, r));
            }
        }
        return out;
    }

    private void space() {
        while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) {
            pos++;
        }
    }

    private boolean symbol(String s) {
        space();
        if (src.startsWith(s, pos)) {
            pos += s.length();
            return true;
        }
        return false;
    }

    private boolean word(String w) {
        space();
        if (src.startsWith(w, pos)
                && (pos + w.length() >= src.length() || !Character.isLetterOrDigit(src.charAt(pos + w.length())))) {
            pos += w.length();
            return true;
        }
        return false;
    }

    private void expect(String s) {
        if (!symbol(s)) {
            throw new IllegalArgumentException("expected " + s + " at " + pos + ": " + src);
        }
    }
}
