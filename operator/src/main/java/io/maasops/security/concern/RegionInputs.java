package io.maasops.security.concern;

import io.maasops.security.api.v1alpha1.DetectedMaas;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.MaasRegionStatus;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.contract.RetryDelays;
import io.maasops.security.maasversion.MaasBehaviour;
import io.maasops.security.maasversion.MaasVersions;
import io.maasops.security.metrics.OperatorMetrics;
import io.maasops.security.port.EventSink;
import io.maasops.security.port.MaasApi;
import io.maasops.security.port.PortFactory;
import io.maasops.security.port.RegionShell;
import io.maasops.security.regionhost.MaasPackaging;
import io.maasops.security.tenancy.Refusal;
import io.maasops.security.tenancy.Tenancy;
import io.maasops.security.tls.CertificateReadException;
import io.maasops.security.util.Secret;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * What a {@link RegionConcern} gets for one reconcile of one MaasRegion: the resource, the status
 * being built, its VaultIntegration (null when absent, on deletion), the Secret values its spec names
 * (read when first needed), the ports, and the checkpoint. The region shell is created on first use.
 */
public final class RegionInputs {

    private final MaasRegion region;
    private final MaasRegionStatus status;
    private final VaultIntegration integration;
    private final RegionSecrets secrets;
    private final PortFactory ports;
    private final OperatorMetrics metrics;
    private final Clock clock;
    private final Long previousGeneration;
    private final Checkpoint checkpoint;
    private final RetryDelays retries;
    private RegionShell shell;
    private boolean hostAnswered;
    private java.util.function.Supplier<java.util.List<MaasRegion>> peers = java.util.List::of;

    public RegionInputs(
            MaasRegion region,
            MaasRegionStatus status,
            VaultIntegration integration,
            RegionSecrets secrets,
            PortFactory ports,
            OperatorMetrics metrics,
            Clock clock,
            Long previousGeneration,
            Checkpoint checkpoint,
            RetryDelays retries) {
        this.region = region;
        this.status = status;
        this.integration = integration;
        this.secrets = secrets;
        this.ports = ports;
        this.metrics = metrics;
        this.clock = clock;
        this.previousGeneration = previousGeneration;
        this.checkpoint = checkpoint;
        this.retries = retries;
    }

    /**
     * Sets where {@link #peers} come from (the controller's cache of MaasRegions by integration); without it, none.
     */
    public RegionInputs withPeers(java.util.function.Supplier<java.util.List<MaasRegion>> peers) {
        this.peers = peers;
        return this;
    }

    /** The MaasRegions of this region's VaultIntegration as the operator's informer cache has them (itself included). */
    public java.util.List<MaasRegion> peers() {
        return peers.get();
    }

    /** How soon an expected failure is retried (the operator's settings). */
    public RetryDelays retries() {
        return retries;
    }

    public MaasRegion region() {
        return region;
    }

    public MaasRegionStatus status() {
        return status;
    }

    public VaultIntegration integration() {
        return integration;
    }

    public PortFactory ports() {
        return ports;
    }

    public EventSink events() {
        return ports.events();
    }

    public OperatorMetrics metrics() {
        return metrics;
    }

    public Instant now() {
        return clock.instant();
    }

    public String namespace() {
        return region.getMetadata().getNamespace();
    }

    public String name() {
        return region.getMetadata().getName();
    }

    /** "namespace/name", the region's identity in caches and metrics. */
    public String key() {
        return namespace() + "/" + name();
    }

    public String hostname() {
        return region.getSpec().getHostname();
    }

    /**
     * Why the integration's spec.tenancy does not let this region use the operator; empty when it may.
     * A refused region gets no Vault call, no command and no connection, also when it is deleted.
     */
    public Optional<Refusal> refusal() {
        if (integration == null || region.getSpec() == null) {
            return Optional.empty();
        }
        return Tenancy.region(integration, namespace(), region.getSpec());
    }

    /** True when the spec changed since the status was last completed (or on the first reconcile). */
    public boolean specChanged() {
        return previousGeneration == null
                || !previousGeneration.equals(region.getMetadata().getGeneration());
    }

    /** The value of the Secret the spec field names, read on first use; empty when not named or unreadable. */
    public Optional<Secret> secret(String field) {
        return secrets.value(field);
    }

    /** Why the Secret named by an optional field could not be read, as "Reason: field: message"; empty when read or not named. */
    public Optional<String> missingSecret(String field) {
        return secrets.problem(field);
    }

    public MaasPackaging packaging() {
        return region.getSpec().getInstallation() == io.maasops.security.api.v1alpha1.Installation.deb
                ? MaasPackaging.DEB
                : MaasPackaging.SNAP;
    }

    /**
     * What the MAAS on the controller does (file owners, restarts, migration checks), for the version recorded in
     * status.maas ({@code MaasVersionConcern} keeps it fresh); read from the controller here when nothing is
     * recorded yet, so this throws what a command throws ({@code RegionAccessException}, {@code MaasCliException}).
     * Empty when the version is not supported.
     */
    public Optional<MaasBehaviour> behaviour() {
        if (status.getMaas() == null) {
            MaasDetection.record(status, packaging(), installedVersion(), now());
        }
        DetectedMaas maas = status.getMaas();
        if (!Boolean.TRUE.equals(maas.getSupported())) {
            return Optional.empty();
        }
        return MaasVersions.lookup(maas.getVersion(), packaging()).behaviour();
    }

    /** True when the controller runs a MAAS the operator does not support, or not installed as spec.installation says. */
    public boolean maasRefused() {
        DetectedMaas maas = status.getMaas();
        return maas != null && Boolean.FALSE.equals(maas.getSupported());
    }

    /**
     * The MAAS version the controller's package manager prints ({@link RegionShell#installedVersion()}); once it
     * answered, even that MAAS is not installed this way, {@link #hostAnswered()} is true for this reconcile.
     */
    public String installedVersion() {
        try {
            String printed = shell().installedVersion();
            hostAnswered = true;
            return printed;
        } catch (io.maasops.security.regionhost.MaasCliException e) {
            hostAnswered = true;
            throw e;
        }
    }

    /**
     * Whether the controller already ran a command in this reconcile (the version check): it can be reached, and
     * asking again before a secret-id is issued would only cost the host a MAAS command.
     */
    public boolean hostAnswered() {
        return hostAnswered;
    }

    /** MAAS's CLI on the controller, by SSH or pod exec as the spec says. */
    public RegionShell shell() {
        if (shell == null) {
            shell = ports.shell(region, secret(RegionSecrets.SSH_PRIVATE_KEY), secret(RegionSecrets.SSH_KNOWN_HOSTS));
        }
        return shell;
    }

    /** The deployment's MAAS API, when spec.api is set. */
    public Optional<MaasApi> maasApi() throws CertificateReadException {
        var api = region.getSpec().getApi();
        if (api == null) {
            return Optional.empty();
        }
        return Optional.of(ports.maasApi(
                key(),
                URI.create(api.getUrl()),
                secret(RegionSecrets.API_KEY).orElseThrow(),
                secret(RegionSecrets.API_CA).map(Secret::reveal).orElse(null)));
    }

    /** Writes the status built so far now (see {@link Checkpoint}). */
    public void checkpoint() {
        checkpoint.persist();
    }
}
