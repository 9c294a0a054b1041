package io.maasops.security.api;

import java.util.List;

/**
 * Malformed custom resources and what must refuse them. SCHEMA cases are refused by the CRD
 * schema (OpenAPI + CEL); `expect` is a fragment of the refusal. The list is also the table in
 * docs/bad-input.md.
 */
public final class BadInputCatalogue {

    private BadInputCatalogue() {}

    public record Case(String name, String yaml, String expect) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final String VI = """
      apiVersion: security.maasops.io/v1alpha1
      kind: VaultIntegration
      metadata: {name: maas}
      spec:
        tenancy:
          allowedNamespaces: [maas]
        vault:
          address: https://vault.example:8200
          auth:
            tokenSecretRef: {name: vault-token, key: token}
        appRole: {tokenTTL: 5m, tokenMaxTTL: 30m, wrapTTL: 5m}
        secrets: {mount: secret, path: maas}
        policyName: maas-policy
      """;

    static final String MR = """
      apiVersion: security.maasops.io/v1alpha1
      kind: MaasRegion
      metadata: {name: region-a}
      spec:
        vaultIntegrationRef: {name: maas}
        hostname: region-a
        installation: snap
        access:
          ssh:
            host: 10.0.0.11
            user: ubuntu
            privateKeySecretRef: {name: region-ssh, key: id_ed25519}
            knownHostsSecretRef: {name: maas-known-hosts, key: known_hosts}
        configFiles: {mode: "0640", owner: root, group: maas}
        tls: {endpoint: "maas.example:5443", reminderDays: 30}
      """;

    static final String RB = """
      apiVersion: security.maasops.io/v1alpha1
      kind: RoleBinding
      metadata: {name: ops}
      spec:
        maasRegionRef: {name: region-a}
        role: Operator
        subjects: [{kind: User, name: alice}]
        resourcePools: [production]
      """;

    private static Case c(String name, String base, String from, String to, String expect) {
        if (!base.contains(from)) {
            throw new IllegalArgumentException(name + ": base has no '" + from + "'");
        }
        return new Case(name, base.replace(from, to), expect);
    }

    private static final String FILES = "configFiles: {mode: \"0640\", owner: root, group: maas}";

    private static Case files(String name, String configFiles, String expect) {
        return c(name, MR, FILES, "configFiles: " + configFiles, expect);
    }

    /**
     * spec.configFiles values that would turn the operator's root chown/chmod against the host (the
     * "Trust boundary" issue). Also run past the schema against the operator, which must refuse them
     * with InvalidSpec before any command ({@code concern.files.ConfigFilesTrustBoundaryTest}).
     */
    public static final List<Case> CONFIG_FILES = List.of(
            files("config file outside MAAS's directories", "{paths: [/etc/shadow]}", "pattern"),
            files("config file climbing out of /etc/maas with ..", "{paths: [/etc/maas/../shadow]}", "pattern"),
            files("config file that is MAAS's directory itself", "{paths: [/var/lib/maas]}", "pattern"),
            files("config file with a trailing slash", "{paths: [/etc/maas/]}", "pattern"),
            files("config file with an empty segment", "{paths: [/etc/maas//regiond.conf]}", "pattern"),
            files("config file of 1200 characters", "{paths: [/var/lib/maas/" + "a".repeat(1186) + "]}", "256"),
            files(
                    "33 config files",
                    "{paths: [" + String.join(", ", java.util.Collections.nCopies(33, "/etc/maas/regiond.conf")) + "]}",
                    "32"),
            files("world-writable file mode", "{mode: \"0666\"}", "pattern"),
            files("world-readable file mode", "{mode: \"0644\"}", "pattern"),
            files("setuid file mode", "{mode: \"4750\"}", "pattern"),
            files("setgid file mode", "{mode: \"2750\"}", "pattern"),
            files("sticky file mode", "{mode: \"1640\"}", "pattern"));

