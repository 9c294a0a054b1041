package io.maasops.security.testing.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * meta.k8s.io/v1 Table responses, what `kubectl get` asks for (Accept: ...;as=Table;g=meta.k8s.io;v=v1):
 * a Name column, then a CRD's additionalPrinterColumns (values by their JSONPath, dates as ages, as
 * apiextensions' tableconvertor does) or a built-in printer's columns followed by Age; each row with
 * the object's metadata (includeObject=Metadata, the default).
 */
final class Tables {

    private Tables() {}

    /** Whether an Accept header asks for a Table (kubectl get). */
    static boolean wanted(String accept) {
        return accept != null && accept.contains("as=Table") && accept.contains("g=meta.k8s.io");
    }

    /** @param listOrObject a list (items) or one object, as the store returned it */
    static ObjectNode table(ApiResource resource, JsonNode listOrObject, Clock clock) {
        ObjectNode t = Serialization.jsonMapper().createObjectNode();
        t.put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
        ObjectNode meta = t.putObject("metadata");
        String rv = listOrObject.path("metadata").path("resourceVersion").asText("");
        if (!rv.isEmpty()) {
            meta.put("resourceVersion", rv);
        }
        List<ApiResource.Column> columns = columns(resource);
        ArrayNode defs = t.putArray("columnDefinitions");
        defs.addObject()
                .put("name", "Name")
                .put("type", "string")
                .put("format", "name")
                .put("description", "Name must be unique within a namespace.")
                .put("priority", 0);
        for (ApiResource.Column c : columns) {
            defs.addObject()
                    .put("name", c.name())
                    .put("type", c.type())
                    .put("format", c.format())
                    .put("description", c.description())
                    .put("priority", c.priority());
        }
        ArrayNode rows = t.putArray("rows");
        List<JsonNode> items = new ArrayList<>();
        if (listOrObject.has("items")) {
            listOrObject.path("items").forEach(items::add);
        } else {
            items.add(listOrObject);
        }
        for (JsonNode o : items) {
            ObjectNode row = rows.addObject();
            ArrayNode cells = row.putArray("cells");
            cells.add(o.path("metadata").path("name").asText());
            for (ApiResource.Column c : columns) {
                Object v =
                        c.jsonPath() != null ? crdCell(c, o, clock) : c.value().apply(o);
                if (v == null) {
                    cells.addNull();
                } else if (v instanceof Long l) {
                    cells.add(l);
                } else if (v instanceof Double d) {
                    cells.add(d);
                } else if (v instanceof Boolean b) {
                    cells.add(b);
                } else {
                    cells.add(v.toString());
                }
            }
            ObjectNode partial = row.putObject("object");
            partial.put("kind", "PartialObjectMetadata").put("apiVersion", "meta.k8s.io/v1");
            partial.set("metadata", o.path("metadata").deepCopy());
        }
        return t;
    }

    /** A CRD's own columns (kube-apiserver adds only Name); a built-in printer's columns plus Age. */
    private static List<ApiResource.Column> columns(ApiResource r) {
        if (r.custom()) {
            if (!r.columns().isEmpty()) {
                return r.columns();
            }
            return List.of(age());
        }
        List<ApiResource.Column> out = new ArrayList<>(r.columns());
        out.add(age());
        return out;
    }

    private static ApiResource.Column age() {
        return new ApiResource.Column(
                "Age",
                "date",
                "",
                "CreationTimestamp is a timestamp representing the server time when this object was created.",
                0,
                ".metadata.creationTimestamp",
                null);
    }

    private static Object crdCell(ApiResource.Column c, JsonNode o, Clock clock) {
        List<JsonNode> found = JsonPath.find(o, c.jsonPath());
        if (found.isEmpty() || found.get(0).isNull() || found.get(0).isMissingNode()) {
            return null;
        }
        JsonNode v = found.get(0);
        return switch (c.type()) {
            case "integer" -> v.isNumber() ? (Object) v.asLong() : null;
            case "number" -> v.isNumber() ? (Object) v.asDouble() : null;
            case "boolean" -> v.isBoolean() ? (Object) v.asBoolean() : null;
            case "date" -> v.isTextual() ? age(v.asText(), clock) : null;
            default -> v.isValueNode() ? v.asText() : v.toString();
        };
    }

