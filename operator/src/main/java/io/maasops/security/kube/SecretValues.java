package io.maasops.security.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.maasops.security.port.SecretLookup;
import io.maasops.security.util.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads one key of a Secret in a resource's namespace. Secrets are read on demand rather than
 * cached by an informer, so the operator never holds every Secret of a namespace in memory.
 * Results name the Secret and key, never the value. An instance fetches each Secret once (two
 * keys of one Secret, e.g. an SSH key and its known_hosts, are one GET): make one per reconcile.
 */
public final class SecretValues implements io.maasops.security.port.SecretReader {

    private final KubernetesClient client;
    private final Map<String, Optional<io.fabric8.kubernetes.api.model.Secret>> fetched = new HashMap<>();

    public SecretValues(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public SecretLookup read(String namespace, String name, String key) {
        io.fabric8.kubernetes.api.model.Secret s = fetched.computeIfAbsent(
                        namespace + "/" + name,
                        k -> Optional.ofNullable(client.secrets()
                                .inNamespace(namespace)
                                .withName(name)
                                .get()))
                .orElse(null);
        if (s == null) {
            return SecretLookup.missing("SecretNotFound", "Secret " + namespace + "/" + name + " does not exist");
        }
        String value = decoded(s.getData(), key);
        if (value == null && s.getStringData() != null) {
            value = s.getStringData().get(key);
        }
        if (value == null) {
            return SecretLookup.missing(
                    "SecretKeyNotFound", "Secret " + namespace + "/" + name + " has no key \"" + key + "\"");
        }
        if (value.isBlank()) {
            return SecretLookup.missing(
                    "SecretKeyEmpty", "key \"" + key + "\" of Secret " + namespace + "/" + name + " is empty");
        }
        return new SecretLookup(Secret.of(value), null, null);
    }

    private static String decoded(Map<String, String> data, String key) {
        if (data == null || data.get(key) == null) {
            return null;
        }
        try {
            return new String(Base64.getDecoder().decode(data.get(key).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
