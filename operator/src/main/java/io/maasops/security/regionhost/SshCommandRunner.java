package io.maasops.security.regionhost;

import io.maasops.security.util.Secret;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;

/**
 * Runs commands on a controller over SSH (Apache MINA SSHD). The argument vector is quoted word by word with
 * {@link ShellQuoting}; with {@code sudo} it becomes {@code sudo -n -- argv...}, so sudo never prompts: a
 * refused sudo is reported as {@link RegionAccessException.Kind#SUDO_REFUSED}. Sessions come from a shared
 * {@link SshConnectionPool}. Input, when given, is written to the channel right after it opens and followed by
 * EOF; it never appears in the exec request.
 */
public final class SshCommandRunner implements RegionCommandRunner {
    /** What {@code sudo -n} prints when it would have to ask or is not allowed (sudo's own texts). */
    private static final List<String> SUDO_REFUSALS = List.of(
            "sudo: a password is required",
            "sudo: a terminal is required",
            "is not in the sudoers file",
            "is not allowed to execute",
            "may not run sudo");

    private final SshConnectionPool pool;
    private final SshTarget target;
    private final SshCredentials credentials;
    private final int outputCapBytes;

    public SshCommandRunner(SshConnectionPool pool, SshTarget target, SshCredentials credentials) {
        this(pool, target, credentials, DEFAULT_OUTPUT_CAP_BYTES);
    }

    public SshCommandRunner(SshConnectionPool pool, SshTarget target, SshCredentials credentials, int outputCapBytes) {
        this.pool = pool;
        this.target = target;
        this.credentials = credentials;
        this.outputCapBytes = outputCapBytes;
    }

    /** The exact command line sent for {@code argv} (pure; visible for tests). */
    public static String commandLine(List<String> argv, boolean sudo) {
        List<String> full = new ArrayList<>();
        if (sudo) {
            full.addAll(List.of("sudo", "-n", "--"));
        }
        full.addAll(argv);
        return ShellQuoting.join(full);
    }

    @Override
    public CommandResult run(List<String> argv, Secret stdin, Duration timeout) {
        String line = commandLine(argv, target.sudo());
        String program = argv.get(0);
        long deadline = System.nanoTime() + timeout.toNanos();
        BoundedOutput out = new BoundedOutput(outputCapBytes);
        BoundedOutput err = new BoundedOutput(outputCapBytes);
        SshConnectionPool.Lease lease = pool.acquire(target, credentials);
        ChannelExec channel;
        try {
            channel = openChannel(lease, line, out, err, deadline);
        } catch (IOException | RuntimeException e) {
            pool.discard(lease);
            if (!lease.reused()) {
                throw transportError(program, e);
            }
            // A pooled session the server has dropped (restart, idle kill): nothing ran yet, so reconnect once.
            lease = pool.acquire(target, credentials);
            try {
                channel = openChannel(lease, line, out, err, deadline);
            } catch (IOException | RuntimeException e2) {
                pool.discard(lease);
                throw transportError(program, e2);
            }
        }
        boolean healthy = false;
        try {
            if (stdin != null) {
                writeInput(channel, stdin);
            }
            Set<ClientChannelEvent> events =
                    channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), remaining(deadline));
            if (events.contains(ClientChannelEvent.TIMEOUT) || !events.contains(ClientChannelEvent.CLOSED)) {
                throw new RegionAccessException(
                        RegionAccessException.Kind.TIMEOUT,
                        describe() + ": '" + program + "' did not finish within " + timeout);
            }
            Integer status = channel.getExitStatus();
            if (status == null) {
                String signal = channel.getExitSignal();
                // the connection dropped mid-command: it may have finished on the host
                throw RegionAccessException.answerLost(
                        RegionAccessException.Kind.TRANSPORT_ERROR,
                        describe() + ": '" + program + "' ended without an exit status"
                                + (signal != null ? " (signal " + signal + ")" : ""));
            }
            healthy = true;
            CommandResult result =
                    new CommandResult(status, out.text(), err.text(), out.truncated() || err.truncated());
            if (target.sudo() && status == 1 && isSudoRefusal(result.stderr())) {
                throw new RegionAccessException(
                        RegionAccessException.Kind.SUDO_REFUSED,
                        describe() + ": sudo refused to run '" + program + "' without a password: "
                                + firstLine(result.stderr()));
            }
            return result;
        } finally {
            if (healthy) {
                pool.release(lease);
            } else {
                // After a timeout or a broken channel the session's state is unknown: start afresh next time.
                channel.close(true);
                pool.discard(lease);
            }
        }
    }

    /**
     * Writes the input and closes it, which sends EOF. A write can fail only because the channel closed: the
     * command ended without reading its input (sudo refused, say) or the connection dropped; the exit status
     * read next tells which, so the failure itself is not reported.
     */
    private static void writeInput(ChannelExec channel, Secret stdin) {
        try (OutputStream in = channel.getInvertedIn()) {
            in.write(stdin.reveal().getBytes(StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException | RuntimeException e) {
            // see above; the exception may not be logged or rethrown, it could quote what was written
        }
    }

    private static ChannelExec openChannel(
            SshConnectionPool.Lease lease, String line, BoundedOutput out, BoundedOutput err, long deadline)
            throws IOException {
        ChannelExec channel = lease.session().createExecChannel(line);
        channel.setOut(out);
        channel.setErr(err);
        try {
            channel.open().verify(remaining(deadline));
        } catch (IOException | RuntimeException e) {
            channel.close(true);
            throw e;
        }
        return channel;
    }

    private RegionAccessException transportError(String program, Exception e) {
        return new RegionAccessException(
                RegionAccessException.Kind.TRANSPORT_ERROR,
                describe() + ": could not start '" + program + "' ("
                        + e.getClass().getSimpleName() + ")");
    }

    static boolean isSudoRefusal(String stderr) {
        return stderr.lines().anyMatch(l -> SUDO_REFUSALS.stream().anyMatch(l::contains));
    }

    private static String firstLine(String s) {
        return s.lines().findFirst().orElse("").strip();
    }

    private static Duration remaining(long deadlineNanos) {
        long left = deadlineNanos - System.nanoTime();
        return Duration.ofNanos(Math.max(1_000_000L, left));
    }

    @Override
    public String describe() {
        return target.describe();
    }
}
