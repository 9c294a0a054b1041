package io.maasops.security.regionhost;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.OpenSshCertificate;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.signature.BuiltinSignatures;
import org.apache.sshd.common.signature.Signature;

/**
 * A known_hosts file read and applied the way OpenSSH's {@code ssh} does with
 * {@code StrictHostKeyChecking=yes} (openssh-portable {@code hostfile.c}, {@code match.c},
 * {@code sshconnect.c check_host_key}, {@code sshconnect2.c order_hostkeyalgs}; 8.9 to 10.3). Pure: no I/O,
 * the time is a parameter.
 *
 * <ul>
 *   <li>A line applies to a host when its host field matches {@code host} (port 22) or {@code [host]:port}:
 *       comma-separated patterns with {@code *} and {@code ?}, a {@code !pattern} that matches vetoes the line,
 *       or one hashed name {@code |1|salt|HMAC-SHA1} (as {@code ssh-keygen -H} writes). Host names compare in
 *       lower case. Lines that do not parse (unknown marker or key type) are skipped, as {@code ssh} skips them.</li>
 *   <li>{@code @revoked}: a presented key equal to it, or a certificate signed by it, is refused, whatever the
 *       order of the lines.</li>
 *   <li>{@code @cert-authority}: only ever trusted to sign host certificates, never taken as a host key. A
 *       certificate is accepted when a CA line for the host signed it and the certificate is valid for it (see
 *       {@link #certificateProblem}); otherwise its plain key is looked up like any other key, as {@code ssh}
 *       retries "with plain key".</li>
 *   <li>A plain key is accepted when a plain line for the host holds it; any other plain line for the host (any
 *       key type) means the key CHANGED. With a port other than 22 and no line at all for {@code [host]:port},
 *       the lines for {@code host} are tried, as {@code ssh} does ("checking without port identifier").</li>
 * </ul>
 *
 * <p>Where OpenSSH versions differ on host certificates, the stricter rule applies, so that whatever this
 * accepts every {@code ssh} from 8.9 on accepts as well: principals must be listed (10.3 refuses empty lists,
 * earlier versions took them as "any host") and one must equal the host name exactly (10.3 also allows
 * wildcards).
 */
final class KnownHosts {

    enum Marker {
        NONE,
        CERT_AUTHORITY,
        REVOKED
    }

    /** One usable line: its number (1-based), marker, host field and key. */
    record Line(int number, Marker marker, String hosts, PublicKey key) {}

    /** What {@code ssh} decided, and (when refused) a secret-free reason naming the host. */
    record Verdict(boolean accepted, String reason) {
        static Verdict accept() {
            return new Verdict(true, null);
        }

        static Verdict refuse(String reason) {
            return new Verdict(false, reason);
        }
    }

    private enum Status {
        OK,
        NEW,
        CHANGED,
        REVOKED
    }

    /** OpenSSH's {@code HASH_MAGIC} and the HMAC-SHA1 salt length it requires. */
    private static final String HASH_MAGIC = "|1|";

    private static final int SALT_LENGTH = 20;
    /** {@code match_pattern_list} gives up (no match) on a sub-pattern this long. */
    private static final int MAX_SUBPATTERN = 1023;

    /** The plain key type each signature algorithm uses ({@code sshkey_type_plain(sshkey_type_from_name(alg))}). */
    static final Map<String, String> KEY_TYPE_OF_ALGORITHM = Map.ofEntries(
            Map.entry("ssh-ed25519-cert-v01@openssh.com", "ssh-ed25519"),
            Map.entry("ecdsa-sha2-nistp256-cert-v01@openssh.com", "ecdsa-sha2-nistp256"),
            Map.entry("ecdsa-sha2-nistp384-cert-v01@openssh.com", "ecdsa-sha2-nistp384"),
            Map.entry("ecdsa-sha2-nistp521-cert-v01@openssh.com", "ecdsa-sha2-nistp521"),
            Map.entry("rsa-sha2-512-cert-v01@openssh.com", "ssh-rsa"),
            Map.entry("rsa-sha2-256-cert-v01@openssh.com", "ssh-rsa"),
            Map.entry("ssh-ed25519", "ssh-ed25519"),
            Map.entry("ecdsa-sha2-nistp256", "ecdsa-sha2-nistp256"),
            Map.entry("ecdsa-sha2-nistp384", "ecdsa-sha2-nistp384"),
            Map.entry("ecdsa-sha2-nistp521", "ecdsa-sha2-nistp521"),
            Map.entry("sk-ssh-ed25519@openssh.com", "sk-ssh-ed25519@openssh.com"),
            Map.entry("sk-ecdsa-sha2-nistp256@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com"),
            Map.entry("rsa-sha2-512", "ssh-rsa"),
            Map.entry("rsa-sha2-256", "ssh-rsa"));

