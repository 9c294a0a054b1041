package io.maasops.security.testing;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a PromQL expression refers to: the metric names it selects, the labels it matches on each, and
 * the labels it groups or joins by. A small tokenizer, enough for the chart's alerts and dashboard
 * (selectors, functions, aggregations, binary operators, ranges, offsets; Grafana's label_values()).
 */
public final class PromQl {

    /** One selector: a metric name and the labels its matchers name. */
    public record Selector(String metric, Set<String> labels) {}

    /** What an expression names. */
    public record References(List<Selector> selectors, Set<String> groupingLabels) {}

    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "inf", "nan", "atan2");
    /** Aggregations may be followed by their by/without clause before the parenthesis. */
    private static final Set<String> AGGREGATIONS = Set.of(
            "sum",
            "count",
            "avg",
            "min",
            "max",
            "topk",
            "bottomk",
            "quantile",
            "stddev",
            "stdvar",
            "count_values",
            "group",
            "limitk",
            "limit_ratio");

    private static final Set<String> GROUPING = Set.of("by", "without", "on", "ignoring", "group_left", "group_right");

    private PromQl() {}

    public static References references(String expr) {
        List<Selector> selectors = new ArrayList<>();
        Set<String> grouping = new LinkedHashSet<>();
        int i = 0;
        int n = expr.length();
        while (i < n) {
            char c = expr.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = skipString(expr, i);
            } else if (c == '[') {
                i = expr.indexOf(']', i) + 1;
                if (i == 0) {
                    throw new IllegalArgumentException("unclosed [ in " + expr);
                }
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(expr.charAt(i + 1)))) {
                while (i < n && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '.')) {
                    i++;
                }
            } else if (Character.isLetter(c) || c == '_' || c == ':') {
                int start = i;
                while (i < n
                        && (Character.isLetterOrDigit(expr.charAt(i))
                                || expr.charAt(i) == '_'
                                || expr.charAt(i) == ':')) {
                    i++;
                }
                String word = expr.substring(start, i);
                int next = skipSpace(expr, i);
                if (GROUPING.contains(word)) {
                    if (next < n && expr.charAt(next) == '(') {
                        int close = expr.indexOf(')', next);
                        for (String label : expr.substring(next + 1, close).split(",")) {
                            if (!label.isBlank()) {
                                grouping.add(label.strip());
                            }
                        }
                        i = close + 1;
                    }
                } else if (word.equals("label_values") && next < n && expr.charAt(next) == '(') {
                    // Grafana: label_values(selector, label)
                    int close = expr.lastIndexOf(')');
                    String inner = expr.substring(next + 1, close);
                    int comma = inner.lastIndexOf(',');
                    References r = references(inner.substring(0, comma));
                    selectors.addAll(r.selectors());
                    grouping.addAll(r.groupingLabels());
                    grouping.add(inner.substring(comma + 1).strip());
                    i = close + 1;
                } else if ((next < n && expr.charAt(next) == '(') || AGGREGATIONS.contains(word)) {
                    i = next; // a function or an aggregation
                } else if (!KEYWORDS.contains(word.toLowerCase(java.util.Locale.ROOT))) {
                    Set<String> labels = new LinkedHashSet<>();
                    if (next < n && expr.charAt(next) == '{') {
                        i = matchers(expr, next, labels);
                    }
                    selectors.add(new Selector(word, labels));
                }
            } else {
                i++;
            }
        }
        return new References(selectors, grouping);
    }

    private static int matchers(String expr, int open, Set<String> labels) {
        int i = open + 1;
        while (expr.charAt(i) != '}') {
            char c = expr.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = skipString(expr, i);
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '_') {
                    i++;
                }
                labels.add(expr.substring(start, i));
            } else {
                i++;
            }
        }
        return i + 1;
    }

    private static int skipString(String expr, int i) {
        char quote = expr.charAt(i);
        int j = i + 1;
        while (expr.charAt(j) != quote) {
            j += expr.charAt(j) == '\\' ? 2 : 1;
        }
        return j + 1;
    }

    private static int skipSpace(String expr, int i) {
        while (i < expr.length() && Character.isWhitespace(expr.charAt(i))) {
            i++;
        }
        return i;
    }
}
