package io.maasops.security.vault;

import io.maasops.security.util.Secret;
import java.util.Collection;
import java.util.regex.Pattern;

/** Removes secrets from text that may reach logs, exceptions or status. */
final class Redaction {
    /** Vault token shapes (docs/reference/vault-api.md §1.2): hvs./hvb. and legacy s./b. service/batch tokens. */
    private static final Pattern TOKEN = Pattern.compile("\\b(hv[sbr]\\.[A-Za-z0-9_-]{8,}|[sb]\\.[A-Za-z0-9]{24})");

    private Redaction() {}

    static String scrub(String text, Collection<Secret> known) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (Secret s : known) {
            String v = s.reveal();
            if (v.length() >= 4) {
                out = out.replace(v, "<redacted>");
            }
        }
        return TOKEN.matcher(out).replaceAll("<redacted>");
    }
}
