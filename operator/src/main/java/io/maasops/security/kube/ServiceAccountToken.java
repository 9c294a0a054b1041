package io.maasops.security.kube;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The pod's service-account token, read fresh each time (kubelet rotates projected tokens). */
public final class ServiceAccountToken {

  static final Path TOKEN = Path.of(System.getenv().getOrDefault("SERVICE_ACCOUNT_TOKEN_PATH",
      "/var/run/secrets/kubernetes.io/serviceaccount/token"));

  private ServiceAccountToken() {}

  public static String read() {
    try {
      return Files.readString(TOKEN).trim();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the service-account token at " + TOKEN
          + " (Vault Kubernetes auth needs the operator to run in a pod with a service account)", e);
    }
  }
}