    private static String age(String timestamp, Clock clock) {
        try {
            return humanDuration(Duration.between(Instant.parse(timestamp), clock.instant()));
        } catch (RuntimeException e) {
            return "<invalid>";
        }
    }

    /** apimachinery's duration.HumanDuration. */
    static String humanDuration(Duration d) {
        long seconds = d.getSeconds();
        if (seconds < -1) {
            return "<invalid>";
        } else if (seconds < 0) {
            return "0s";
        } else if (seconds < 60 * 2) {
            return seconds + "s";
        }
        long minutes = d.toMinutes();
        if (minutes < 10) {
            long s = seconds % 60;
            return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
        } else if (minutes < 60 * 3) {
            return minutes + "m";
        }
        long hours = d.toHours();
        if (hours < 8) {
            long m = minutes % 60;
            return m == 0 ? hours + "h" : hours + "h" + m + "m";
        } else if (hours < 48) {
            return hours + "h";
        } else if (hours < 24 * 8) {
            long h = hours % 24;
            return h == 0 ? hours / 24 + "d" : hours / 24 + "d" + h + "h";
        } else if (hours < 24 * 365 * 2) {
            return hours / 24 + "d";
        } else if (hours < 24 * 365 * 8) {
            long dy = (hours / 24) % 365;
            return dy == 0 ? hours / 24 / 365 + "y" : hours / 24 / 365 + "y" + dy + "d";
        }
        return hours / 24 / 365 + "y";
    }

    /** The JSONPath subset printer columns use: .field, [n], [*] and [?(@.field=="value")]. */
    static final class JsonPath {

        private JsonPath() {}

        static List<JsonNode> find(JsonNode root, String path) {
            List<JsonNode> current = new ArrayList<>(List.of(root));
            int i = 0;
            String p = path.startsWith("{") && path.endsWith("}") ? path.substring(1, path.length() - 1) : path;
            while (i < p.length()) {
                char c = p.charAt(i);
                if (c == '.') {
                    int end = i + 1;
                    while (end < p.length() && p.charAt(end) != '.' && p.charAt(end) != '[') {
                        end++;
                    }
                    String field = p.substring(i + 1, end);
                    List<JsonNode> next = new ArrayList<>();
                    for (JsonNode n : current) {
                        if (field.isEmpty()) {
                            next.add(n);
                        } else if (n.has(field)) {
                            next.add(n.get(field));
                        }
                    }
                    current = next;
                    i = end;
                } else if (c == '[') {
                    int end = p.indexOf(']', i);
                    String inner = p.substring(i + 1, end);
                    List<JsonNode> next = new ArrayList<>();
                    for (JsonNode n : current) {
                        if (!n.isArray()) {
                            continue;
                        }
                        if (inner.equals("*")) {
                            n.forEach(next::add);
                        } else if (inner.startsWith("?(@.") && inner.endsWith(")")) {
                            String cond = inner.substring(4, inner.length() - 1);
                            int eq = cond.indexOf("==");
                            String field = cond.substring(0, eq).trim();
                            String value = cond.substring(eq + 2).trim().replaceAll("^[\"']|[\"']$", "");
                            for (JsonNode e : n) {
                                JsonNode v = e;
                                for (String f : field.split("\\.")) {
                                    v = v.path(f);
                                }
                                if (v.isValueNode() && v.asText().equals(value)) {
                                    next.add(e);
                                }
                            }
                        } else {
                            int idx = Integer.parseInt(inner.trim());
                            if (idx < 0) {
                                idx += n.size();
                            }
                            if (idx >= 0 && idx < n.size()) {
                                next.add(n.get(idx));
                            }
                        }
                    }
                    current = next;
                    i = end + 1;
                } else {
                    throw new IllegalArgumentException("unsupported JSONPath " + path);
                }
            }
            return current;
        }
    }
}
