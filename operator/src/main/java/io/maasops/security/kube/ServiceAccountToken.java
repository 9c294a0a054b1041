package io.maasops.security.kube;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * The projected service-account token the operator presents to Vault's Kubernetes auth method, read
 * fresh at each login (kubelet rotates projected tokens). The chart mounts it with audience "vault"
 * and a short expiry, separately from the token the operator uses for the Kubernetes API, so what
 * Vault receives cannot be replayed against the API server.
 */
public final class ServiceAccountToken implements Supplier<String> {

    private final Path path;

    public ServiceAccountToken(Path path) {
        this.path = path;
    }

    @Override
    public String get() {
        try {
            return Files.readString(path).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read the Vault service-account token at " + path
                            + " (Vault Kubernetes auth needs the chart's projected token volume, audience vault)",
                    e);
        }
    }
}
