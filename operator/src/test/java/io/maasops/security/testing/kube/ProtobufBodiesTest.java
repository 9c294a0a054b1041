package io.maasops.security.testing.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Protobuf bodies as kubectl v1.32 sends them (captured with -v=9), decoded to the JSON kube-apiserver stores. */
class ProtobufBodiesTest {

    @Test
    void decodesKubectlCreateNamespace() {
        // kubectl create namespace xx
        byte[] body = HexFormat.of()
                .parseHex("6b3873000a0f0a0276311209" + "4e616d657370616365" + "121a0a120a0278781200"
                        + "1a0022002a0032003800420012001a020a001a002200");
        assertThat(ProtobufBodies.decode(body))
                .hasToString("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"xx\"},"
                        + "\"spec\":{}}");
    }
}
