package io.maasops.security.regionhost;

import io.maasops.security.util.RemoteText;
import java.util.ArrayList;
import java.util.List;

/**
 * What the fix script ({@link MaasCli#FIX_SCRIPT}) did to one path: changed it ({@link #status()} after the change),
 * refused it because no regular file was there ({@link #status()} as found: missing, a symbolic link, a directory
 * ...; nothing changed), or failed ({@link #message()} says why; nothing changed).
 */
public record FixOutcome(String path, Kind kind, FileStatus status, String message) {

    public enum Kind {
        CHANGED,
        REFUSED,
        FAILED
    }

    /**
     * The script's answer, one stdout line per path in argument order ({@code CODE REST}); a path without a line
     * (the script stopped) failed with the command's error.
     */
    static List<FixOutcome> parse(List<String> paths, CommandResult r, String host) {
        String[] lines = r.stdout().isEmpty() ? new String[0] : r.stdout().split("\n");
        List<FixOutcome> out = new ArrayList<>(paths.size());
        for (int i = 0; i < paths.size(); i++) {
            String path = paths.get(i);
            out.add(
                    i < lines.length
                            ? line(path, lines[i], host)
                            : failed(
                                    path,
                                    "fixing " + path + " failed on " + host + " (exit " + r.exitCode() + "): "
                                            + RemoteText.excerpt(r.stderr())));
        }
        return out;
    }

    private static FixOutcome line(String path, String line, String host) {
        String code = line.length() > 2 && line.charAt(1) == ' ' ? line.substring(0, 1) : "";
        String rest = code.isEmpty() ? line : line.substring(2);
        switch (code) {
            case "0", "3" -> {
                FileStatus st = MaasCli.parseStatLine(rest);
                if (st == null || !st.path().equals(path)) {
                    break;
                }
                if (code.equals("0")) {
                    return new FixOutcome(path, Kind.CHANGED, st, null);
                }
                if (st.regular()) { // lstat saw a symbolic link, the open a regular file: swapped while fixing
                    return failed(path, path + " on " + host + " changed while being fixed; nothing was changed");
                }
                return new FixOutcome(
                        path,
                        Kind.REFUSED,
                        st,
                        path + " on " + host + " is a " + st.type().text() + "; not changed");
            }
            case "4" -> {
                return new FixOutcome(
                        path,
                        Kind.REFUSED,
                        FileStatus.missing(path),
                        path + " does not exist on " + host + "; not changed");
            }
            case "1" -> {
                return failed(path, "fixing " + path + " failed on " + host + " (exit 1): " + RemoteText.excerpt(rest));
            }
            default -> {}
        }
        return failed(path, "fixing " + path + " on " + host + ": unexpected answer from the fix script");
    }

    private static FixOutcome failed(String path, String message) {
        return new FixOutcome(path, Kind.FAILED, null, message);
    }
}
