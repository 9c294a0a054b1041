package io.maasops.security.kube;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.util.Set;

/**
 * The operator's JSON reading, with one String instance per distinct short text in its own resources. Every
 * MaasRegion is cached by three informers and most of its texts (condition types, reasons and messages, the
 * integration's and Secrets' names, namespaces, timestamps) are the same in every region: read anew from each
 * watch event they were 200 Strings per region, two in three of them copies (measured with G1's string
 * deduplication at 100 regions). Interned ({@link String#intern}: weakly held, gone with the last reference),
 * each cached copy shares them.
 *
 * <p>Only properties of the operator's resources and their metadata and conditions share: a Secret's data, which
 * the operator reads on demand and drops, is read as Jackson always does.
 */
public final class SharedStrings {

    /** Longer texts are messages naming one resource: not worth a look-up. */
    static final int MAX_LENGTH = 256;

    private static final Set<Class<?>> SHARED_IN = Set.of(ObjectMeta.class, Condition.class, OwnerReference.class);
    private static final String SHARED_PACKAGE = "io.maasops.security.api.";

    private SharedStrings() {}

    /** fabric8's serialization (as {@code new KubernetesSerialization()}), reading shared strings. */
    public static KubernetesSerialization serialization() {
        ObjectMapper mapper = new ObjectMapper();
        mapper.registerModule(new SimpleModule("maasops-shared-strings").addDeserializer(String.class, Reader.PLAIN));
        return new KubernetesSerialization(mapper, true);
    }

    static boolean sharedIn(Class<?> declaring) {
        return declaring != null
                && (SHARED_IN.contains(declaring) || declaring.getName().startsWith(SHARED_PACKAGE));
    }

    /** Jackson's own String reading, interned when the property belongs to a shared class. */
    static final class Reader extends StdScalarDeserializer<String> implements ContextualDeserializer {
        static final Reader PLAIN = new Reader(false);
        static final Reader SHARED = new Reader(true);

        private final boolean share;

        private Reader(boolean share) {
            super(String.class);
            this.share = share;
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String s = StringDeserializer.instance.deserialize(p, ctxt);
            return share && s != null && s.length() <= MAX_LENGTH ? s.intern() : s;
        }

        @Override
        public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property) {
            boolean shared = property != null
                    && property.getMember() != null
                    && sharedIn(property.getMember().getDeclaringClass());
            return shared ? SHARED : PLAIN;
        }
    }
}
