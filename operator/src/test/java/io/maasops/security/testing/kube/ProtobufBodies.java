package io.maasops.security.testing.kube;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

/**
 * Request bodies in Kubernetes' protobuf encoding (application/vnd.kubernetes.protobuf), which
 * kubectl's typed commands send (`kubectl create namespace|secret|configmap|serviceaccount`):
 * the "k8s\0" envelope, runtime.Unknown {typeMeta, raw}, and the object's message decoded to the
 * JSON kube-apiserver would have received. The field numbers are those of k8s.io/api's and
 * apimachinery's generated.proto (v1.32); only the kinds kubectl creates this way are described,
 * others are refused with 415 as for a type the server cannot decode.
 */
final class ProtobufBodies {

    private static final byte[] MAGIC = {'k', '8', 's', 0};

    private enum T {
        STRING,
        BYTES,
        BOOL,
        INT64,
        TIME,
        MAP_STRING,
        MAP_BYTES,
        STRINGS,
        MESSAGE,
        MESSAGES
    }

    private record F(String name, T type, Map<Integer, F> message) {
        static F of(String name, T type) {
            return new F(name, type, null);
        }
    }

    private static final Map<Integer, F> OWNER_REFERENCE = Map.of(
            5,
            F.of("apiVersion", T.STRING),
            1,
            F.of("kind", T.STRING),
            3,
            F.of("name", T.STRING),
            4,
            F.of("uid", T.STRING),
            6,
            F.of("controller", T.BOOL),
            7,
            F.of("blockOwnerDeletion", T.BOOL));
    private static final Map<Integer, F> OBJECT_META = Map.ofEntries(
            Map.entry(1, F.of("name", T.STRING)),
            Map.entry(2, F.of("generateName", T.STRING)),
            Map.entry(3, F.of("namespace", T.STRING)),
            Map.entry(5, F.of("uid", T.STRING)),
            Map.entry(6, F.of("resourceVersion", T.STRING)),
            Map.entry(7, F.of("generation", T.INT64)),
            Map.entry(8, F.of("creationTimestamp", T.TIME)),
            Map.entry(11, F.of("labels", T.MAP_STRING)),
            Map.entry(12, F.of("annotations", T.MAP_STRING)),
            Map.entry(13, new F("ownerReferences", T.MESSAGES, OWNER_REFERENCE)),
            Map.entry(14, F.of("finalizers", T.STRINGS)));
    private static final Map<Integer, F> OBJECT_REFERENCE = Map.of(
            1,
            F.of("kind", T.STRING),
            2,
            F.of("namespace", T.STRING),
            3,
            F.of("name", T.STRING),
            4,
            F.of("uid", T.STRING),
            5,
            F.of("apiVersion", T.STRING),
            6,
            F.of("resourceVersion", T.STRING),
            7,
            F.of("fieldPath", T.STRING));
    private static final F METADATA = new F("metadata", T.MESSAGE, OBJECT_META);

    /** Kind (core/v1) to its message. */
    private static final Map<String, Map<Integer, F>> KINDS = Map.of(
            "Namespace", Map.of(1, METADATA, 2, new F("spec", T.MESSAGE, Map.of(1, F.of("finalizers", T.STRINGS)))),
            "Secret",
                    Map.of(
                            1,
                            METADATA,
                            2,
                            F.of("data", T.MAP_BYTES),
                            3,
                            F.of("type", T.STRING),
                            4,
                            F.of("stringData", T.MAP_STRING),
                            5,
                            F.of("immutable", T.BOOL)),
            "ConfigMap",
                    Map.of(
                            1,
                            METADATA,
                            2,
                            F.of("data", T.MAP_STRING),
                            3,
                            F.of("binaryData", T.MAP_BYTES),
                            4,
                            F.of("immutable", T.BOOL)),
            "ServiceAccount",
                    Map.of(
                            1,
                            METADATA,
                            2,
                            new F("secrets", T.MESSAGES, OBJECT_REFERENCE),
                            3,
                            new F("imagePullSecrets", T.MESSAGES, Map.of(1, F.of("name", T.STRING))),
                            4,
                            F.of("automountServiceAccountToken", T.BOOL)));

    static boolean isProtobuf(String contentType) {
        return contentType != null && contentType.startsWith("application/vnd.kubernetes.protobuf");
    }

