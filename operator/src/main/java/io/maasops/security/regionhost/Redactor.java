package io.maasops.security.regionhost;

import io.maasops.security.util.Secret;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Removes known secret values from text that came back from a controller before the text reaches a log,
 * event, status or exception (MAAS echoes hvac errors, which can quote what it was given).
 */
public final class Redactor {
    public static final String MASK = "<redacted>";
    private final List<String> values;

    private Redactor(List<String> values) {
        this.values = values;
    }

    public static Redactor of(Secret... secrets) {
        List<String> v = new ArrayList<>();
        Arrays.stream(secrets)
                .filter(Objects::nonNull)
                .map(Secret::reveal)
                .filter(s -> !s.isEmpty())
                .forEach(v::add);
        // Longest first, so a secret containing another is masked whole.
        v.sort((a, b) -> b.length() - a.length());
        return new Redactor(List.copyOf(v));
    }

    public static Redactor none() {
        return new Redactor(List.of());
    }

    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String v : values) {
            out = out.replace(v, MASK);
        }
        return out;
    }
}
