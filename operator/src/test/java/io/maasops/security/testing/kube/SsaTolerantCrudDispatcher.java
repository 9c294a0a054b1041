package io.maasops.security.testing.kube;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

/**
 * The fabric8 CRUD mock with two gaps filled (josdk-notes §3): server-side apply becomes a create
 * or a JSON merge patch, and the SelfSubjectRulesReview that leader election asks at start-up is
 * answered; every request can be recorded for RBAC checks ({@link RequestRecorder}). Limits: no managedFields or field ownership; lists are replaced, not merged.
 */
public class SsaTolerantCrudDispatcher extends KubernetesCrudDispatcher {

  private final RequestRecorder recorder;

  public SsaTolerantCrudDispatcher() {
    this(null);
  }

  /** @param recorder notified of every request before it is served (null: none) */
  public SsaTolerantCrudDispatcher(RequestRecorder recorder) {
    this.recorder = recorder;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    if (recorder != null) {
      recorder.record(request);
    }
    if ("GET".equals(request.getMethod()) && (request.getPath().startsWith("/api?") || request.getPath().equals("/api")
        || request.getPath().startsWith("/api/v1?") || request.getPath().equals("/api/v1")
        || request.getPath().startsWith("/apis"))) {
      MockResponse discovery = Discovery.answer(request.getPath(), this::handleGet);
      if (discovery != null) {
        return discovery;
      }
    }
    return super.dispatch(request);
  }

  @Override
  public MockResponse handleCreate(RecordedRequest req) {
    if (req.getPath().startsWith("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")) {
      return new MockResponse().setResponseCode(201).setBody("{\"apiVersion\":\"authorization.k8s.io/v1\","
          + "\"kind\":\"SelfSubjectRulesReview\",\"spec\":{},\"status\":{\"incomplete\":false,\"nonResourceRules\":[],"
          + "\"resourceRules\":[{\"apiGroups\":[\"*\"],\"resources\":[\"*\"],\"verbs\":[\"*\"]}]}}");
    }
    return super.handleCreate(req);
  }

  @Override
  public MockResponse handlePatch(RecordedRequest req) {
    String ct = req.getHeader("Content-Type");
    boolean apply = ct != null && ct.startsWith("application/apply-patch");
    if (!apply && (ct == null || !ct.startsWith("application/strategic-merge-patch"))) {
      return super.handlePatch(req);
    }
    String json = Serialization.asJson(Serialization.unmarshal(req.getBody().readUtf8(), GenericKubernetesResource.class));
    String path = req.getPath().split("\\?")[0];
    boolean status = path.endsWith("/status");
    String obj = status ? path.substring(0, path.length() - 7) : path;
    if (apply && !status && handleGet(obj).code() == 404) {
      return handleCreate(new RecordedRequest("HTTP/1.1", HttpMethod.POST, obj.substring(0, obj.lastIndexOf('/')),
          Headers.builder().add("Content-Type", "application/json").build(), new Buffer(json.getBytes(UTF_8))));
    }
    return super.handlePatch(new RecordedRequest("HTTP/1.1", HttpMethod.PATCH, path,
        Headers.builder().add("Content-Type", "application/merge-patch+json").build(), new Buffer(json.getBytes(UTF_8))));
  }
}
