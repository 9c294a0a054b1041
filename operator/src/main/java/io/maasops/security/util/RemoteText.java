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

  private RemoteText() {}

  /** {@link #excerpt(String, int)} with {@link #MAX_EXCERPT}. */
  public static String excerpt(String text) {
    return excerpt(text, MAX_EXCERPT);
  }

  /**
   * Printable ASCII only (other control characters and non-ASCII become {@code ?}), HTML tags removed,
   * whitespace collapsed, at most {@code max} characters. A longer text is cut at a word boundary
   * and ends in {@code ...}: a word is kept whole or dropped, never cut, so a secret in the text is
   * either entirely there for a redactor to mask afterwards or entirely gone. Reads only as much of
   * {@code text} as the excerpt needs. Null gives "".
   */
  public static String excerpt(String text, int max) {
    if (max < ELLIPSIS.length() + 1) {
      throw new IllegalArgumentException("an excerpt needs room for at least one character");
    }
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(Math.min(text.length(), max) + 1);
    boolean space = false;
    int i = 0;
    int n = text.length();
    while (i < n && out.length() <= max) {
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
    if (out.length() <= max && i >= n) {
      return out.toString();
    }
    return cut(out, max);
  }

  /** Whole words only, then the ellipsis, within {@code max} characters. */
  private static String cut(StringBuilder text, int max) {
    int room = max - ELLIPSIS.length();
    int end = room;
    if (text.length() > room && text.charAt(room) != ' ') {
      end = text.lastIndexOf(" ", room);
      end = Math.max(end, 0); // one word longer than the room: drop it rather than cut it
    }
    while (end > 0 && text.charAt(end - 1) == ' ') {
      end--;
    }
    return text.substring(0, end) + ELLIPSIS;
  }

  private static boolean startsTag(char next) {
    return Character.isLetter(next) || next == '/' || next == '!' || next == '?';
  }
}