    private final List<Line> lines;

    private KnownHosts(List<Line> lines) {
        this.lines = lines;
    }

    /** Reads known_hosts text; lines {@code ssh} would skip (comments, bad markers, unreadable keys) are left out. */
    static KnownHosts parse(String text) {
        List<Line> out = new ArrayList<>();
        String[] raw = text.split("\n", -1);
        for (int i = 0; i < raw.length; i++) {
            Line line = parseLine(i + 1, raw[i]);
            if (line != null) {
                out.add(line);
            }
        }
        return new KnownHosts(List.copyOf(out));
    }

    List<Line> lines() {
        return lines;
    }

    private static Line parseLine(int number, String text) {
        String s = stripBlanks(text.endsWith("\r") ? text.substring(0, text.length() - 1) : text);
        if (s.isEmpty() || s.charAt(0) == '#') {
            return null;
        }
        Marker marker = Marker.NONE;
        if (s.charAt(0) == '@') {
            int end = firstBlank(s);
            if (end < 0) {
                return null;
            }
            String word = s.substring(0, end);
            if (word.equals("@cert-authority")) {
                marker = Marker.CERT_AUTHORITY;
            } else if (word.equals("@revoked")) {
                marker = Marker.REVOKED;
            } else {
                return null; // unknown marker: ssh ignores the line
            }
            s = stripBlanks(s.substring(end));
            if (s.startsWith("@")) {
                return null; // only one marker is allowed
            }
        }
        int end = firstBlank(s);
        if (end <= 0) {
            return null;
        }
        String hosts = s.substring(0, end);
        String keyText = stripBlanks(s.substring(end));
        if (keyText.isEmpty() || keyText.charAt(0) == '#') {
            return null;
        }
        PublicKey key;
        try {
            key = PublicKeyEntry.parsePublicKeyEntry(keyText)
                    .resolvePublicKey(null, Map.of(), PublicKeyEntryResolver.FAILING);
        } catch (RuntimeException | java.io.IOException | GeneralSecurityException e) {
            return null;
        }
        return key == null ? null : new Line(number, marker, hosts, key);
    }

    private static String stripBlanks(String s) {
        int i = 0;
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return s.substring(i);
    }

