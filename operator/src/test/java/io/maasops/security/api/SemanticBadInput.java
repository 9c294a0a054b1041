package io.maasops.security.api;

import java.util.List;

/**
 * Custom resources that the CRD schema accepts but the operator must refuse with a clear status
 * and no Vault write (issue 11). Each case says what it sets up around the resource and which
 * reason and message fragment a False condition must carry. Run by
 * {@code reliability.SemanticBadInputTest}; listed with the schema cases in docs/bad-input.md.
 */
public final class SemanticBadInput {

    private SemanticBadInput() {}

    /** What exists in the namespace besides the resource under test. */
    public enum Setup {
        /** nothing: no Secret, no integration */
        NOTHING,
        /** the testbed's Secrets only */
        SECRETS,
        /** the testbed's Secrets and a Ready VaultIntegration "maas" */
        INTEGRATION,
        /** Secrets, integration and a Ready MaasRegion "region-a" (with spec.api) */
        REGION
    }

    /**
     * @param kind VaultIntegration, MaasRegion or RoleBinding; the resource is named "bad"
     * @param yaml the resource's spec (indented under spec:), with %VAULT%, %SSH_HOST%, %SSH_PORT%,
     *     %API% placeholders filled from the testbed
     * @param secrets extra Secrets, "name/key=value" (value "GARBAGE" = an invalid private key; a
     *     VaultIntegration's are created in the operator's namespace), or a set-up the Secrets cannot
     *     express ("KV1:mount", "REGION_WITHOUT_API:name", "ALLOW_ONLY:namespace", "ALLOW_SSH:entry")
     * @param reason the reason of a False condition (Ready or the part's own)
     * @param message a fragment of that condition's message
     * @param refusedBy what refuses it, for the docs
     */
    public record Case(
            String name,
            Setup setup,
            String kind,
            String yaml,
            List<String> secrets,
            String reason,
            String message,
            String refusedBy) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final String VI_SPEC = """
        tenancy: {allowedNamespaces: ["*"]}
        vault:
          address: %VAULT%
          allowInsecureHttp: %INSECURE%
          auth:
            tokenSecretRef: {name: %TOKEN_SECRET%, key: %TOKEN_KEY%}
        appRole: {tokenTTL: %TTL%, tokenMaxTTL: %MAXTTL%, wrapTTL: %WRAP%}
        rotation: {secretIdRotationPeriod: %ROTATE%}
        migration: {mode: Manual, approved: false}
      """;

    static final String MR_SPEC = """
        vaultIntegrationRef: {name: %VI%}
        hostname: region-b
        installation: snap
        access:
          ssh:
            host: 127.0.0.1
            port: %SSH_PORT%
            user: ubuntu
            sudo: true
            privateKeySecretRef: {name: %KEY_SECRET%, key: id_ed25519}
            knownHostsSecretRef: {name: %KH_SECRET%, key: %KH_KEY%}
      """;

    static final String RB_SPEC = """
        maasRegionRef: {name: %REGION%}
        role: %ROLE%
        subjects: [{kind: User, name: %USER%}]
        resourcePools: [%POOL%]
      """;

    private static String vi(String... kv) {
        return fill(
                fill(VI_SPEC, new String[] {"%INSECURE%", "true"}, kv),
                "%TOKEN_SECRET%",
                "vault-token",
                "%TOKEN_KEY%",
                "token",
                "%TTL%",
                "5m",
                "%MAXTTL%",
                "30m",
                "%WRAP%",
                "5m",
                "%ROTATE%",
                "0s",
                kv);
    }

    private static String mr(String... kv) {
        return fill(
                MR_SPEC,
                "%VI%",
                "maas",
                "%KEY_SECRET%",
                "region-ssh",
                "%KH_SECRET%",
                "maas-known-hosts",
                "%KH_KEY%",
                "known_hosts",
                kv);
    }

    private static String rb(String... kv) {
        return fill(
                RB_SPEC, "%REGION%", "region-a", "%ROLE%", "Operator", "%USER%", "alice", "%POOL%", "production", kv);
    }

    /** Defaults (pairs before {@code kv}) overridden by {@code kv} pairs. */
    private static String fill(
            String template,
            String d1,
            String v1,
            String d2,
            String v2,
            String d3,
            String v3,
            String d4,
            String v4,
            String[] kv) {
        return fill(template, new String[] {d1, v1, d2, v2, d3, v3, d4, v4}, kv);
    }

