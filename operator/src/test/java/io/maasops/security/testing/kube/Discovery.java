package io.maasops.security.testing.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import java.util.List;
import java.util.function.Function;

/**
 * The discovery documents kubectl needs (the fabric8 mock serves none): /api, /api/v1, /apis and
 * /apis/<group>/<version> for the installed CRDs with their short names and categories, so that
 * `kubectl get maas` works against the sandbox. Answers only GETs of exactly those paths.
 */
final class Discovery {

  private static final List<String[]> CORE = List.of(
      new String[] {"namespaces", "Namespace", "false"}, new String[] {"secrets", "Secret", "true"},
      new String[] {"events", "Event", "true"}, new String[] {"pods", "Pod", "true"},
      new String[] {"configmaps", "ConfigMap", "true"}, new String[] {"serviceaccounts", "ServiceAccount", "true"});

  /** Built-in groups the operator and kubectl touch: group/version -> {plural, kind, namespaced}. */
  private static final java.util.Map<String, String[]> BUILT_IN = java.util.Map.of(
      "apiextensions.k8s.io/v1", new String[] {"customresourcedefinitions", "CustomResourceDefinition", "false"},
      "coordination.k8s.io/v1", new String[] {"leases", "Lease", "true"});

  private Discovery() {}

  /** @param get reads a path from the mock's store (the CRD list) */
  static MockResponse answer(String path, Function<String, MockResponse> get) {
    String p = path.split("\\?")[0];
    ObjectNode body = Serialization.jsonMapper().createObjectNode();
    switch (p) {
      case "/api" -> {
        body.put("kind", "APIVersions");
        body.putArray("versions").add("v1");
        body.putArray("serverAddressByClientCIDRs").addObject().put("clientCIDR", "0.0.0.0/0").put("serverAddress", "127.0.0.1");
      }
      case "/api/v1" -> {
        body.put("kind", "APIResourceList").put("groupVersion", "v1");
        ArrayNode resources = body.putArray("resources");
        for (String[] r : CORE) {
          resource(resources, r[0], r[1], Boolean.parseBoolean(r[2]), List.of(), List.of());
        }
      }
      case "/apis" -> {
        body.put("kind", "APIGroupList").put("apiVersion", "v1");
        ArrayNode groups = body.putArray("groups");
        for (String gv : BUILT_IN.keySet()) {
          String[] parts = gv.split("/");
          ObjectNode g = groups.addObject().put("name", parts[0]);
          g.putArray("versions").addObject().put("groupVersion", gv).put("version", parts[1]);
          g.putObject("preferredVersion").put("groupVersion", gv).put("version", parts[1]);
        }
        for (JsonNode crd : crds(get)) {
          String group = crd.path("spec").path("group").asText();
          String version = crd.path("spec").path("versions").path(0).path("name").asText();
          boolean seen = false;
          for (JsonNode g : groups) {
            seen |= g.path("name").asText().equals(group);
          }
          if (!seen) {
            ObjectNode g = groups.addObject().put("name", group);
            g.putArray("versions").addObject().put("groupVersion", group + "/" + version).put("version", version);
            g.putObject("preferredVersion").put("groupVersion", group + "/" + version).put("version", version);
          }
        }
      }
      default -> {
        String[] parts = p.split("/");
        if (parts.length != 4 || !"apis".equals(parts[1])) {
          return null;
        }
        String groupVersion = parts[2] + "/" + parts[3];
        body.put("kind", "APIResourceList").put("apiVersion", "v1").put("groupVersion", groupVersion);
        ArrayNode resources = body.putArray("resources");
        boolean any = false;
        String[] builtIn = BUILT_IN.get(groupVersion);
        if (builtIn != null) {
          resource(resources, builtIn[0], builtIn[1], Boolean.parseBoolean(builtIn[2]), List.of(), List.of());
          any = true;
        }
        for (JsonNode crd : crds(get)) {
          JsonNode spec = crd.path("spec");
          if (!(spec.path("group").asText() + "/" + spec.path("versions").path(0).path("name").asText()).equals(groupVersion)) {
            continue;
          }
          any = true;
          JsonNode names = spec.path("names");
          List<String> shortNames = Serialization.jsonMapper().convertValue(names.path("shortNames"), List.class);
          List<String> categories = Serialization.jsonMapper().convertValue(names.path("categories"), List.class);
          resource(resources, names.path("plural").asText(), names.path("kind").asText(),
              "Namespaced".equals(spec.path("scope").asText()), shortNames == null ? List.of() : shortNames,
              categories == null ? List.of() : categories);
          resource(resources, names.path("plural").asText() + "/status", names.path("kind").asText(), true, List.of(), List.of());
        }
        if (!any) {
          return null;
        }
      }
    }
    return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json").setBody(body.toString());
  }

  private static void resource(ArrayNode resources, String plural, String kind, boolean namespaced, List<String> shortNames,
                               List<String> categories) {
    ObjectNode r = resources.addObject().put("name", plural).put("singularName", "").put("namespaced", namespaced).put("kind", kind);
    ArrayNode verbs = r.putArray("verbs");
    List.of("create", "delete", "get", "list", "patch", "update", "watch").forEach(verbs::add);
    if (!shortNames.isEmpty()) {
      ArrayNode s = r.putArray("shortNames");
      shortNames.forEach(s::add);
    }
    if (!categories.isEmpty()) {
      ArrayNode c = r.putArray("categories");
      categories.forEach(c::add);
    }
  }

  private static Iterable<JsonNode> crds(Function<String, MockResponse> get) {
    MockResponse list = get.apply("/apis/apiextensions.k8s.io/v1/customresourcedefinitions");
    try {
      return Serialization.jsonMapper().readTree(list.getBody().readUtf8()).path("items");
    } catch (Exception e) {
      return List.of();
    }
  }
}
