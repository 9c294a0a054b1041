package io.maasops.security.regionhost;

import java.util.List;
import java.util.regex.Pattern;

/**
 * POSIX shell quoting. An SSH "exec" request carries one string that the remote login shell parses, so an
 * argument vector has to be turned into a string that this shell splits back into exactly the same words.
 * Every word that is not made only of characters that are inert in every POSIX shell is put in single
 * quotes; a single quote inside becomes {@code '\''}. Inside single quotes nothing ({@code $}, backquote,
 * backslash, newline, {@code ;}) is special, so no value can escape its word.
 */
public final class ShellQuoting {
    /** Characters that never have a meaning to sh, bash or dash, so such words need no quotes. */
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private ShellQuoting() {}

    /** One word, quoted so that the shell reads it back literally. */
    public static String quote(String word) {
        if (word.indexOf('\0') >= 0) {
            // No shell can carry a NUL byte inside an argument; refuse rather than silently truncate.
            throw new IllegalArgumentException("an argument contains a NUL byte");
        }
        if (!word.isEmpty() && SAFE.matcher(word).matches()) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** An argument vector as one command line: every word quoted, joined by single spaces. */
    public static String join(List<String> argv) {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("empty argument vector");
        }
        StringBuilder sb = new StringBuilder();
        for (String word : argv) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(quote(word));
        }
        return sb.toString();
    }
}
