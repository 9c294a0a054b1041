package io.maasops.security.maas;

import io.maasops.security.tls.CertificateReadException;
import io.maasops.security.util.Digests;
import io.maasops.security.util.Secret;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link MaasApiClient} per MaasRegion, reused while its URL, key and CA stay the same
 * (a JDK HttpClient per reconcile would leak selector threads).
 */
public final class MaasClients {

    private record Entry(String fingerprint, MaasApiClient client) {}

    private final Map<String, Entry> byRegion = new ConcurrentHashMap<>();
    private final io.maasops.security.util.CallTiming timing;

    public MaasClients() {
        this(io.maasops.security.util.CallTiming.NONE);
    }

    /** @param timing told the duration of every MAAS API request (metrics) */
    public MaasClients(io.maasops.security.util.CallTiming timing) {
        this.timing = timing;
    }

    /**
     * @throws IllegalArgumentException when the API key is malformed (message never includes it)
     * @throws CertificateReadException when the CA PEM cannot be read
     */
    public MaasApiClient forRegion(String region, URI url, Secret apiKey, String caPem)
            throws CertificateReadException {
        String fingerprint = Digests.sha256Hex(url + "\0" + apiKey.reveal() + "\0" + caPem);
        Entry e = byRegion.get(region);
        if (e != null && e.fingerprint().equals(fingerprint)) {
            return e.client();
        }
        var builder =
                MaasApiClient.builder(url, MaasApiKey.parse(apiKey.reveal())).timing(timing);
        if (caPem != null) {
            builder.caPem(caPem.getBytes(StandardCharsets.UTF_8));
        }
        MaasApiClient client = builder.build();
        byRegion.put(region, new Entry(fingerprint, client));
        return client;
    }

    public void forget(String region) {
        byRegion.remove(region);
    }
}
