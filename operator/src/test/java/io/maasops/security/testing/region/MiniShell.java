package io.maasops.security.testing.region;

import io.maasops.security.testing.region.RegionHostDouble.Outcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The region host double's {@code sh -c}: exactly one script shape, the one the operator sends to hand a secret
 * to a program on standard input ({@code MaasCli.CONFIGURE_SCRIPT}):
 *
 * <pre>IFS= read -r NAME &amp;&amp; exec WORD...</pre>
 *
 * where a WORD is a plain word or a double-quoted {@code "$1"}..{@code "$9"}, {@code "$0"} or {@code "$NAME"}.
 * It behaves as dash and bash do: {@code read} takes the bytes up to the first newline verbatim ({@code -r}, empty
 * {@code IFS}) and fails at end of input without a newline, and then {@code &&} runs nothing and the shell exits 1
 * silently; an unset parameter expands to an empty word. Any other script is refused (exit 2 with a message), as
 * a shell without the interpreter the script needs would fail, so a test sees a script the double does not know.
 */
final class MiniShell {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");
    private static final Pattern PARAMETER = Pattern.compile("\"\\$([0-9]|[A-Za-z_][A-Za-z0-9_]*)\"");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** A line longer than this is not a token; the double stops reading (a real read would go on). */
    private static final int MAX_LINE = 64 * 1024;

    /** Either the program the script exec's into, or the shell's own outcome. */
    record Result(List<String> exec, Outcome outcome) {}

    private MiniShell() {}

    /** {@code sh ARGS}: ARGS must be {@code -c SCRIPT [NAME [ARG...]]}. */
    static Result run(List<String> args, InputStream stdin) {
        if (args.size() < 2 || !args.get(0).equals("-c")) {
            return refuse("region host double runs only 'sh -c SCRIPT [NAME ARG...]'");
        }
        String script = args.get(1);
        List<String> positional = args.subList(2, args.size()); // $0, $1, ...
        String[] tokens = script.split(" ", -1);
        if (tokens.length < 7
                || !tokens[0].equals("IFS=")
                || !tokens[1].equals("read")
                || !tokens[2].equals("-r")
                || !NAME.matcher(tokens[3]).matches()
                || !tokens[4].equals("&&")
                || !tokens[5].equals("exec")) {
            return refuse("region host double cannot interpret: " + script);
        }
        String variable = tokens[3];
        List<Object> words = new ArrayList<>(); // String literal, or Matcher group name for a parameter
        for (int i = 6; i < tokens.length; i++) {
            Matcher p = PARAMETER.matcher(tokens[i]);
            if (p.matches()) {
                words.add(new Parameter(p.group(1)));
            } else if (PLAIN.matcher(tokens[i]).matches()) {
                words.add(tokens[i]);
            } else {
                return refuse("region host double cannot interpret the word '" + tokens[i] + "' of: " + script);
            }
        }
        String line = readLine(stdin);
        if (line == null) {
            return new Result(null, new Outcome(1, "", "")); // read failed at EOF: && runs nothing
        }
        List<String> exec = new ArrayList<>();
        for (Object w : words) {
            if (w instanceof Parameter p) {
                exec.add(p.expand(variable, line, positional));
            } else {
                exec.add((String) w);
            }
        }
        return new Result(exec, null);
    }

    private record Parameter(String name) {
        String expand(String variable, String value, List<String> positional) {
            if (name.equals(variable)) {
                return value;
            }
            if (Character.isDigit(name.charAt(0))) {
                int n = name.charAt(0) - '0';
                return n < positional.size() ? positional.get(n) : "";
            }
            return ""; // unset
        }
    }

    /** One line without its newline, or null when input ends (or is absent) before a newline. */
    private static String readLine(InputStream in) {
        if (in == null) {
            return null;
        }
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            for (int b = in.read(); b >= 0; b = in.read()) {
                if (b == '\n') {
                    return line.toString(StandardCharsets.UTF_8);
                }
                if (line.size() >= MAX_LINE) {
                    return null;
                }
                line.write(b);
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    private static Result refuse(String why) {
        return new Result(null, Outcome.fail(2, "sh: 1: " + why + "\n"));
    }
}