    /** The JSON of a protobuf body, or null when its kind is not one described here (answer 415). */
    static ObjectNode decode(byte[] body) {
        if (body.length < 4
                || body[0] != MAGIC[0]
                || body[1] != MAGIC[1]
                || body[2] != MAGIC[2]
                || body[3] != MAGIC[3]) {
            return null;
        }
        Reader envelope = new Reader(body, 4, body.length);
        String apiVersion = "";
        String kind = "";
        byte[] raw = null;
        while (envelope.more()) {
            int tag = (int) envelope.varint();
            if (tag >>> 3 == 1 && (tag & 7) == 2) {
                Reader typeMeta = envelope.sub();
                while (typeMeta.more()) {
                    int t = (int) typeMeta.varint();
                    if (t >>> 3 == 1) {
                        apiVersion = typeMeta.string();
                    } else if (t >>> 3 == 2) {
                        kind = typeMeta.string();
                    } else {
                        typeMeta.skip(t & 7);
                    }
                }
            } else if (tag >>> 3 == 2 && (tag & 7) == 2) {
                raw = envelope.bytes();
            } else {
                envelope.skip(tag & 7);
            }
        }
        Map<Integer, F> message = "v1".equals(apiVersion) ? KINDS.get(kind) : null;
        if (message == null || raw == null) {
            return null;
        }
        ObjectNode out = Serialization.jsonMapper().createObjectNode();
        out.put("apiVersion", apiVersion).put("kind", kind);
        read(new Reader(raw, 0, raw.length), message, out);
        return out;
    }

    private static void read(Reader r, Map<Integer, F> message, ObjectNode out) {
        while (r.more()) {
            int tag = (int) r.varint();
            F f = message.get(tag >>> 3);
            if (f == null) {
                r.skip(tag & 7);
                continue;
            }
            switch (f.type()) {
                case STRING -> {
                    String s = r.string();
                    if (!s.isEmpty()) {
                        out.put(f.name(), s);
                    }
                }
                case BYTES -> out.put(f.name(), Base64.getEncoder().encodeToString(r.bytes()));
                case BOOL -> out.put(f.name(), r.varint() != 0);
                case INT64 -> {
                    long v = r.varint();
                    if (v != 0) {
                        out.put(f.name(), v);
                    }
                }
                case TIME -> {
                    Reader t = r.sub();
                    long seconds = 0;
                    long nanos = 0;
                    while (t.more()) {
                        int tt = (int) t.varint();
                        if (tt >>> 3 == 1) {
                            seconds = t.varint();
                        } else if (tt >>> 3 == 2) {
                            nanos = t.varint();
                        } else {
                            t.skip(tt & 7);
                        }
                    }
                    if (seconds != 0 || nanos != 0) {
                        out.put(f.name(), Instant.ofEpochSecond(seconds).toString());
                    }
                }
                case MAP_STRING, MAP_BYTES -> {
                    Reader e = r.sub();
                    String key = "";
                    String value = "";
                    while (e.more()) {
                        int et = (int) e.varint();
                        if (et >>> 3 == 1) {
                            key = e.string();
                        } else if (et >>> 3 == 2) {
                            value = f.type() == T.MAP_BYTES
                                    ? Base64.getEncoder().encodeToString(e.bytes())
                                    : e.string();
                        } else {
                            e.skip(et & 7);
                        }
                    }
                    out.with(f.name()).put(key, value);
                }
                case STRINGS -> out.withArray(f.name()).add(r.string());
                case MESSAGE -> read(r.sub(), f.message(), out.with(f.name()));
                case MESSAGES -> {
                    ArrayNode list = out.withArray(f.name());
                    read(r.sub(), f.message(), list.addObject());
                }
                default -> throw new IllegalStateException();
            }
        }
    }

    /** Protobuf wire format: varints and length-delimited fields. */
    private static final class Reader {
        private final byte[] b;
        private int pos;
        private final int end;

        Reader(byte[] b, int pos, int end) {
            this.b = b;
            this.pos = pos;
            this.end = end;
        }

        boolean more() {
            return pos < end;
        }

        long varint() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte x = b[pos++];
                v |= (long) (x & 0x7f) << shift;
                if ((x & 0x80) == 0) {
                    return v;
                }
            }
            throw new IllegalArgumentException("bad varint");
        }

        byte[] bytes() {
            int n = (int) varint();
            byte[] out = java.util.Arrays.copyOfRange(b, pos, pos + n);
            pos += n;
            return out;
        }

        String string() {
            return new String(bytes(), StandardCharsets.UTF_8);
        }

        Reader sub() {
            int n = (int) varint();
            Reader r = new Reader(b, pos, pos + n);
            pos += n;
            return r;
        }

        void skip(int wireType) {
            switch (wireType) {
                case 0 -> varint();
                case 1 -> pos += 8;
                case 2 -> {
                    int n = (int) varint(); // read before pos is: "pos += varint()" would lose the length's bytes
                    pos += n;
                }
                case 5 -> pos += 4;
                default -> throw new IllegalArgumentException("wire type " + wireType);
            }
        }
    }
}
