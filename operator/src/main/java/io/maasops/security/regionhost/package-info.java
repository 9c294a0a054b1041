/**
 * Running commands on a MAAS region controller, and the MAAS administrator's commands typed on top.
 *
 * <h2>Transports</h2>
 * {@link io.maasops.security.regionhost.RegionCommandRunner} takes an argument vector and returns exit code, stdout
 * and stderr, with a timeout and an output cap. {@link io.maasops.security.regionhost.SshCommandRunner} (Apache MINA
 * SSHD) quotes every word with {@link io.maasops.security.regionhost.ShellQuoting} for the remote login shell, checks
 * the host key against the known_hosts text from a Secret (unknown or changed keys are refused), prefixes
 * {@code sudo -n --} when asked, and reuses one session per controller through
 * {@link io.maasops.security.regionhost.SshConnectionPool}. {@link io.maasops.security.regionhost.PodExecCommandRunner}
 * passes the vector to the Kubernetes exec API unchanged (no shell).
 *
 * <h2>The exact commands</h2>
 * (also what the region host double in test scope understands)
 * <pre>
 * sh -c 'IFS= read -r t && exec maas config-vault configure "$1" "$2" "$t" "$3" --mount "$4" --yes' sh URL ROLE_ID PATH MOUNT
 *                                           (the wrapped token on stdin)
 * maas config-vault status
 * maas config-vault migrate
 * stat -c '%a %u %g %U %G' -- PATH          (one call per path)
 * chown OWNER:GROUP -- PATH
 * chmod 0640 -- PATH
 * snap restart maas                         (snap installs)
 * systemctl restart maas-regiond            (deb installs)
 * </pre>
 * Each is prefixed by {@code sudo -n --} when the MaasRegion's SSH access says {@code sudo: true}.
 *
 * <h2>The wrapped token travels on standard input</h2>
 * MAAS receives the response-wrapped secret-id only as a positional argument of
 * {@code maas config-vault configure}. The operator therefore runs
 * {@code sh -c 'IFS= read -r t && exec maas config-vault configure "$1" "$2" "$t" "$3" --mount "$4" --yes' sh URL
 * ROLE_ID PATH MOUNT} (prefixed by {@code sudo -n --} over SSH when asked) and writes the token and a newline to its
 * standard input ({@link io.maasops.security.regionhost.MaasCli#CONFIGURE_SCRIPT}): the token is in no SSH exec request,
 * sudo log line or Kubernetes exec URL. It exists on the controller only as {@code maas}'s own argument while that
 * runs, which MAAS's CLI makes unavoidable; it is single-use (MAAS's unwrap consumes it) and short-lived (the wrap
 * TTL, 5 minutes by default). The operator itself never logs it, never puts it in events, status or exception
 * messages: runners do not log arguments or input, runner and MAAS messages never include them, and
 * {@link io.maasops.security.regionhost.MaasCli} passes everything it reports through a
 * {@link io.maasops.security.regionhost.Redactor} that knows the token.
 * The unwrapped secret-id is never seen by the operator at all; MAAS stores it in regiond.conf (0640).
 */
package io.maasops.security.regionhost;
