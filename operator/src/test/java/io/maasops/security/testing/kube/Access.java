package io.maasops.security.testing.kube;

/**
 * One kind of request a client made to the Kubernetes API, in the terms RBAC authorizes:
 * verb, API group ("" = core), resource, subresource, namespace and object name. A request to a
 * non-resource URL (/version, /apis…) has only {@code verb} and {@code nonResourcePath}.
 */
public record Access(
        String verb,
        String apiGroup,
        String resource,
        String subresource,
        String namespace,
        String name,
        String nonResourcePath) {

    public static Access resource(
            String verb, String apiGroup, String resource, String subresource, String namespace, String name) {
        return new Access(verb, apiGroup, resource, subresource, namespace, name, null);
    }

    public static Access nonResource(String verb, String path) {
        return new Access(verb, null, null, null, null, null, path);
    }

    public boolean isNonResource() {
        return nonResourcePath != null;
    }

    /** "resource" or "resource/subresource", as RBAC rules spell it. */
    public String resourcePath() {
        return subresource == null ? resource : resource + "/" + subresource;
    }

    /** The same access without namespace and name: what an RBAC rule's group/resource/verb triple decides. */
    public Access kind() {
        return new Access(verb, apiGroup, resource, subresource, null, null, nonResourcePath);
    }

    @Override
    public String toString() {
        if (isNonResource()) {
            return verb + " " + nonResourcePath;
        }
        return verb + " " + (apiGroup.isEmpty() ? "core" : apiGroup) + "/" + resourcePath()
                + (namespace == null ? "" : " in " + namespace) + (name == null ? "" : " name=" + name);
    }
}
