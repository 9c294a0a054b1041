package io.maasops.security.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The samples of a Prometheus text-format scrape (what /metrics serves), for tests. */
public final class PrometheusText {

    /** One sample line: {@code name{labels} value}. */
    public record Sample(String name, Map<String, String> labels, double value) {
        public boolean has(String label, String value) {
            return value.equals(labels.get(label));
        }
    }

    private final List<Sample> samples;

    private PrometheusText(List<Sample> samples) {
        this.samples = samples;
    }

    public static PrometheusText parse(String text) {
        List<Sample> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String name;
            Map<String, String> labels = new LinkedHashMap<>();
            if (brace >= 0 && brace < space) {
                name = line.substring(0, brace);
                int i = brace + 1;
                while (line.charAt(i) != '}') {
                    int eq = line.indexOf('=', i);
                    String key = line.substring(i, eq);
                    StringBuilder value = new StringBuilder();
                    int j = eq + 2; // past ="
                    while (line.charAt(j) != '"') {
                        char c = line.charAt(j);
                        if (c == '\\') {
                            char n = line.charAt(++j);
                            value.append(n == 'n' ? '\n' : n);
                        } else {
                            value.append(c);
                        }
                        j++;
                    }
                    labels.put(key, value.toString());
                    i = j + 1;
                    if (line.charAt(i) == ',') {
                        i++;
                    }
                }
            } else {
                name = line.substring(0, space);
            }
            String v = line.substring(space + 1);
            out.add(new Sample(
                    name,
                    labels,
                    v.equals("+Inf")
                            ? Double.POSITIVE_INFINITY
                            : v.equals("NaN") ? Double.NaN : Double.parseDouble(v)));
        }
        return new PrometheusText(out);
    }

    public List<Sample> samples() {
        return samples;
    }

    public List<Sample> named(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    /**
     * Metric family names as a query names them, with every label each carries: a histogram's
     * {@code x_bucket}, {@code x_count} and {@code x_sum} are names of their own, as in PromQL.
     */
    public Map<String, Set<String>> labelsByName() {
        Map<String, Set<String>> out = new TreeMap<>();
        for (Sample s : samples) {
            out.computeIfAbsent(s.name(), k -> new TreeSet<>())
                    .addAll(s.labels().keySet());
        }
        return out;
    }
}
