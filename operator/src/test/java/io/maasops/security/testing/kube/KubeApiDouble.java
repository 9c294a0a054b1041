package io.maasops.security.testing.kube;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;

/**
 * A Kubernetes API server for tests and the sandbox: the fabric8 mock in CRUD mode on 127.0.0.1,
 * SSA-tolerant, with the operator's generated CRDs installed. It does not validate against the
 * schemas (see {@code SchemaValidator} for that) and has no garbage collector.
 */
public final class KubeApiDouble implements AutoCloseable {

  public static final List<String> CRD_FILES = List.of(
      "vaultintegrations.security.maasops.io-v1.yml",
      "maasregions.security.maasops.io-v1.yml",
      "rolebindings.security.maasops.io-v1.yml");

  private final KubernetesMockServer server;
  private final NamespacedKubernetesClient client;

  private KubeApiDouble(int port) {
    server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(), new HashMap<>(),
        new SsaTolerantCrudDispatcher(), false);
    try {
      server.init(InetAddress.getLoopbackAddress(), port);
    } catch (Exception e) {
      throw new IllegalStateException("mock API server did not start", e);
    }
    client = server.createClient();
    for (CustomResourceDefinition crd : generatedCrds()) {
      client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    }
  }

  public static KubeApiDouble start() {
    return new KubeApiDouble(0);
  }

  public static KubeApiDouble start(int port) {
    return new KubeApiDouble(port);
  }

  public NamespacedKubernetesClient client() {
    return client;
  }

  public String url() {
    return client.getMasterUrl().toString();
  }

  /** The CRDs the build generated (target/classes/META-INF/fabric8). */
  public static List<CustomResourceDefinition> generatedCrds() {
    return CRD_FILES.stream().map(KubeApiDouble::loadCrd).toList();
  }

  static CustomResourceDefinition loadCrd(String file) {
    try (InputStream in = KubeApiDouble.class.getResourceAsStream("/META-INF/fabric8/" + file)) {
      if (in == null) {
        throw new IllegalStateException("generated CRD " + file + " not on the classpath: run `mvn process-classes` first");
      }
      return Serialization.unmarshal(in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes a kubeconfig that points kubectl at this server (plain HTTP on loopback, no credentials). */
  public Path writeKubeconfig(Path file) throws IOException {
    String yaml = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: sandbox
          cluster:
            server: %s
        contexts:
        - name: sandbox
          context:
            cluster: sandbox
            user: sandbox
            namespace: default
        current-context: sandbox
        users:
        - name: sandbox
          user: {}
        """.formatted(url().replaceAll("/$", ""));
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, yaml);
    return file;
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