    private static int firstBlank(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == ' ' || s.charAt(i) == '\t') {
                return i;
            }
        }
        return -1;
    }

    // ---- which lines apply --------------------------------------------------------------------------

    /** The name {@code ssh} looks up: {@code host}, or {@code [host]:port} unless the port is 0 or 22. */
    static String lookupName(String host, int port) {
        String h = host.toLowerCase(Locale.ROOT);
        return port == 0 || port == 22 ? h : "[" + h + "]:" + port;
    }

    /** The lines whose host field matches {@code name} (a {@link #lookupName}). */
    List<Line> linesFor(String name) {
        List<Line> out = new ArrayList<>();
        for (Line l : lines) {
            if (hostFieldMatches(name, l.hosts())) {
                out.add(l);
            }
        }
        return out;
    }

    /** {@code match_maybe_hashed}: one hashed name, or a pattern list with negation. */
    static boolean hostFieldMatches(String name, String field) {
        if (field.startsWith("|")) {
            String hashed = hashHostName(name, field);
            return hashed != null && hashed.equals(field);
        }
        return matchPatternList(name, field) == 1;
    }

    /** {@code host_hash}: {@code |1|salt|HMAC-SHA1(salt, name)} with the salt of {@code field}; null if malformed. */
    static String hashHostName(String name, String field) {
        if (!field.startsWith(HASH_MAGIC)) {
            return null;
        }
        int delim = field.indexOf('|', HASH_MAGIC.length());
        if (delim < 0 || delim == HASH_MAGIC.length()) {
            return null;
        }
        byte[] salt;
        try {
            salt = Base64.getDecoder().decode(field.substring(HASH_MAGIC.length(), delim));
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (salt.length != SALT_LENGTH) {
            return null;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(salt, "HmacSHA1"));
            byte[] hash = mac.doFinal(name.getBytes(StandardCharsets.UTF_8));
            Base64.Encoder b64 = Base64.getEncoder();
            return HASH_MAGIC + b64.encodeToString(salt) + "|" + b64.encodeToString(hash);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is required of every JVM", e);
        }
    }

    /**
     * {@code match_pattern_list(name, patterns, dolower=1)}: 1 when a pattern matches, -1 when a negated one
     * does (which wins), 0 otherwise.
     */
    static int matchPatternList(String name, String patterns) {
        boolean positive = false;
        int i = 0;
        int n = patterns.length();
        while (i < n) {
            boolean negated = patterns.charAt(i) == '!';
            if (negated) {
                i++;
            }
            int end = patterns.indexOf(',', i);
            if (end < 0) {
                end = n;
            }
            String sub = patterns.substring(i, end).toLowerCase(Locale.ROOT);
            if (sub.length() >= MAX_SUBPATTERN) {
                return 0;
            }
            i = end < n ? end + 1 : end;
            if (matchPattern(name, sub)) {
                if (negated) {
                    return -1;
                }
                positive = true;
            }
        }
        return positive ? 1 : 0;
    }

    /** {@code match_pattern}: the whole of {@code s} against {@code *} (any run) and {@code ?} (one character). */
    static boolean matchPattern(String s, String pattern) {
        return matchFrom(s, 0, pattern, 0);
    }

    private static boolean matchFrom(String s, int si, String p, int pi) {
        while (true) {
            if (pi == p.length()) {
                return si == s.length();
            }
            if (p.charAt(pi) == '*') {
                while (pi < p.length() && p.charAt(pi) == '*') {
                    pi++;
                }
                if (pi == p.length()) {
                    return true;
                }
                for (int k = si; k < s.length(); k++) {
                    if (matchFrom(s, k, p, pi)) {
                        return true;
                    }
                }
                return false;
            }
            if (si == s.length()) {
                return false;
            }
            if (p.charAt(pi) != '?' && p.charAt(pi) != s.charAt(si)) {
                return false;
            }
            si++;
            pi++;
        }
    }

    // ---- the decision ---------------------------------------------------------------------------------

    /**
     * Whether {@code ssh -o StrictHostKeyChecking=yes -p port host} accepts the presented host key (plain or
     * certificate) at {@code nowEpochSeconds}.
     */
    Verdict verify(String host, int port, PublicKey presented, long nowEpochSeconds) {
        String hostname = host.toLowerCase(Locale.ROOT);
        if (presented instanceof OpenSshCertificate cert) {
            String forged = caSignatureProblem(cert);
            if (forged != null) {
                // ssh rejects such a certificate while decoding it, before known_hosts is consulted
                return Verdict.refuse("host certificate of " + label(hostname, port) + " is malformed: " + forged);
            }
        }
        Attempt a = check(hostname, port, presented, false, nowEpochSeconds);
        return a.accepted ? Verdict.accept() : Verdict.refuse(a.reason(hostname, port, presented));
    }

    /** The outcome of {@code check_host_key} (possibly after retrying a certificate as its plain key). */
    private static final class Attempt {
        boolean accepted;
        Status status;
        String certificateProblem;
        boolean revokedCa;

        String reason(String hostname, int port, PublicKey presented) {
            String where = label(hostname, port);
            String fp = KeyUtils.getFingerPrint(plain(presented));
            String certNote = certificateProblem == null
                    ? ""
                    : " (its host certificate, signed by a @cert-authority of known_hosts, was refused: "
                            + certificateProblem + ")";
            return switch (status) {
                case REVOKED ->
                    revokedCa
                            ? "host certificate of " + where + " is signed by a certificate authority marked @revoked"
                                    + " in known_hosts; refusing to connect"
                            : "host key " + fp + " of " + where
                                    + " is marked @revoked in known_hosts; refusing to connect";
                case CHANGED ->
                    "host key of " + where + " has CHANGED: server presented " + fp
                            + ", which does not match known_hosts" + certNote
                            + "; refusing to connect (possible man-in-the-middle)";
                default ->
                    "host key of " + where + " is unknown: server presented " + fp
                            + " and known_hosts has no entry for this host" + certNote + "; refusing to connect";
            };
        }
    }

    /** {@code check_host_key}, returning whether the key was accepted and why not. */
    private Attempt check(String hostname, int port, PublicKey key, boolean withoutPort, long now) {
        List<Line> entries = linesFor(lookupName(hostname, withoutPort ? 0 : port));
        Attempt result = new Attempt();
        PublicKey k = key;
        while (true) {
            boolean wantCert = k instanceof OpenSshCertificate;
            Status status = status(entries, k);
            result.status = status;
            if (status == Status.OK) {
                if (!wantCert) {
                    result.accepted = true;
                    return result;
                }
                String problem = certificateProblem((OpenSshCertificate) k, hostname, now);
                if (problem == null) {
                    result.accepted = true;
                    return result;
                }
                result.certificateProblem = problem;
            } else if (status == Status.NEW && !withoutPort && port != 0 && port != 22) {
                Attempt bare = check(hostname, port, k, true, now);
                if (bare.accepted) {
                    return bare;
                }
            }
            if (status == Status.REVOKED) {
                result.revokedCa = wantCert && !isRevoked(entries, plain(k));
                return result;
            }
            if (!wantCert) {
                return result;
            }
            k = plain(k); // "No matching CA found. Retry with plain key"
        }
    }

    /** {@code check_hostkeys_by_key_or_type} for one presented key. */
    private static Status status(List<Line> entries, PublicKey k) {
        boolean wantCert = k instanceof OpenSshCertificate;
        Marker want = wantCert ? Marker.CERT_AUTHORITY : Marker.NONE;
        Status result = Status.NEW;
        for (Line l : entries) {
            if (l.marker() != want) {
                continue;
            }
            if (wantCert) {
                if (equalPublic(((OpenSshCertificate) k).getCaPubKey(), l.key())) {
                    result = Status.OK;
                    break;
                }
            } else {
                if (!(l.key() instanceof OpenSshCertificate) && equalPublic(k, l.key())) {
                    result = Status.OK;
                    break;
                }
                result = Status.CHANGED; // a non-matching key exists
            }
        }
        if (isRevoked(entries, k)) {
            return Status.REVOKED;
        }
        return result;
    }

    /** {@code check_key_not_revoked}: the key, or the CA that signed a certificate, is on a @revoked line. */
    private static boolean isRevoked(List<Line> entries, PublicKey k) {
        for (Line l : entries) {
            if (l.marker() != Marker.REVOKED) {
                continue;
            }
            if (equalPublic(k, l.key())) {
                return true;
            }
            if (k instanceof OpenSshCertificate c && equalPublic(c.getCaPubKey(), l.key())) {
                return true;
            }
        }
        return false;
    }

    /** {@code sshkey_equal_public}: same key type and material, ignoring any certificate around either. */
    static boolean equalPublic(PublicKey a, PublicKey b) {
        PublicKey pa = plain(a);
        PublicKey pb = plain(b);
        return KeyUtils.getKeyType(pa).equals(KeyUtils.getKeyType(pb)) && KeyUtils.compareKeys(pa, pb);
    }

    static PublicKey plain(PublicKey k) {
        return k instanceof OpenSshCertificate c ? c.getCertPubKey() : k;
    }

    /**
     * {@code sshkey_cert_check_host}, strictest of OpenSSH 8.9 to 10.3: a host certificate, inside its validity
     * window, listing {@code hostname} exactly among its principals, without critical options, signed with an
     * algorithm of {@link SshAlgorithms#CA_SIGNATURES}. Null when valid, else OpenSSH's reason.
     */
    static String certificateProblem(OpenSshCertificate cert, String hostname, long now) {
        if (cert.getType() != OpenSshCertificate.Type.HOST) {
            return "Certificate invalid: not a host certificate";
        }
        if (Long.compareUnsigned(now, cert.getValidAfter()) < 0) {
            return "Certificate invalid: not yet valid";
        }
        if (Long.compareUnsigned(now, cert.getValidBefore()) >= 0) {
            return "Certificate invalid: expired";
        }
        if (cert.getPrincipals() == null || cert.getPrincipals().isEmpty()) {
            return "Certificate lacks principal list";
        }
        if (!cert.getPrincipals().contains(hostname)) {
            return "Certificate invalid: name is not a listed principal";
        }
        if (cert.getCriticalOptions() != null && !cert.getCriticalOptions().isEmpty()) {
            return "Certificate contains unsupported critical options";
        }
        String alg = cert.getSignatureAlgorithm();
        if (SshAlgorithms.CA_SIGNATURES.stream().noneMatch(s -> s.getName().equals(alg))) {
            return "Certificate signed with disallowed algorithm";
        }
        return null;
    }

    /**
     * What {@code ssh} checks when it decodes a certificate ({@code cert_parse}): the CA's signature over the
     * certificate verifies, with an algorithm of the CA key's type. Null when it does.
     */
    static String caSignatureProblem(OpenSshCertificate cert) {
        PublicKey ca = cert.getCaPubKey();
        String alg = cert.getSignatureAlgorithm();
        BuiltinSignatures factory = alg == null ? null : BuiltinSignatures.fromFactoryName(alg);
        if (ca == null
                || factory == null
                || !factory.isSupported()
                || !KeyUtils.getKeyType(ca).equals(KeyUtils.getCanonicalKeyType(alg))) {
            return "unsupported CA signature algorithm " + alg;
        }
        try {
            Signature verifier = factory.create();
            verifier.initVerifier(null, ca);
            verifier.update(null, cert.getMessage());
            if (verifier.verify(null, cert.getSignature())) {
                return null;
            }
        } catch (Exception e) {
            // a signature that cannot be checked is as bad as a wrong one
        }
        return "the certificate authority's signature does not verify";
    }

    // ---- host key algorithm preference ----------------------------------------------------------------

    /**
     * {@code order_hostkeyalgs}: {@code defaults} as is when a plain line for {@code [host]:port} has the key
     * type of the first algorithm; otherwise the algorithms matching known keys (all certificate algorithms
     * when a @cert-authority line applies) first, the rest after, each group in {@code defaults} order. So a
     * server with several host keys presents the one known_hosts can confirm.
     */
    List<String> preferredAlgorithms(String host, int port, List<String> defaults) {
        List<Line> entries = linesFor(lookupName(host, port));
        if (defaults.isEmpty() || hasPlainKeyOfType(entries, KEY_TYPE_OF_ALGORITHM.get(defaults.get(0)))) {
            return defaults;
        }
        boolean ca = entries.stream().anyMatch(l -> l.marker() == Marker.CERT_AUTHORITY);
        List<String> first = new ArrayList<>();
        List<String> last = new ArrayList<>();
        for (String alg : defaults) {
            boolean cert = alg.contains("-cert-v01@openssh.com");
            if ((cert && ca) || hasPlainKeyOfType(entries, KEY_TYPE_OF_ALGORITHM.get(alg))) {
                first.add(alg);
            } else {
                last.add(alg);
            }
        }
        first.addAll(last);
        return first;
    }

    private static boolean hasPlainKeyOfType(List<Line> entries, String keyType) {
        return keyType != null
                && entries.stream()
                        .anyMatch(l -> l.marker() == Marker.NONE
                                && !(l.key() instanceof OpenSshCertificate)
                                && keyType.equals(KeyUtils.getKeyType(l.key())));
    }

    static String label(String hostname, int port) {
        return port == 22 ? hostname : "[" + hostname + "]:" + port;
    }
}
