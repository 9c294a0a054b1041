package io.maasops.security.concern;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.maasops.security.api.v1alpha1.MaasRegionSpec;
import io.maasops.security.api.v1alpha1.SecretKeyRef;
import io.maasops.security.port.SecretLookup;
import io.maasops.security.port.SecretReader;
import io.maasops.security.status.Reason;
import io.maasops.security.util.Secret;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The Secret values a MaasRegion's spec names, keyed by the spec field that names them, read when a
 * concern first asks for one: a reconcile that does not need the MAAS API key or the certificate does
 * not fetch them. One reconcile, one thread; each Secret is fetched at most once.
 */
public final class RegionSecrets {

    /** Keys: the spec field that names the Secret. */
    public static final String SSH_PRIVATE_KEY = "spec.access.ssh.privateKeySecretRef";

    public static final String SSH_KNOWN_HOSTS = "spec.access.ssh.knownHostsSecretRef";
    public static final String API_KEY = "spec.api.apiKeySecretRef";
    public static final String API_CA = "spec.api.caSecretRef";
    public static final String TLS_CERTIFICATE = "spec.tls.certificateSecretRef";

    private final SecretReader values;
    private final String namespace;
    private final Map<String, SecretKeyRef> refs;
    private final Map<String, SecretLookup> lookups = new HashMap<>();

    public RegionSecrets(SecretReader values, String namespace, Map<String, SecretKeyRef> refs) {
        this.values = values;
        this.namespace = namespace;
        this.refs = Map.copyOf(refs);
    }

    /** Without a way onto the controller no concern can do anything: checked before any concern runs. */
    private static final List<String> ACCESS_REFS = List.of(SSH_PRIVATE_KEY, SSH_KNOWN_HOSTS);

    private static final List<String> WITH_API_KEY = List.of(SSH_PRIVATE_KEY, SSH_KNOWN_HOSTS, API_KEY);

    /**
     * The Secret references a reconcile checks before its concerns: the access Secrets every time; the MAAS API key
     * also when the spec is new or changed (and while that is reported), so a wrong name or key is reported at once (later it is read when a
     * concern needs it: no extra read per steady-state reconcile). Other Secrets are read when a concern needs them.
     */
    public static List<String> checkedUpFront(
            Long previousGeneration, io.maasops.security.api.v1alpha1.MaasRegion region) {
        boolean specChanged = previousGeneration == null
                || !previousGeneration.equals(region.getMetadata().getGeneration());
        // and until it is found, once reported (else the next reconcile would replace the report)
        boolean reported = region.getStatus() != null
                && io.maasops.security.status.Conditions.find(
                                region.getStatus().getConditions(), io.maasops.security.status.Conditions.READY)
                        .map(c -> c.getMessage() != null && c.getMessage().startsWith(API_KEY + ":"))
                        .orElse(false);
        return specChanged || reported ? WITH_API_KEY : ACCESS_REFS;
    }

    /** Every Secret key the spec names, by the field that names it. */
    public static Map<String, SecretKeyRef> refs(MaasRegionSpec spec) {
        Map<String, SecretKeyRef> refs = new LinkedHashMap<>();
        if (spec == null) {
            return refs;
        }
        if (spec.getAccess() != null && spec.getAccess().getSsh() != null) {
            refs.put(SSH_PRIVATE_KEY, spec.getAccess().getSsh().getPrivateKeySecretRef());
            refs.put(SSH_KNOWN_HOSTS, spec.getAccess().getSsh().getKnownHostsSecretRef());
        }
        if (spec.getApi() != null) {
            refs.put(API_KEY, spec.getApi().getApiKeySecretRef());
            if (spec.getApi().getCaSecretRef() != null) {
                refs.put(API_CA, spec.getApi().getCaSecretRef());
            }
        }
        if (spec.getTls() != null && spec.getTls().getCertificateSecretRef() != null) {
            var tls = spec.getTls().getCertificateSecretRef();
            var ref = new SecretKeyRef();
            ref.setName(tls.getName());
            ref.setKey(tls.getKey() == null ? "tls.crt" : tls.getKey());
            refs.put(TLS_CERTIFICATE, ref);
        }
        refs.values().removeIf(Objects::isNull);
        return refs;
    }

    /** The lookup of the Secret named by {@code field}; empty when the spec does not name one. */
    public Optional<SecretLookup> lookup(String field) {
        SecretKeyRef ref = refs.get(field);
        if (ref == null) {
            return Optional.empty();
        }
        return Optional.of(lookups.computeIfAbsent(field, f -> read(ref)));
    }

    private SecretLookup read(SecretKeyRef ref) {
        try {
            return values.read(namespace, ref.getName(), ref.getKey());
        } catch (KubernetesClientException e) {
            // read mid-reconcile, after other concerns may have acted: a condition, not an exception that
            // would drop the status they built
            return SecretLookup.missing(
                    Reason.SECRET_READ_FAILED.value(),
                    "Secret " + namespace + "/" + ref.getName() + " could not be read: "
                            + (e.getCode() > 0
                                    ? "HTTP " + e.getCode()
                                    : e.getClass().getSimpleName()));
        }
    }

    /** The value, when the spec names it and it could be read. */
    public Optional<Secret> value(String field) {
        return lookup(field).filter(SecretLookup::found).map(SecretLookup::value);
    }

    /** "Reason: field: message" when the spec names a Secret that could not be read; empty otherwise. */
    public Optional<String> problem(String field) {
        return lookup(field).filter(l -> !l.found()).map(l -> l.reason() + ": " + field + ": " + l.message());
    }
}
