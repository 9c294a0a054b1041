/**
 * Running commands on a MAAS region controller, and the MAAS administrator's commands typed on top.
 *
 * <h2>Transports</h2>
 * {@link io.maasops.security.region.RegionCommandRunner} takes an argument vector and returns exit code, stdout
 * and stderr, with a timeout and an output cap. {@link io.maasops.security.region.SshCommandRunner} (Apache MINA
 * SSHD) quotes every word with {@link io.maasops.security.region.ShellQuoting} for the remote login shell, checks
 * the host key against the known_hosts text from a Secret (unknown or changed keys are refused), prefixes
 * {@code sudo -n --} when asked, and reuses one session per controller through
 * {@link io.maasops.security.region.SshConnectionPool}. {@link io.maasops.security.region.PodExecCommandRunner}
 * passes the vector to the Kubernetes exec API unchanged (no shell).
 *
 * <h2>The exact commands</h2>
 * (also what the region host double in test scope understands)
 * <pre>
 * maas config-vault configure URL ROLE_ID WRAPPED_TOKEN PATH --mount MOUNT --yes
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
 * <h2>The wrapped token travels as an argument</h2>
 * MAAS receives the response-wrapped secret-id only as a positional argument of
 * {@code maas config-vault configure}, exactly as MAAS's documentation tells an administrator to type it. It may
 * therefore be visible on the controller (process list while the command runs, sudo/auth logs). That is the
 * design of response wrapping: the token is single-use (MAAS's unwrap consumes it, after which any copy is
 * worthless and a second unwrap fails loudly, revealing interception) and short-lived (the wrap TTL, 5 minutes by
 * default). The operator itself never logs it, never puts it in events, status or exception messages: runners do
 * not log arguments, runner and MAAS messages never include them, and {@link io.maasops.security.region.MaasCli}
 * passes everything it reports through a {@link io.maasops.security.region.Redactor} that knows the token.
 * The unwrapped secret-id is never seen by the operator at all; MAAS stores it in regiond.conf (0640).
 */
package io.maasops.security.region;
