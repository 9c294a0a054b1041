package io.maasops.security.testing.kube;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;

/**
 * What kube-apiserver does in front of storage, on top of the CRUD mock: authentication (bearer
 * tokens), RBAC authorization of every request ({@link Authorizer}), the self-subject access and
 * rules reviews, discovery, and pod exec ({@link PodExec}).
 */
class ApiServerDispatcher extends SsaTolerantCrudDispatcher {

  private final RequestRecorder recorder;
  private final Authorizer authorizer;
  private final PodExec podExec;

  ApiServerDispatcher(RequestRecorder recorder, Authorizer authorizer, PodExec podExec) {
    this.recorder = recorder;
    this.authorizer = authorizer;
    this.podExec = podExec;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    recorder.record(request);
    Authorizer.User user = authorizer.authenticate(request.getHeader("Authorization"));
    if (user == null) {
      return ApiStatus.unauthorized();
    }
    String pathAndQuery = request.getPath();
    Access access = RequestRecorder.toAccess(request.getMethod(), pathAndQuery);
    if (!Authorizer.allowed(user, access)) {
      return ApiStatus.response(403, Authorizer.forbidden(user, access));
    }
    int q = pathAndQuery.indexOf('?');
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
    String method = request.getMethod();
    if ("GET".equals(method) && access.isNonResource()) {
      MockResponse discovery = Discovery.answer(path, this::handleGet);
      if (discovery != null) {
        return discovery;
      }
    }
    if ("POST".equals(method) && "authorization.k8s.io".equals(access.apiGroup())) {
      JsonNode review = json(request);
      if (review == null) {
        return ApiStatus.badRequest("the body of the request could not be decoded");
      }
      if ("selfsubjectrulesreviews".equals(access.resource())) {
        return ApiStatus.response(201, Authorizer.rulesReview(user, review));
      }
      if ("selfsubjectaccessreviews".equals(access.resource())) {
        return ApiStatus.response(201, Authorizer.accessReview(user, review));
      }
    }
    if ("exec".equals(access.subresource()) && "pods".equals(access.resource()) && access.name() != null) {
      return podExec.exec(access.namespace(), access.name(), query);
    }
    return super.dispatch(request);
  }

  private static JsonNode json(RecordedRequest request) {
    try {
      return Serialization.jsonMapper().readTree(new String(request.getBody().getBytes(), java.nio.charset.StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
