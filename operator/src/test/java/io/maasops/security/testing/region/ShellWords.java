package io.maasops.security.testing.region;

import java.util.ArrayList;
import java.util.List;

/**
 * How the region host double's login shell splits an SSH exec command line into words: the POSIX rules for
 * blanks, single quotes, double quotes and backslashes. Anything that would make a real shell do more than run
 * one simple command (operators {@code ; & | < > ( )}, newlines, {@code $} or backquote expansion, globs,
 * tilde, comments) is refused with {@link UnsafeShellSyntax}, so a test fails loudly if a value ever escapes
 * its quotes instead of silently doing something else.
 */
public final class ShellWords {
    private ShellWords() {}

    /** The command line would have been interpreted by the shell beyond plain words. */
    public static final class UnsafeShellSyntax extends Exception {
        public UnsafeShellSyntax(String message) {
            super(message);
        }
    }

    public static List<String> split(String line) throws UnsafeShellSyntax {
        List<String> words = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        int n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\t') {
                if (inWord) {
                    words.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
                i++;
            } else if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new UnsafeShellSyntax("unterminated single quote");
                }
                cur.append(line, i + 1, end);
                inWord = true;
                i = end + 1;
            } else if (c == '"') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char d = line.charAt(i);
                    if (d == '"') {
                        closed = true;
                        i++;
                        break;
                    }
                    if (d == '$' || d == '`') {
                        throw new UnsafeShellSyntax("expansion '" + d + "' inside double quotes");
                    }
                    if (d == '\\' && i + 1 < n && "$`\"\\\n".indexOf(line.charAt(i + 1)) >= 0) {
                        if (line.charAt(i + 1) != '\n') {
                            cur.append(line.charAt(i + 1));
                        }
                        i += 2;
                        continue;
                    }
                    cur.append(d);
                    i++;
                }
                if (!closed) {
                    throw new UnsafeShellSyntax("unterminated double quote");
                }
                inWord = true;
            } else if (c == '\\') {
                if (i + 1 >= n) {
                    throw new UnsafeShellSyntax("trailing backslash");
                }
                if (line.charAt(i + 1) != '\n') {
                    cur.append(line.charAt(i + 1));
                    inWord = true;
                }
                i += 2;
            } else if (";&|<>()\n$`".indexOf(c) >= 0) {
                throw new UnsafeShellSyntax("unquoted shell metacharacter " + describe(c));
            } else if ("*?[".indexOf(c) >= 0) {
                throw new UnsafeShellSyntax("unquoted glob character " + describe(c));
            } else if (!inWord && (c == '~' || c == '#')) {
                throw new UnsafeShellSyntax("unquoted " + describe(c) + " at the start of a word");
            } else {
                cur.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) {
            words.add(cur.toString());
        }
        return words;
    }

    private static String describe(char c) {
        return c == '\n' ? "newline" : "'" + c + "'";
    }
}
