package io.maasops.security.vault;

import static io.maasops.security.vault.VaultReplies.JSON;
import static io.maasops.security.vault.VaultReplies.obj;
import static io.maasops.security.vault.VaultReplies.parse;
import static io.maasops.security.vault.VaultReplies.path;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maasops.security.port.VaultKv;
import io.maasops.security.vault.VaultTransport.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A KV version 2 secrets engine (docs/reference/vault-api.md §8). */
public final class VaultKvOperations implements VaultKv {

    private final VaultSession session;
    private final VaultTransport vault;

    VaultKvOperations(VaultSession session) {
        this.session = session;
        this.vault = session.transport();
    }

    @Override
    public Optional<KvSecret> kvRead(String mount, String path) {
        String op = "kv_read";
        return session.run(
                op,
                List.of(),
                () -> session.readData(op, path(mount) + "/data/" + path(path), List.of())
                        .map(d -> new KvSecret(
                                JSON.convertValue(
                                        d.path("data"), new TypeReference<LinkedHashMap<String, Object>>() {}),
                                d.path("metadata").path("version").asInt())));
    }

    /** Writes a new version; {@code cas} null = no check-and-set, 0 = only if absent. Returns the new version. */
    public int kvWrite(String mount, String path, Map<String, ?> data, Integer cas) {
        String op = "kv_write";
        ObjectNode b = obj();
        b.set("data", JSON.valueToTree(data));
        if (cas != null) {
            b.putObject("options").put("cas", cas);
        }
        return session.run(op, List.of(), () -> {
            Response r = vault.post(op, path(mount) + "/data/" + path(path), session.authed(op), b);
            session.check(op, r, List.of());
            return parse(r).path("data").path("version").asInt();
        });
    }

    @Override
    public int kvWrite(String mount, String path, Map<String, ?> data) {
        return kvWrite(mount, path, data, null);
    }

    /** LIST {mount}/metadata/{prefix}/; folders end in '/'; empty when nothing is there. */
    @Override
    public List<String> kvList(String mount, String prefix) {
        String op = "kv_list";
        String p = prefix == null || prefix.isEmpty() ? "" : "/" + path(prefix);
        return session.run(op, List.of(), () -> session.listKeys(op, path(mount) + "/metadata" + p));
    }

    /** DELETE {mount}/metadata/{path}: every version and the metadata, permanently. */
    @Override
    public void kvDelete(String mount, String path) {
        String op = "kv_delete";
        session.run(
                op,
                List.of(),
                () -> session.check(
                        op, vault.delete(op, path(mount) + "/metadata/" + path(path), session.authed(op)), List.of()));
    }
}
