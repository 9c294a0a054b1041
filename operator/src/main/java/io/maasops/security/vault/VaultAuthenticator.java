package io.maasops.security.vault;

import io.maasops.security.util.Secret;
import java.util.Objects;
import java.util.function.Supplier;

/** How the operator itself authenticates to Vault. */
public sealed interface VaultAuthenticator {

    /** A token read from a Kubernetes Secret. It is renewed (when renewable) shortly before it expires. */
    record TokenAuth(Secret token) implements VaultAuthenticator {
        public TokenAuth {
            Objects.requireNonNull(token, "token");
        }
    }

    /**
     * Kubernetes auth: POST auth/{mountPath}/login with the service-account JWT (read fresh at every login,
     * because projected tokens rotate).
     */
    record KubernetesAuth(String role, String mountPath, Supplier<String> serviceAccountJwt)
            implements VaultAuthenticator {
        public KubernetesAuth {
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(serviceAccountJwt, "serviceAccountJwt");
            mountPath = mountPath == null || mountPath.isBlank() ? "kubernetes" : trimSlashes(mountPath);
        }

        @Override
        public String toString() {
            return "KubernetesAuth[role=" + role + ", mountPath=" + mountPath + "]";
        }
    }

    static String trimSlashes(String p) {
        String s = p.trim();
        while (s.startsWith("/")) {
            s = s.substring(1);
        }
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }
}
