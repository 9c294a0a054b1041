package io.maasops.security.port;

import io.maasops.security.vault.KvSecret;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A kv-v2 mount. */
public interface VaultKv {

    Optional<KvSecret> kvRead(String mount, String path);

    int kvWrite(String mount, String path, Map<String, ?> data);

    List<String> kvList(String mount, String prefix);

    void kvDelete(String mount, String path);
}
