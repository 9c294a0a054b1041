package io.maasops.security.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * docs/argocd-health.lua, the health check the README tells Argo CD users to install, run as Argo CD
 * runs it (the object as the global {@code obj}, a table with status and message returned) against
 * sample statuses of the kstatus contract (docs/health-checks.md).
 */
class ArgoCdHealthLuaTest {

    static final Path SCRIPT = Path.of("../docs/argocd-health.lua");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
      no status yet                         | {}                                                                                     | Progressing | waiting for the operator
      an older generation was observed      | {"observedGeneration":1,"conditions":[{"type":"Ready","status":"True","message":"ok"}]} | Progressing | waiting for the operator
      ready                                 | {"observedGeneration":2,"conditions":[{"type":"Ready","status":"True","message":"configured"}]} | Healthy | configured
      stalled outranks everything           | {"observedGeneration":2,"conditions":[{"type":"Ready","status":"False","reason":"InvalidSpec","message":"bad"},{"type":"Stalled","status":"True","reason":"InvalidSpec","message":"spec.hostname is empty"}]} | Degraded | InvalidSpec: spec.hostname is empty
      migration waits for its approval      | {"observedGeneration":2,"conditions":[{"type":"Ready","status":"False","reason":"AwaitingApproval","message":"annotate to migrate"}]} | Suspended | AwaitingApproval: annotate to migrate
      reconciling                           | {"observedGeneration":2,"conditions":[{"type":"Ready","status":"False","reason":"Provisioning","message":"m"},{"type":"Reconciling","status":"True","reason":"Provisioning","message":"issuing a secret-id"}]} | Progressing | Provisioning: issuing a secret-id
      ready unknown                         | {"observedGeneration":2,"conditions":[{"type":"Ready","status":"Unknown","reason":"VaultUnreachable","message":"retrying"}]} | Progressing | VaultUnreachable: retrying
      a known failure, not reconciling      | {"observedGeneration":2,"conditions":[{"type":"Ready","status":"False","reason":"SshAuthenticationFailed","message":"denied"}]} | Degraded | SshAuthenticationFailed: denied
      """)
    void healthFollowsTheKstatusContract(String situation, String status, String health, String message)
            throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode obj = json.readTree("{\"metadata\":{\"name\":\"r\",\"generation\":2},\"status\":" + status + "}");
        if (status.equals("{}")) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) obj).remove("status");
        }
        Globals lua = JsePlatform.standardGlobals();
        lua.set("obj", toLua(obj));
        LuaValue result =
                lua.load(Files.readString(SCRIPT), "argocd-health.lua").call();
        assertThat(result.get("status").tojstring()).as(situation).isEqualTo(health);
        assertThat(result.get("message").tojstring()).as(situation).isEqualTo(message);
    }

    /** JSON as Argo CD hands it to Lua: objects and arrays as tables (arrays from index 1). */
    static LuaValue toLua(JsonNode node) {
        if (node.isObject()) {
            LuaTable t = new LuaTable();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                var e = it.next();
                t.set(e.getKey(), toLua(e.getValue()));
            }
            return t;
        }
        if (node.isArray()) {
            LuaTable t = new LuaTable();
            for (int i = 0; i < node.size(); i++) {
                t.set(i + 1, toLua(node.get(i)));
            }
            return t;
        }
        if (node.isNumber()) {
            return LuaValue.valueOf(node.asDouble());
        }
        if (node.isBoolean()) {
            return LuaValue.valueOf(node.asBoolean());
        }
        return node.isNull() ? LuaValue.NIL : LuaValue.valueOf(node.asText());
    }
}