    private static String fill(
            String template,
            String d1,
            String v1,
            String d2,
            String v2,
            String d3,
            String v3,
            String d4,
            String v4,
            String d5,
            String v5,
            String d6,
            String v6,
            String[] kv) {
        return fill(template, new String[] {d1, v1, d2, v2, d3, v3, d4, v4, d5, v5, d6, v6}, kv);
    }

    private static String fill(String template, String[] defaults, String[] kv) {
        String s = template;
        for (int i = 0; i < kv.length; i += 2) {
            s = s.replace(kv[i], kv[i + 1]);
        }
        for (int i = 0; i < defaults.length; i += 2) {
            s = s.replace(defaults[i], defaults[i + 1]);
        }
        return s;
    }

    private static Case c(
            String name,
            Setup setup,
            String kind,
            String yaml,
            List<String> secrets,
            String reason,
            String message,
            String refusedBy) {
        return new Case(name, setup, kind, yaml, secrets, reason, message, refusedBy);
    }

    public static final List<Case> CASES = List.of(
            // ---- VaultIntegration
            c(
                    "Vault token Secret missing",
                    Setup.NOTHING,
                    "VaultIntegration",
                    vi(),
                    List.of(),
                    "SecretNotFound",
                    "does not exist",
                    "operator: Secret lookup"),
            c(
                    "Vault token Secret without the named key",
                    Setup.NOTHING,
                    "VaultIntegration",
                    vi("%TOKEN_KEY%", "vault-token"),
                    List.of("vault-token/token=x"),
                    "SecretKeyNotFound",
                    "has no key \"vault-token\"",
                    "operator: Secret lookup"),
            c(
                    "Vault token Secret with an empty value",
                    Setup.NOTHING,
                    "VaultIntegration",
                    vi(),
                    List.of("vault-token/token= "),
                    "SecretKeyEmpty",
                    "is empty",
                    "operator: Secret lookup"),
            c(
                    "tokenMaxTTL shorter than tokenTTL",
                    Setup.SECRETS,
                    "VaultIntegration",
                    vi("%TTL%", "10m", "%MAXTTL%", "5m"),
                    List.of(),
                    "InvalidSpec",
                    "tokenMaxTTL",
                    "operator: SpecValidator"),
            c(
                    "Vault address over plain http without the admin's allowance",
                    Setup.SECRETS,
                    "VaultIntegration",
                    vi("%INSECURE%", "false"),
                    List.of(),
                    "InsecureVaultNotAllowed",
                    "allowInsecureHttp",
                    "operator: IntegrationVault (before any connection)"),
            c(
                    "tokenTTL of zero",
                    Setup.SECRETS,
                    "VaultIntegration",
                    vi("%TTL%", "0s"),
                    List.of(),
                    "InvalidSpec",
                    "tokenTTL",
                    "operator: SpecValidator"),
            c(
                    "rotation period too short",
                    Setup.SECRETS,
                    "VaultIntegration",
                    vi("%ROTATE%", "5m"),
                    List.of(),
                    "InvalidSpec",
                    "secretIdRotationPeriod",
                    "operator: SpecValidator"),
            c(
                    "Vault token lacking permissions",
                    Setup.SECRETS,
                    "VaultIntegration",
                    vi("%TOKEN_SECRET%", "weak-token"),
                    List.of("weak-token/token=WEAK"),
                    "PermissionDenied",
                    "permission denied",
                    "Vault (403), reported by VaultSetup"),
            c(
                    "Vault token that Vault does not know",
                    Setup.SECRETS,
                    "VaultIntegration",
                    vi("%TOKEN_SECRET%", "bogus-token"),
                    List.of("bogus-token/token=hvs.not-a-real-token"),
                    "PermissionDenied",
                    "Vault does not know the operator's token",
                    "Vault (403), reported by VaultSetup"),
            c(
                    "kv version 1 at spec.secrets.mount",
                    Setup.SECRETS,
                    "VaultIntegration",
                    vi() + "  secrets: {mount: kv1, path: maas}\n",
                    List.of("KV1:kv1"),
                    "InvalidRequest",
                    "kv version 1",
                    "operator: VaultGateway.ensureKvV2Mount"),
            c(
                    "Vault address nobody listens on",
                    Setup.SECRETS,
                    "VaultIntegration",
                    vi("%VAULT%", "http://127.0.0.1:1"),
                    List.of(),
                    "Unreachable",
                    "cannot reach Vault at http://127.0.0.1:1",
                    "operator: VaultSetup (Unreachable, backs off)"),
            // ---- MaasRegion
            c(
                    "unknown VaultIntegration reference",
                    Setup.INTEGRATION,
                    "MaasRegion",
                    mr("%VI%", "no-such-integration"),
                    List.of(),
                    "VaultIntegrationNotFound",
                    "no-such-integration",
                    "operator: MaasRegionController"),
            c(
                    "SSH key Secret missing",
                    Setup.INTEGRATION,
                    "MaasRegion",
                    mr("%KEY_SECRET%", "no-such-key"),
                    List.of(),
                    "SecretNotFound",
                    "no-such-key",
                    "operator: RegionSecrets"),
            c(
                    "SSH key Secret holding garbage",
                    Setup.INTEGRATION,
                    "MaasRegion",
                    mr("%KEY_SECRET%", "garbage-key"),
                    List.of("garbage-key/id_ed25519=GARBAGE"),
                    "InvalidCredentials",
                    "private key could not be read",
                    "operator: SshCredentials"),
            c(
                    "known_hosts Secret with the wrong key",
                    Setup.INTEGRATION,
                    "MaasRegion",
                    mr("%KH_KEY%", "hosts"),
                    List.of(),
                    "SecretKeyNotFound",
                    "has no key \"hosts\"",
                    "operator: RegionSecrets"),
            c(
                    "known_hosts without this host",
                    Setup.INTEGRATION,
                    "MaasRegion",
                    mr("%KH_SECRET%", "other-hosts"),
                    List.of("other-hosts/known_hosts=OTHER_HOST"),
                    "HostKeyRejected",
                    "does not match known_hosts",
                    "operator: KnownHostsVerifier"),
            c(
                    "unreachable SSH port",
                    Setup.INTEGRATION,
                    "MaasRegion",
                    mr("%SSH_PORT%", "1"),
                    List.of(),
                    "RegionUnreachable",
                    "cannot connect",
                    "operator: SshCommandRunner"),
            c(
                    "MaasRegion in a namespace the integration does not allow",
                    Setup.INTEGRATION,
                    "MaasRegion",
                    mr(),
                    List.of("ALLOW_ONLY:elsewhere"),
                    "NamespaceNotAllowed",
                    "allowedNamespaces",
                    "operator: Tenancy (before any call)"),
            c(
                    "MaasRegion whose SSH host the integration does not allow",
                    Setup.INTEGRATION,
                    "MaasRegion",
                    mr(),
                    List.of("ALLOW_SSH:10.0.0.0/8"),
                    "SshHostNotAllowed",
                    "allowedSshHosts",
                    "operator: Tenancy (before any call)"),
            // ---- RoleBinding
            c(
                    "RoleBinding to a missing MaasRegion",
                    Setup.NOTHING,
                    "RoleBinding",
                    rb("%REGION%", "no-such-region"),
                    List.of(),
                    "MaasRegionNotFound",
                    "no-such-region",
                    "operator: RoleBindingController"),
            c(
                    "RoleBinding to a region without spec.api",
                    Setup.INTEGRATION,
                    "RoleBinding",
                    rb("%REGION%", "bare"),
                    List.of("REGION_WITHOUT_API:bare"),
                    "MaasApiNotConfigured",
                    "bare",
                    "operator: RoleBindingController"),
            c(
                    "RoleBinding with an unknown pool",
                    Setup.REGION,
                    "RoleBinding",
                    rb("%POOL%", "no-such-pool"),
                    List.of(),
                    "PoolsNotFound",
                    "no-such-pool",
                    "operator: RoleBindingController (MAAS lookup)"),
            c(
                    "RoleBinding with an unknown user",
                    Setup.REGION,
                    "RoleBinding",
                    rb("%USER%", "nobody"),
                    List.of(),
                    "UsersNotFound",
                    "nobody",
                    "operator: RoleBindingController (MAAS lookup)"),
            c(
                    "Administrator RoleBinding without the admin's allowance",
                    Setup.REGION,
                    "RoleBinding",
                    "  maasRegionRef: {name: region-a}\n  role: Administrator\n  subjects: [{kind: User, name: alice}]\n",
                    List.of(),
                    "AdministratorNotAllowed",
                    "allowAdministratorBindings",
                    "operator: Tenancy (before any MAAS call)"));
}
