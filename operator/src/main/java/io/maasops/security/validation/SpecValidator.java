package io.maasops.security.validation;

import io.maasops.security.api.v1alpha1.AppRoleSettings;
import io.maasops.security.api.v1alpha1.ConfigFilesSpec;
import io.maasops.security.api.v1alpha1.MaasRegionSpec;
import io.maasops.security.api.v1alpha1.MaasRole;
import io.maasops.security.api.v1alpha1.Patterns;
import io.maasops.security.api.v1alpha1.RoleBindingSpec;
import io.maasops.security.api.v1alpha1.Subject;
import io.maasops.security.api.v1alpha1.TlsSpec;
import io.maasops.security.api.v1alpha1.VaultIntegrationSpec;
import io.maasops.security.util.Durations;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the CRD schema cannot say (or what a stale CRD or a client that skips validation let
 * through), checked before any work. Each problem is a sentence a user can act on.
 */
public final class SpecValidator {

    /** The longest wrapTTL allowed (the CRD says the same). */
    public static final Duration MAX_WRAP_TTL = Duration.ofMinutes(15);

    private SpecValidator() {}

    public static List<String> validate(VaultIntegrationSpec spec) {
        List<String> p = new ArrayList<>();
        if (spec == null || spec.getVault() == null) {
            p.add("spec.vault is required");
            return p;
        }
        origin(p, "spec.vault.address", spec.getVault().getAddress(), true);
        origin(p, "spec.vault.regionAddress", spec.getVault().getRegionAddress(), false);
        tenancy(p, spec.getTenancy());
        var auth = spec.getVault().getAuth();
        int authCount =
                auth == null ? 0 : (auth.getKubernetes() != null ? 1 : 0) + (auth.getTokenSecretRef() != null ? 1 : 0);
        if (authCount != 1) {
            p.add("spec.vault.auth: set exactly one of kubernetes or tokenSecretRef");
        } else if (auth.getKubernetes() != null) {
            safePath(p, "spec.vault.auth.kubernetes.role", auth.getKubernetes().getRole());
            safePath(
                    p,
                    "spec.vault.auth.kubernetes.mountPath",
                    auth.getKubernetes().getMountPath());
        }
        String ns = spec.getVault().getNamespace();
        if (ns != null && !ns.isEmpty() && !SafeValues.isSafeName(ns)) {
            p.add("spec.vault.namespace '" + ns + "' is not a safe name");
        }
        AppRoleSettings a = spec.getAppRole() == null ? new AppRoleSettings() : spec.getAppRole();
        Duration ttl = duration(p, "spec.appRole.tokenTTL", a.getTokenTTL());
        Duration max = duration(p, "spec.appRole.tokenMaxTTL", a.getTokenMaxTTL());
        Duration wrap = duration(p, "spec.appRole.wrapTTL", a.getWrapTTL());
        if (ttl != null && ttl.toSeconds() < 1) {
            p.add("spec.appRole.tokenTTL must be at least 1s");
        }
        if (ttl != null && max != null && !max.isZero() && max.compareTo(ttl) < 0) {
            p.add("spec.appRole.tokenMaxTTL (" + a.getTokenMaxTTL() + ") must not be shorter than tokenTTL ("
                    + a.getTokenTTL() + ")");
        }
        if (wrap != null && (wrap.toSeconds() < 1 || wrap.compareTo(MAX_WRAP_TTL) > 0)) {
            // a wrapped secret-id is in transit only for the seconds a configure takes; a long TTL only
            // widens the window in which an intercepted token is still worth something
            p.add("spec.appRole.wrapTTL must be between 1s and 15m");
        }
        cidrs(p, "spec.appRole.tokenBoundCIDRs", a.getTokenBoundCIDRs());
        cidrs(p, "spec.appRole.secretIdBoundCIDRs", a.getSecretIdBoundCIDRs());
        if (spec.getSecrets() != null) {
            safePath(p, "spec.secrets.mount", spec.getSecrets().getMount());
            safePath(p, "spec.secrets.path", spec.getSecrets().getPath());
        }
        String policy = spec.getPolicyName();
        if (policy != null && !policy.isEmpty() && !SafeValues.isSafeName(policy)) {
            p.add("spec.policyName '" + policy + "' is not a safe name");
        }
        if (spec.getRotation() != null) {
            Duration rot = duration(
                    p,
                    "spec.rotation.secretIdRotationPeriod",
                    spec.getRotation().getSecretIdRotationPeriod());
            if (rot != null && !rot.isZero() && rot.toMinutes() < 10) {
                p.add("spec.rotation.secretIdRotationPeriod must be 0s (never) or at least 10m");
            }
            Integer maxUnavailable = spec.getRotation().getMaxUnavailable();
            if (maxUnavailable != null && (maxUnavailable < 1 || maxUnavailable > 1000)) {
                p.add("spec.rotation.maxUnavailable must be between 1 and 1000");
            }
        }
        return p;
    }

