package io.maasops.security.testing.region;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP that MAAS's hvac client sends to Vault, and the error texts hvac/requests produce, for the
 * simulated {@code maas} command. hvac formats errors as {@code "<errors joined by ', '>, on <method> <url>"};
 * a refused connection surfaces as requests' {@code ConnectionError} text.
 */
final class HvacLikeHttp {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A host trusting only the JVM's CAs (as a host with just the system bundle). */
    static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** What hvac (or requests underneath it) would raise. */
    static final class HvacError extends Exception {
        final int status;

        HvacError(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private final String base;
    private final HttpClient http;

    /** @param http the host's client: TLS verified against the CAs the host trusts */
    HvacLikeHttp(String vaultUrl, HttpClient http) {
        this.base = vaultUrl.endsWith("/") ? vaultUrl.substring(0, vaultUrl.length() - 1) : vaultUrl;
        this.http = http;
    }

    JsonNode post(String path, String token, Object body) throws HvacError {
        return send("post", path, token, body);
    }

    JsonNode get(String path, String token) throws HvacError {
        return send("get", path, token, null);
    }

    JsonNode delete(String path, String token) throws HvacError {
        return send("delete", path, token, null);
    }

    /** AppRole login then token lookup-self, as maasserver.vault.VaultClient._ensure_auth does; the client token. */
    String login(String roleId, String secretId) throws HvacError {
        JsonNode login = post("auth/approle/login", null, java.util.Map.of("role_id", roleId, "secret_id", secretId));
        String token = login.path("auth").path("client_token").asText();
        get("auth/token/lookup-self", token);
        return token;
    }

    private JsonNode send(String method, String path, String token, Object body) throws HvacError {
        String url = base + "/v1/" + path;
        HttpRequest.Builder b;
        try {
            b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        } catch (IllegalArgumentException e) {
            throw new HvacError(0, "Invalid URL '" + url + "'");
        }
        if (token != null) {
            b.header("X-Vault-Token", token);
        }
        b.header("X-Vault-Request", "true");
        try {
            switch (method) {
                case "post" ->
                    b.header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    body == null ? "" : JSON.writeValueAsString(body)));
                case "delete" -> b.DELETE();
                default -> b.GET();
            }
            HttpResponse<String> resp = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = resp.body() == null || resp.body().isBlank() ? JSON.nullNode() : JSON.readTree(resp.body());
            if (resp.statusCode() >= 400) {
                List<String> errors = new ArrayList<>();
                json.path("errors").forEach(e -> errors.add(e.asText()));
                String msg = errors.isEmpty() ? "" : String.join(", ", errors);
                if (resp.statusCode() == 503 && msg.isEmpty()) {
                    msg = "Vault is sealed";
                }
                throw new HvacError(resp.statusCode(), msg + ", on " + method + " " + url);
            }
            return json;
        } catch (ConnectException e) {
            URI u = URI.create(url);
            throw new HvacError(
                    0,
                    "HTTPConnectionPool(host='" + u.getHost() + "', port=" + u.getPort()
                            + "): Max retries exceeded with url: " + u.getRawPath()
                            + " (Caused by NewConnectionError('<urllib3.connection.HTTPConnection object at 0x7f0000000000>:"
                            + " Failed to establish a new connection: [Errno 111] Connection refused'))");
        } catch (IOException e) {
            throw new HvacError(
                    0, "Connection aborted: " + e.getClass().getSimpleName() + ", on " + method + " " + url);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HvacError(0, "interrupted");
        }
    }
}