    public static final List<Case> SCHEMA = java.util.stream.Stream.concat(
                    List.of(
                            c("secrets path with a glob", VI, "path: maas}", "path: 'maas/*'}", "pattern"),
                            c("secrets path with a plus segment", VI, "path: maas}", "path: 'maas/+/x'}", "pattern"),
                            c("secrets path climbing with ..", VI, "path: maas}", "path: 'maas/../sys'}", "pattern"),
                            c("secrets path with an empty segment", VI, "path: maas}", "path: 'maas//x'}", "pattern"),
                            c("secrets path with a space", VI, "path: maas}", "path: 'maas x'}", "pattern"),
                            c("secrets path with a quote", VI, "path: maas}", "path: 'maas\"x'}", "pattern"),
                            c(
                                    "secrets mount with a trailing slash",
                                    VI,
                                    "mount: secret,",
                                    "mount: 'secret/',",
                                    "pattern"),
                            c(
                                    "approle mount (MAAS only logs in at approle/)",
                                    VI,
                                    "tokenTTL: 5m,",
                                    "mountPath: other, tokenTTL: 5m,",
                                    "mountpath"),
                            c("secrets path starting with a dash", VI, "path: maas}", "path: '-maas'}", "pattern"),
                            c(
                                    "secrets path segment starting with a dash",
                                    VI,
                                    "path: maas}",
                                    "path: 'maas/--yes'}",
                                    "pattern"),
                            c("wrap TTL above 15m", VI, "wrapTTL: 5m", "wrapTTL: 1h", "between 1s and 15m"),
                            c("no tenancy", VI, "  tenancy:\n    allowedNamespaces: [maas]\n", "", "tenancy"),
                            c(
                                    "empty namespace allow-list",
                                    VI,
                                    "allowedNamespaces: [maas]",
                                    "allowedNamespaces: []",
                                    "at least 1"),
                            c(
                                    "namespace allow-list with a glob",
                                    VI,
                                    "allowedNamespaces: [maas]",
                                    "allowedNamespaces: ['maas-*']",
                                    "pattern"),
                            c(
                                    "ssh host allow-list with shell syntax",
                                    VI,
                                    "allowedNamespaces: [maas]",
                                    "allowedNamespaces: [maas]\n    allowedSshHosts: ['$(id)']",
                                    "pattern"),
                            c(
                                    "vault address with a path",
                                    VI,
                                    "address: https://vault.example:8200",
                                    "address: https://vault.example:8200/v1/sys",
                                    "pattern"),
                            c(
                                    "vault address with a query",
                                    VI,
                                    "address: https://vault.example:8200",
                                    "address: 'https://evil.example/?x=https://vault.example:8200'",
                                    "pattern"),
                            c(
                                    "vault address with a fragment",
                                    VI,
                                    "address: https://vault.example:8200",
                                    "address: 'https://evil.example#vault.example'",
                                    "pattern"),
                            c(
                                    "vault address with user info",
                                    VI,
                                    "address: https://vault.example:8200",
                                    "address: 'https://vault.example:8200@evil.example'",
                                    "pattern"),
                            c(
                                    "policy name with a slash",
                                    VI,
                                    "policyName: maas-policy",
                                    "policyName: 'maas/policy'",
                                    "pattern"),
                            c(
                                    "policy name with a newline",
                                    VI,
                                    "policyName: maas-policy",
                                    "policyName: \"maas\\npath\"",
                                    "pattern"),
                            c("duration without a unit", VI, "tokenTTL: 5m", "tokenTTL: '300'", "pattern"),
                            c("duration in days", VI, "wrapTTL: 5m", "wrapTTL: 1d", "pattern"),
                            c("negative duration", VI, "tokenMaxTTL: 30m", "tokenMaxTTL: -30m", "pattern"),
                            c(
                                    "vault address without scheme",
                                    VI,
                                    "address: https://vault.example:8200",
                                    "address: vault.example:8200",
                                    "pattern"),
                            c("vault address missing", VI, "    address: https://vault.example:8200\n", "", "required"),
                            c(
                                    "both auth methods",
                                    VI,
                                    "tokenSecretRef: {name: vault-token, key: token}",
                                    "tokenSecretRef: {name: vault-token, key: token}\n      kubernetes: {role: maas}",
                                    "exactly one of kubernetes or tokenSecretRef"),
                            c(
                                    "no auth method",
                                    VI,
                                    "tokenSecretRef: {name: vault-token, key: token}",
                                    "{}",
                                    "exactly one of kubernetes or tokenSecretRef"),
                            c(
                                    "secret ref with an upper-case name",
                                    VI,
                                    "name: vault-token",
                                    "name: Vault_Token",
                                    "pattern"),
                            c(
                                    "secret ref without a key",
                                    VI,
                                    "{name: vault-token, key: token}",
                                    "{name: vault-token}",
                                    "required"),
                            c(
                                    "unknown deletion policy",
                                    VI,
                                    "policyName: maas-policy",
                                    "policyName: maas-policy\n  deletionPolicy: Purge",
                                    "enum"),
                            c(
                                    "unknown migration mode",
                                    VI,
                                    "policyName: maas-policy",
                                    "policyName: maas-policy\n  migration: {mode: Sometimes}",
                                    "enum"),
                            c(
                                    "misspelt field (strict)",
                                    VI,
                                    "policyName: maas-policy",
                                    "policyname: maas-policy",
                                    "policyname"),
                            c(
                                    "region hostname with a space",
                                    MR,
                                    "hostname: region-a",
                                    "hostname: 'region a'",
                                    "pattern"),
                            c(
                                    "region hostname with a glob",
                                    MR,
                                    "hostname: region-a",
                                    "hostname: 'region-*'",
                                    "pattern"),
                            c(
                                    "region hostname with shell syntax",
                                    MR,
                                    "hostname: region-a",
                                    "hostname: 'a;reboot'",
                                    "pattern"),
                            c("unknown installation", MR, "installation: snap", "installation: rpm", "enum"),
                            c(
                                    "ssh and pod both",
                                    MR,
                                    "configFiles:",
                                    "  pod: {name: maas-0}\n  configFiles:",
                                    "exactly one of ssh or pod"),
                            c(
                                    "no access at all",
                                    MR,
                                    "    ssh:\n      host: 10.0.0.11\n      user: ubuntu\n      privateKeySecretRef: {name: region-ssh, key: id_ed25519}\n      knownHostsSecretRef: {name: maas-known-hosts, key: known_hosts}\n",
                                    "    {}\n",
                                    "exactly one of ssh or pod"),
                            c(
                                    "ssh without known_hosts",
                                    MR,
                                    "      knownHostsSecretRef: {name: maas-known-hosts, key: known_hosts}\n",
                                    "",
                                    "knownHostsSecretRef"),
                            c(
                                    "ssh port out of range",
                                    MR,
                                    "host: 10.0.0.11",
                                    "host: 10.0.0.11\n      port: 70000",
                                    "maximum"),
                            c("ssh host with shell syntax", MR, "host: 10.0.0.11", "host: '$(reboot)'", "pattern"),
                            c(
                                    "pod exec into another namespace",
                                    MR,
                                    "configFiles:",
                                    "  pod: {name: maas-0, namespace: kube-system}\n  configFiles:",
                                    "namespace"),
                            c(
                                    "maas api url with a query",
                                    MR,
                                    "configFiles:",
                                    "api: {url: 'https://maas.example/MAAS?x=1', apiKeySecretRef: {name: k, key: k}}\n  configFiles:",
                                    "pattern"),
                            c("ssh user with a space", MR, "user: ubuntu", "user: 'ubuntu root'", "pattern"),
                            c("file mode not octal", MR, "mode: \"0640\"", "mode: \"0999\"", "pattern"),
                            c("file mode as a word", MR, "mode: \"0640\"", "mode: rw-r-----", "pattern"),
                            c("owner with a colon", MR, "owner: root", "owner: 'root:root'", "pattern"),
                            c("reminder days zero", MR, "reminderDays: 30", "reminderDays: 0", "minimum"),
                            c("reminder days above MAAS's 90", MR, "reminderDays: 30", "reminderDays: 91", "maximum"),
                            c(
                                    "tls without a source",
                                    MR,
                                    "tls: {endpoint: \"maas.example:5443\", reminderDays: 30}",
                                    "tls: {reminderDays: 30}",
                                    "set certificateSecretRef, endpoint or both"),
                            c(
                                    "tls endpoint without a port",
                                    MR,
                                    "endpoint: \"maas.example:5443\"",
                                    "endpoint: maas.example",
                                    "pattern"),
                            c(
                                    "region without an integration ref",
                                    MR,
                                    "  vaultIntegrationRef: {name: maas}\n",
                                    "",
                                    "vaultIntegrationRef"),
                            c("unknown role", RB, "role: Operator", "role: Superuser", "enum"),
                            c(
                                    "pools on an Administrator",
                                    RB,
                                    "role: Operator",
                                    "role: Administrator",
                                    "not allowed for Administrator"),
                            c(
                                    "Operator without pools",
                                    RB,
                                    "  resourcePools: [production]\n",
                                    "",
                                    "required for Operator"),
                            c(
                                    "Auditor with an empty pool list",
                                    RB.replace("role: Operator", "role: Auditor"),
                                    "resourcePools: [production]",
                                    "resourcePools: []",
                                    "required for Operator"),
                            c(
                                    "binding without subjects",
                                    RB,
                                    "subjects: [{kind: User, name: alice}]",
                                    "subjects: []",
                                    "at least 1"),
                            c("subject of kind Group", RB, "kind: User", "kind: Group", "pattern"),
                            c("username with a space", RB, "name: alice}", "name: 'alice smith'}", "pattern"))
                            .stream(),
                    CONFIG_FILES.stream())
            .toList();
}
