package io.maasops.security.vault;

import io.maasops.security.util.Secret;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One {@link VaultGateway} per VaultIntegration, kept while its connection settings and
 * credentials stay the same, so the operator logs in once per token lifetime rather than per
 * reconcile. A changed token Secret or address yields a new gateway (and a new login).
 */
public final class VaultGateways {

    private final VaultRequestListener listener;
    private final Clock clock;
    private final Supplier<String> serviceAccountJwt;
    private final Map<String, Entry> byIntegration = new ConcurrentHashMap<>();

    private record Entry(String fingerprint, VaultGateway gateway) {}

    /** What identifies a connection and its credentials (never kept in clear: only a digest). */
    public record Key(
            String integration,
            URI address,
            String caPem,
            String namespace,
            String authMethod,
            String authRole,
            String authMount,
            Secret token) {}

    public VaultGateways(VaultRequestListener listener, Clock clock, Supplier<String> serviceAccountJwt) {
        this.listener = listener;
        this.clock = clock;
        this.serviceAccountJwt = serviceAccountJwt;
    }

    public VaultGateway forIntegration(Key key) {
        String fingerprint = fingerprint(key);
        return byIntegration
                .compute(
                        key.integration(),
                        (k, old) -> old != null && old.fingerprint().equals(fingerprint)
                                ? old
                                : new Entry(fingerprint, create(key)))
                .gateway();
    }

    public void forget(String integration) {
        byIntegration.remove(integration);
    }

    private VaultGateway create(Key key) {
        var settings = new VaultConnectionSettings(key.address(), key.caPem(), key.namespace(), null, null);
        VaultAuthenticator auth = key.token() != null
                ? new VaultAuthenticator.TokenAuth(key.token())
                : new VaultAuthenticator.KubernetesAuth(key.authRole(), key.authMount(), serviceAccountJwt);
        return new VaultGateway(settings, auth, listener, clock);
    }

    private static String fingerprint(Key key) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {
                key.address().toString(),
                key.caPem(),
                key.namespace(),
                key.authMethod(),
                key.authRole(),
                key.authMount(),
                key.token() == null ? null : key.token().reveal()
            }) {
                d.update(String.valueOf(part).getBytes(StandardCharsets.UTF_8));
                d.update((byte) 0);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