    public static List<String> validate(MaasRegionSpec spec) {
        List<String> p = new ArrayList<>();
        if (spec == null) {
            p.add("spec is required");
            return p;
        }
        if (spec.getVaultIntegrationRef() == null
                || spec.getVaultIntegrationRef().getName() == null) {
            p.add("spec.vaultIntegrationRef.name is required");
        }
        if (!SafeValues.isHostname(spec.getHostname())) {
            p.add("spec.hostname '" + spec.getHostname() + "' is not a valid host name");
        }
        var access = spec.getAccess();
        int n = access == null ? 0 : (access.getSsh() != null ? 1 : 0) + (access.getPod() != null ? 1 : 0);
        if (n != 1) {
            p.add("spec.access: set exactly one of ssh or pod");
        } else if (access.getSsh() != null) {
            var ssh = access.getSsh();
            if (ssh.getPrivateKeySecretRef() == null) {
                p.add("spec.access.ssh.privateKeySecretRef is required");
            }
            if (ssh.getKnownHostsSecretRef() == null) {
                p.add("spec.access.ssh.knownHostsSecretRef is required: the operator always verifies the host key");
            }
            if (ssh.getUser() == null || !SafeValues.isPosixName(ssh.getUser())) {
                p.add("spec.access.ssh.user '" + ssh.getUser() + "' is not a valid user name");
            }
            if (ssh.getPort() != null && (ssh.getPort() < 1 || ssh.getPort() > 65535)) {
                p.add("spec.access.ssh.port must be 1..65535");
            }
        }
        ConfigFilesSpec files = spec.getConfigFiles();
        if (files != null) {
            if (files.getOwner() != null && !SafeValues.isPosixName(files.getOwner())) {
                p.add("spec.configFiles.owner '" + files.getOwner() + "' is not a valid user name");
            }
            if (files.getGroup() != null && !SafeValues.isPosixName(files.getGroup())) {
                p.add("spec.configFiles.group '" + files.getGroup() + "' is not a valid group name");
            }
            if (files.getMode() != null && !SafeValues.isConfigFileMode(files.getMode())) {
                p.add("spec.configFiles.mode '" + excerpt(files.getMode())
                        + "' is not an octal mode without bits for others"
                        + " and without setuid, setgid or sticky bit, like 0640 (the operator sets it as root)");
            }
            if (files.getPaths() != null) {
                if (files.getPaths().size() > Patterns.CONFIG_FILE_PATHS_MAX) {
                    p.add("spec.configFiles.paths lists " + files.getPaths().size() + " files; at most "
                            + Patterns.CONFIG_FILE_PATHS_MAX);
                }
                for (String path : files.getPaths().stream()
                        .limit(Patterns.CONFIG_FILE_PATHS_MAX)
                        .toList()) {
                    if (!SafeValues.isConfigFilePath(path)) {
                        p.add(
                                "spec.configFiles.paths: '" + excerpt(path)
                                        + "' is not a file inside /etc/maas/, /var/lib/maas/"
                                        + " or /var/snap/maas/ (at most " + Patterns.CONFIG_FILE_PATH_MAX
                                        + " characters; letters, digits, '_', '@', '-',"
                                        + " single '.' inside names, no '..', '//' or trailing '/'); the operator changes only MAAS's own files");
                    }
                }
            }
            Duration every = duration(p, "spec.configFiles.checkInterval", files.getCheckInterval());
            if (every != null && every.toSeconds() < 30) {
                p.add("spec.configFiles.checkInterval must be at least 30s");
            }
        }
        if (spec.getApi() != null) {
            url(p, "spec.api.url", spec.getApi().getUrl(), true);
            if (spec.getApi().getApiKeySecretRef() == null) {
                p.add("spec.api.apiKeySecretRef is required");
            }
        }
        TlsSpec tls = spec.getTls();
        if (tls != null) {
            if (tls.getCertificateSecretRef() == null
                    && (tls.getEndpoint() == null || tls.getEndpoint().isEmpty())) {
                p.add("spec.tls: set certificateSecretRef, endpoint or both");
            }
            if (tls.getReminderDays() != null && (tls.getReminderDays() < 1 || tls.getReminderDays() > 90)) {
                p.add("spec.tls.reminderDays must be 1..90");
            }
            Duration every = duration(p, "spec.tls.checkInterval", tls.getCheckInterval());
            if (every != null && every.toMinutes() < 1) {
                p.add("spec.tls.checkInterval must be at least 1m");
            }
            if (Boolean.TRUE.equals(tls.getNotifyMaas()) && spec.getApi() == null) {
                p.add("spec.tls.notifyMaas needs spec.api (the MAAS API to post the notification to)");
            }
        }
        return p;
    }

