package io.maasops.security.testing.vault;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Contract tests of the double against docs/reference/vault-api.md §8 (KV v2). */
class VaultDoubleKvContractTest {
    VaultDouble vault;
    RawVaultClient http;
    String root;

    @BeforeEach
    void start() {
        vault = VaultDouble.start();
        http = new RawVaultClient(vault);
        root = vault.rootToken();
        http.post("sys/mounts/secret", root, "{\"type\":\"kv-v2\"}");
    }

    @AfterEach
    void stop() {
        vault.close();
    }

    @Test
    void writeReadVersionsAndCheckAndSet_s8() {
        var w1 = http.post("secret/data/maas/a", root, "{\"data\":{\"k\":\"v1\"},\"options\":{\"cas\":0}}");
        assertThat(w1.status()).isEqualTo(200);
        JsonNode meta = w1.json().get("data");
        assertThat(meta.get("version").asInt()).isEqualTo(1);
        assertThat(meta.get("deletion_time").asText()).isEmpty();
        assertThat(meta.get("destroyed").asBoolean()).isFalse();
        var cas = http.post("secret/data/maas/a", root, "{\"data\":{\"k\":\"v2\"},\"options\":{\"cas\":0}}");
        assertThat(cas.status()).isEqualTo(400);
        assertThat(cas.body())
                .isEqualTo("{\"errors\":[\"check-and-set parameter did not match the current version\"]}");
        assertThat(http.post("secret/data/maas/a", root, "{\"data\":{\"k\":\"v2\"},\"options\":{\"cas\":1}}")
                        .status())
                .isEqualTo(200);
        JsonNode read = http.get("secret/data/maas/a", root).json().get("data");
        assertThat(read.get("data").get("k").asText()).isEqualTo("v2");
        assertThat(read.get("metadata").get("version").asInt()).isEqualTo(2);
        assertThat(http.get("secret/data/maas/a?version=1", root)
                        .json()
                        .get("data")
                        .get("data")
                        .get("k")
                        .asText())
                .isEqualTo("v1");
        assertThat(http.get("secret/data/maas/a?version=9", root).body()).isEqualTo("{\"errors\":[]}");
        assertThat(http.post("secret/data/maas/a", root, "{}")
                        .json()
                        .get("errors")
                        .get(0)
                        .asText())
                .isEqualTo("no data provided");
        assertThat(vault.kvData("secret", "maas/a")).contains(Map.of("k", "v2"));
    }

    @Test
    void softDeleteGives404EnvelopeAndMetadataDeleteRemovesAll_s8() {
        http.post("secret/data/maas/a", root, "{\"data\":{\"k\":\"v\"}}");
        assertThat(http.delete("secret/data/maas/a", root).status()).isEqualTo(204);
        var deleted = http.get("secret/data/maas/a", root);
        assertThat(deleted.status()).isEqualTo(404);
        assertThat(deleted.json().get("data").get("data").isNull()).isTrue();
        assertThat(deleted.json()
                        .get("data")
                        .get("metadata")
                        .get("deletion_time")
                        .asText())
                .isNotEmpty();
        assertThat(http.post("secret/undelete/maas/a", root, "{\"versions\":[1]}")
                        .status())
                .isEqualTo(204);
        assertThat(http.get("secret/data/maas/a", root).status()).isEqualTo(200);
        assertThat(http.post("secret/destroy/maas/a", root, "{\"versions\":[1]}")
                        .status())
                .isEqualTo(204);
        assertThat(http.get("secret/data/maas/a", root)
                        .json()
                        .get("data")
                        .get("metadata")
                        .get("destroyed")
                        .asBoolean())
                .isTrue();
        JsonNode md = http.get("secret/metadata/maas/a", root).json().get("data");
        assertThat(md.get("current_version").asInt()).isEqualTo(1);
        assertThat(md.get("versions").get("1").get("destroyed").asBoolean()).isTrue();
        assertThat(http.delete("secret/metadata/maas/a", root).status()).isEqualTo(204);
        assertThat(http.get("secret/data/maas/a", root).body()).isEqualTo("{\"errors\":[]}");
        assertThat(http.get("secret/metadata/maas/a", root).body()).isEqualTo("{\"errors\":[]}");
    }

    @Test
    void listMetadataShowsFoldersAndEmptyIs404_s8() {
        assertThat(http.list("secret/metadata/maas", root).body()).isEqualTo("{\"errors\":[]}");
        http.post("secret/data/maas/a", root, "{\"data\":{\"k\":\"v\"}}");
        http.post("secret/data/maas/global/b", root, "{\"data\":{\"k\":\"v\"}}");
        assertThat(http.list("secret/metadata/maas/", root)
                        .json()
                        .get("data")
                        .get("keys")
                        .toString())
                .isEqualTo("[\"a\",\"global/\"]");
        assertThat(http.send("LIST", "secret/metadata/maas", root, null, Map.of())
                        .status())
                .isEqualTo(200);
        assertThat(vault.kvKeys("secret", "maas/")).containsExactly("maas/a", "maas/global/b");
    }

    @Test
    void casRequiredAndInvalidV2Path_s4_2_s8() {
        http.post("secret/metadata/maas/c", root, "{\"cas_required\":true}");
        assertThat(http.post("secret/data/maas/c", root, "{\"data\":{\"k\":\"v\"}}")
                        .json()
                        .get("errors")
                        .get(0)
                        .asText())
                .isEqualTo("check-and-set parameter required for this call");
        var v1style = http.get("secret/maas/c", root);
        assertThat(v1style.status()).isEqualTo(404);
        assertThat(v1style.json().get("warnings").get(0).asText())
                .startsWith("Invalid path for a versioned K/V secrets engine.");
    }
}
