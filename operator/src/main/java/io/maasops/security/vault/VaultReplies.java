package io.maasops.security.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maasops.security.util.BoundedHttp;
import io.maasops.security.util.RemoteText;
import io.maasops.security.util.Secret;
import io.maasops.security.vault.VaultTransport.Response;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * How the operator reads Vault's answers (docs/reference/vault-api.md §1): a failed request or an error status
 * becomes a classified {@link VaultException}, whose messages are short excerpts of Vault's text with every
 * secret of the call scrubbed; JSON bodies are read leniently (an unreadable body is an empty object).
 */
final class VaultReplies {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Vault's own names and versions are short; a hostile server's are cut to this. */
    private static final int MAX_LABEL = 64;

    private VaultReplies() {}

    /** No usable answer: nothing answered in time, the connection or TLS failed, or the answer was too large. */
    static VaultException classify(String op, IOException e, List<Secret> secrets) {
        if (e instanceof BoundedHttp.TooLarge) {
            return new VaultException(VaultErrorKind.SERVER_ERROR, op, 0, List.of(e.getMessage()), null);
        }
        if (e instanceof HttpTimeoutException) {
            return new VaultException(VaultErrorKind.UNREACHABLE, op, 0, List.of("timeout: " + e.getMessage()), null);
        }
        String why = "connection failure";
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                why = "TLS failure";
                break;
            }
        }
        // the JDK quotes what the server sent in some messages (e.g. an invalid status line)
        String detail =
                e.getMessage() == null ? "" : " " + Redaction.scrub(RemoteText.excerpt(e.getMessage()), secrets);
        return new VaultException(
                VaultErrorKind.UNREACHABLE,
                op,
                0,
                List.of(why + ": " + e.getClass().getSimpleName() + detail),
                null);
    }

    static VaultException fromHttp(String op, int status, byte[] body, List<Secret> secrets, Throwable cause) {
        List<String> messages = new ArrayList<>();
        int room = RemoteText.MAX_EXCERPT;
        for (String m : errors(body)) {
            // excerpt before scrubbing: the excerpt keeps a secret whole or drops it, and keeps the redaction marks
            String excerpt = RemoteText.excerpt(m.replace("\n\t* ", " "), room);
            if (excerpt.isEmpty()) {
                continue;
            }
            messages.add(Redaction.scrub(excerpt, secrets));
            room -= excerpt.length() + 2;
            if (room <= 8) {
                break; // all of Vault's text in one message stays within one excerpt
            }
        }
        boolean sealed = messages.stream().anyMatch(m -> m.contains("Vault is sealed"));
        VaultErrorKind kind;
        if (status == 503 && sealed) {
            kind = VaultErrorKind.SEALED;
        } else if (status == 403) {
            kind = VaultErrorKind.PERMISSION_DENIED;
        } else if (status == 404) {
            kind = VaultErrorKind.NOT_FOUND;
        } else if (status >= 400 && status < 500) {
            kind = VaultErrorKind.INVALID_REQUEST;
        } else {
            kind = VaultErrorKind.SERVER_ERROR;
        }
        return new VaultException(kind, op, status, messages, cause);
    }

    /** Vault's "errors" array, or an envelope's data.error (AppRole accessor misses, §6.3). */
    static List<String> errors(byte[] body) {
        List<String> out = new ArrayList<>();
        JsonNode n = parse(body);
        n.path("errors").forEach(e -> out.add(e.asText()));
        if (out.isEmpty() && n.path("data").path("error").isTextual()) {
            out.add(n.path("data").path("error").asText());
        }
        return out;
    }

    static VaultException error(String op, VaultErrorKind kind, int status, String message) {
        return new VaultException(kind, op, status, List.of(message), null);
    }

    /** An enable or mount refused because the path exists (400, not 409: §3). */
    static boolean isAlreadyInUse(Response r) {
        return r.status() == 400 && errors(r.body()).stream().anyMatch(m -> m.contains("path is already in use"));
    }

    /** The {@code auth} block of a login or renewal; an answer without a client token is no login. */
    static JsonNode loginAuth(String op, Response r) {
        JsonNode auth = parse(r).path("auth");
        if (!auth.path("client_token").isTextual()
                || auth.path("client_token").asText().isEmpty()) {
            throw error(op, VaultErrorKind.SERVER_ERROR, r.status(), "Vault answered without auth.client_token");
        }
        return auth;
    }

    static VaultLogin toLogin(String op, Response r) {
        JsonNode auth = loginAuth(op, r);
        Map<String, String> md = new LinkedHashMap<>();
        auth.path("metadata")
                .fields()
                .forEachRemaining(e -> md.put(e.getKey(), e.getValue().asText()));
        return new VaultLogin(
                Secret.of(auth.path("client_token").asText()),
                auth.path("accessor").asText(),
                strings(auth.path("policies")),
                Duration.ofSeconds(auth.path("lease_duration").asLong()),
                auth.path("renewable").asBoolean(),
                md);
    }

    /** A name or version Vault reports, as it may appear in a status: short and printable. */
    static String label(String text) {
        return RemoteText.excerpt(text, MAX_LABEL);
    }

    static JsonNode parse(Response r) {
        return parse(r.body());
    }

    static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    static ObjectNode obj() {
        return JSON.createObjectNode();
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(e -> out.add(e.asText()));
        return out;
    }

    /** Mount or path as Vault expects it: no leading/trailing slash, no empty segment, nothing that escapes. */
    static String path(String p) {
        String s = VaultAuthenticator.trimSlashes(Objects.requireNonNull(p, "path"));
        if (s.isEmpty() || s.contains("//") || s.contains("..") || s.contains("?") || s.contains("#")) {
            throw new IllegalArgumentException("invalid Vault path: \"" + p + "\"");
        }
        return s;
    }

    /** A policy or role name: one safe path segment. */
    static String name(String n) {
        if (n == null || !n.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("invalid Vault object name: \"" + n + "\"");
        }
        return n;
    }
}