    public static List<String> validate(RoleBindingSpec spec) {
        List<String> p = new ArrayList<>();
        if (spec == null) {
            p.add("spec is required");
            return p;
        }
        if (spec.getMaasRegionRef() == null || spec.getMaasRegionRef().getName() == null) {
            p.add("spec.maasRegionRef.name is required");
        }
        if (spec.getRole() == null) {
            p.add("spec.role must be one of Administrator, Operator, User, Auditor");
        }
        List<String> pools = spec.getResourcePools() == null ? List.of() : spec.getResourcePools();
        if (spec.getRole() == MaasRole.Administrator && !pools.isEmpty()) {
            p.add("spec.resourcePools is not allowed for Administrator (it is MAAS-wide)");
        } else if (spec.getRole() != null && spec.getRole() != MaasRole.Administrator && pools.isEmpty()) {
            p.add("spec.resourcePools is required for " + spec.getRole());
        }
        for (String pool : pools) {
            if (!SafeValues.isPoolName(pool)) {
                p.add("spec.resourcePools: '" + pool + "' is not a valid pool name");
            }
        }
        if (spec.getSubjects() == null || spec.getSubjects().isEmpty()) {
            p.add("spec.subjects needs at least one user");
        } else {
            Set<String> seen = new HashSet<>();
            for (Subject s : spec.getSubjects()) {
                if (s.getKind() != null && !"User".equals(s.getKind())) {
                    p.add("spec.subjects: kind '" + s.getKind() + "' is not supported (only User)");
                }
                if (!SafeValues.isUsername(s.getName())) {
                    p.add("spec.subjects: '" + s.getName() + "' is not a valid MAAS username");
                } else if (!seen.add(s.getName())) {
                    p.add("spec.subjects: '" + s.getName() + "' is listed twice");
                }
            }
        }
        return p;
    }

    private static void tenancy(List<String> p, io.maasops.security.api.v1alpha1.TenancySettings t) {
        if (t == null
                || t.getAllowedNamespaces() == null
                || t.getAllowedNamespaces().isEmpty()) {
            p.add(
                    "spec.tenancy.allowedNamespaces is required: name the namespaces that may use this deployment (\"*\" for all)");
            return;
        }
        entries(p, "spec.tenancy.allowedNamespaces", t.getAllowedNamespaces(), 63, SafeValues::isNamespaceOrStar);
        entries(p, "spec.tenancy.allowedSshHosts", t.getAllowedSshHosts(), 253, SafeValues::isHostOrCidrEntry);
        entries(p, "spec.tenancy.allowedMaasApiUrls", t.getAllowedMaasApiUrls(), 2048, SafeValues::isUrlPrefix);
        entries(p, "spec.tenancy.allowedTlsEndpoints", t.getAllowedTlsEndpoints(), 260, SafeValues::isEndpointEntry);
    }

    private static void entries(
            List<String> p,
            String field,
            List<String> values,
            int maxLength,
            java.util.function.Predicate<String> valid) {
        if (values == null) {
            return;
        }
        for (String v : values) {
            if (v == null || v.length() > maxLength || !valid.test(v)) {
                p.add(field + ": '" + excerpt(v) + "' is not a valid entry");
            }
        }
    }

    /** scheme://host[:port] and nothing else (see Patterns.HTTP_ORIGIN). */
    private static void origin(List<String> p, String field, String value, boolean required) {
        url(p, field, value, required);
        if (value != null && !value.isEmpty() && !SafeValues.isHttpOrigin(value)) {
            p.add(field + " '" + excerpt(value)
                    + "' must be scheme://host[:port] only (no path, user info, query or fragment)");
        }
    }

    /** A value as it may appear in a message: long ones cut (a condition message is bounded). */
    private static String excerpt(String v) {
        return v == null || v.length() <= 80 ? v : v.substring(0, 60) + "... (" + v.length() + " characters)";
    }

    private static void url(List<String> p, String field, String value, boolean required) {
        if (value == null || value.isEmpty()) {
            if (required) {
                p.add(field + " is required");
            }
            return;
        }
        try {
            URI u = URI.create(value);
            if (!("https".equals(u.getScheme()) || "http".equals(u.getScheme())) || u.getHost() == null) {
                p.add(field + " '" + excerpt(value) + "' is not an http(s) URL with a host");
            } else if (u.getRawUserInfo() != null || u.getRawQuery() != null || u.getRawFragment() != null) {
                p.add(field + " '" + excerpt(value) + "' must not have user info, a query or a fragment");
            }
        } catch (IllegalArgumentException e) {
            p.add(field + " '" + excerpt(value) + "' is not a valid URL");
        }
    }

    private static void safePath(List<String> p, String field, String value) {
        if (value != null && !SafeValues.isSafePath(value)) {
            p.add(field + " '" + value + "' is not a safe path (no '*', '+', '..', empty segments, spaces or quotes)");
        }
    }

    private static void cidrs(List<String> p, String field, List<String> values) {
        if (values == null) {
            return;
        }
        for (String v : values) {
            if (!SafeValues.isCidr(v)) {
                p.add(field + ": '" + v + "' is not a CIDR block");
            }
        }
    }

    private static Duration duration(List<String> p, String field, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            p.add(field + ": " + e.getMessage());
            return null;
        }
    }
}
