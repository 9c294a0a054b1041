package io.maasops.security.util;

/**
 * Text that came from a remote system (an HTTP error body, a controller's stderr, a TLS peer) made fit
 * for an exception message, a status or an event. Addresses of those systems are chosen by namespace
 * authors, so whatever the remote side says must not become a way to read it back through the API.
 */
public final class RemoteText {

    /**
     * Characters of remote text allowed in one message. Long enough for MAAS's documented messages
     * (the longest, "Unable to migrate as one or more regions didn't restart ...", is 152), short enough
     * that an excerpt is a hint, not a channel.
     */
    public static final int MAX_EXCERPT = 160;

    private static final String ELLIPSIS = "...";
    private static final String SEPARATOR = " ... ";
    /** Below this, an excerpt is its beginning only. */
    private static final int SHORTEST_WITH_TAIL = 40;

    private RemoteText() {}

    /** {@link #excerpt(String, int)} with {@link #MAX_EXCERPT}. */
    public static String excerpt(String text) {
        return excerpt(text, MAX_EXCERPT);
    }

    /**
     * Printable ASCII only (other control characters and non-ASCII become {@code ?}), HTML tags removed,
     * whitespace collapsed, at most {@code max} characters. A longer text keeps its beginning and its end
     * (where Python, Go and Java put the cause) around {@code " ... "}. Only whole words are kept: a word
     * is never cut, so a secret in the text is either entirely there for a redactor to mask afterwards or
     * entirely gone. Null gives "".
     */
    public static String excerpt(String text, int max) {
        if (max < ELLIPSIS.length() + 1) {
            throw new IllegalArgumentException("an excerpt needs room for at least one character");
        }
        String s = sanitize(text == null ? "" : text);
        if (s.length() <= max) {
            return s;
        }
        if (max < SHORTEST_WITH_TAIL) {
            String head = head(s, max - ELLIPSIS.length());
            return head.isEmpty() ? ELLIPSIS : head + ELLIPSIS;
        }
        int room = max - SEPARATOR.length();
        String head = head(s, room * 2 / 3);
        String tail = tail(s, room - head.length());
        if (head.isEmpty() && tail.isEmpty()) {
            return ELLIPSIS;
        }
        return head.isEmpty()
                ? ELLIPSIS + " " + tail
                : tail.isEmpty() ? head + " " + ELLIPSIS : head + SEPARATOR + tail;
    }

    private static String sanitize(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), 1 << 16));
        boolean space = false;
        int i = 0;
        int n = text.length();
        while (i < n) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (c == '<' && i < n && startsTag(text.charAt(i))) {
                int close = text.indexOf('>', i);
                i = close < 0 ? n : close + 1; // an unclosed tag at the end is dropped with it
                space = true; // "<p>a</p><p>b</p>" reads "a b"
                continue;
            }
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B) {
                space = true;
                continue;
            }
            if (space && out.length() > 0) {
                out.append(' ');
            }
            space = false;
            out.append(c >= 0x20 && c < 0x7F ? (char) c : '?');
        }
        return out.toString();
    }

    /** The whole words at the start of {@code s} that fit in {@code room}. */
    private static String head(String s, int room) {
        if (s.length() <= room) {
            return s;
        }
        int end = s.charAt(room) == ' ' ? room : Math.max(s.lastIndexOf(' ', room), 0);
        return s.substring(0, end).strip();
    }

    /** The whole words at the end of {@code s} that fit in {@code room}. */
    private static String tail(String s, int room) {
        if (room <= 0) {
            return "";
        }
        int start = s.length() - room;
        if (start > 0 && s.charAt(start - 1) != ' ') {
            int space = s.indexOf(' ', start);
            start = space < 0 ? s.length() : space + 1;
        }
        return s.substring(start).strip();
    }

    private static boolean startsTag(char next) {
        return Character.isLetter(next) || next == '/' || next == '!' || next == '?';
    }
}
