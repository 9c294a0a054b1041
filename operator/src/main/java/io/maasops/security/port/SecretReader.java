package io.maasops.security.port;

/** Reads one key of a Secret. An instance may fetch each Secret once: make one per reconcile. */
public interface SecretReader {

    SecretLookup read(String namespace, String name, String key);
}
