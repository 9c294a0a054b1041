package io.maasops.security.reconciler.region;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.maasops.security.api.v1alpha1.SecretKeyRef;
import io.maasops.security.kube.SecretValues;
import io.maasops.security.util.Secret;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The Secret values a MaasRegion's spec names, keyed by the spec field that names them
 * ({@link RegionContext#SSH_PRIVATE_KEY} ...), read when a part first asks for one: a reconcile
 * that does not need the MAAS API key or the certificate does not fetch them. One reconcile, one
 * thread; each Secret is fetched at most once.
 */
public final class RegionSecrets {

  private final SecretValues values;
  private final String namespace;
  private final Map<String, SecretKeyRef> refs;
  private final Map<String, SecretValues.Lookup> lookups = new HashMap<>();

  public RegionSecrets(SecretValues values, String namespace, Map<String, SecretKeyRef> refs) {
    this.values = values;
    this.namespace = namespace;
    this.refs = Map.copyOf(refs);
  }

  /** The lookup of the Secret named by {@code field}; empty when the spec does not name one. */
  public Optional<SecretValues.Lookup> lookup(String field) {
    SecretKeyRef ref = refs.get(field);
    if (ref == null) {
      return Optional.empty();
    }
    return Optional.of(lookups.computeIfAbsent(field, f -> read(ref)));
  }

  private SecretValues.Lookup read(SecretKeyRef ref) {
    try {
      return values.read(namespace, ref.getName(), ref.getKey());
    } catch (KubernetesClientException e) {
      // read mid-reconcile, after other parts may have acted: a condition, not an exception that
      // would drop the status they built
      return new SecretValues.Lookup(null, "SecretReadFailed", "Secret " + namespace + "/" + ref.getName()
          + " could not be read: " + (e.getCode() > 0 ? "HTTP " + e.getCode() : e.getClass().getSimpleName()));
    }
  }

  /** The value, when the spec names it and it could be read. */
  public Optional<Secret> value(String field) {
    return lookup(field).filter(SecretValues.Lookup::found).map(SecretValues.Lookup::value);
  }

  /** "Reason: field: message" when the spec names a Secret that could not be read; empty otherwise. */
  public Optional<String> problem(String field) {
    return lookup(field).filter(l -> !l.found()).map(l -> l.reason() + ": " + field + ": " + l.message());
  }
}
