package io.maasops.security.bootstrap;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.contract.VaultAddresses;
import io.maasops.security.kube.EventRecorder;
import io.maasops.security.kube.SecretValues;
import io.maasops.security.maas.MaasClients;
import io.maasops.security.metrics.OperatorMetrics;
import io.maasops.security.port.CertificateProbe;
import io.maasops.security.port.EventSink;
import io.maasops.security.port.MaasApi;
import io.maasops.security.port.PortFactory;
import io.maasops.security.port.RegionShell;
import io.maasops.security.port.SecretReader;
import io.maasops.security.regionhost.MaasCli;
import io.maasops.security.regionhost.MaasPackaging;
import io.maasops.security.regionhost.PodExecCommandRunner;
import io.maasops.security.regionhost.RegionCommandRunner;
import io.maasops.security.regionhost.SshCommandRunner;
import io.maasops.security.regionhost.SshConnectionPool;
import io.maasops.security.regionhost.SshCredentials;
import io.maasops.security.regionhost.SshTarget;
import io.maasops.security.regionhost.TimedCommandRunner;
import io.maasops.security.status.Reason;
import io.maasops.security.tls.CertificateReadException;
import io.maasops.security.tls.EndpointCertificateProbe;
import io.maasops.security.util.Secret;
import io.maasops.security.vault.VaultGateways;
import java.net.URI;
import java.util.Optional;

/**
 * The adapters behind the ports, for the life of the process: connections and logins are reused
 * across reconciles (one Vault login per token lifetime, one SSH connection per controller, one MAAS
 * API client per region). The integration's Vault credentials come from Secrets in the operator's own
 * namespace ({@code clusterResourceNamespace}): no namespace author can point the operator's Vault
 * identity anywhere.
 */
public final class ProductionPorts implements PortFactory, AutoCloseable {

    private final KubernetesClient client;
    private final VaultGateways vaultGateways;
    private final SshConnectionPool sshPool;
    private final MaasClients maasClients;
    private final EventRecorder events;
    private final OperatorMetrics metrics;
    private final EndpointCertificateProbe probe = new EndpointCertificateProbe();
    private final String clusterResourceNamespace;

    public ProductionPorts(
            KubernetesClient client,
            VaultGateways vaultGateways,
            SshConnectionPool sshPool,
            MaasClients maasClients,
            EventRecorder events,
            OperatorMetrics metrics,
            String clusterResourceNamespace) {
        this.client = client;
        this.vaultGateways = vaultGateways;
        this.sshPool = sshPool;
        this.maasClients = maasClients;
        this.events = events;
        this.metrics = metrics;
        this.clusterResourceNamespace = clusterResourceNamespace;
    }

    @Override
    public VaultLookup vault(VaultIntegration vi) {
        var vault = vi.getSpec().getVault();
        Optional<String> insecure = VaultAddresses.insecureHttpRefused(vault);
        if (insecure.isPresent()) {
            // refused before any connection: nothing, least of all a token, goes to a plain-http address
            return VaultLookup.missing(Reason.INSECURE_VAULT_NOT_ALLOWED.value(), insecure.get());
        }
        SecretReader secrets = secrets();
        Secret token = null;
        if (vault.getAuth().getTokenSecretRef() != null) {
            var ref = vault.getAuth().getTokenSecretRef();
            var l = secrets.read(clusterResourceNamespace, ref.getName(), ref.getKey());
            if (!l.found()) {
                return VaultLookup.missing(l.reason(), "spec.vault.auth.tokenSecretRef: " + l.message());
            }
            token = Secret.of(l.value().reveal().trim());
        }
        String caPem = null;
        if (vault.getCaSecretRef() != null) {
            var l = secrets.read(
                    clusterResourceNamespace,
                    vault.getCaSecretRef().getName(),
                    vault.getCaSecretRef().getKey());
            if (!l.found()) {
                return VaultLookup.missing(l.reason(), "spec.vault.caSecretRef: " + l.message());
            }
            caPem = l.value().reveal();
        }
        var k8s = vault.getAuth().getKubernetes();
        var key = new VaultGateways.Key(
                vi.getMetadata().getName(),
                URI.create(vault.getAddress()),
                caPem,
                vault.getNamespace(),
                token != null ? "token" : "kubernetes",
                k8s == null ? null : k8s.getRole(),
                k8s == null ? null : k8s.getMountPath(),
                token);
        return new VaultLookup(vaultGateways.forIntegration(key), null, null);
    }

    @Override
    public MaasApiLookup deploymentMaasApi(VaultIntegration vi) {
        return io.maasops.security.tenancy.DeploymentMaasApi.lookup(
                vi, secrets(), clusterResourceNamespace, maasClients::forRegion);
    }

    @Override
    public void forgetVault(String integration) {
        vaultGateways.forget(integration);
    }

    @Override
    public RegionShell shell(MaasRegion region, Optional<Secret> privateKey, Optional<Secret> knownHosts) {
        MaasPackaging packaging =
                region.getSpec().getInstallation() == io.maasops.security.api.v1alpha1.Installation.deb
                        ? MaasPackaging.DEB
                        : MaasPackaging.SNAP;
        return new MaasCli(runner(region, privateKey, knownHosts), packaging);
    }

    /** The transport to a region controller, by SSH or pod exec as its spec says. */
    public RegionCommandRunner runner(MaasRegion region, Optional<Secret> privateKey, Optional<Secret> knownHosts) {
        var access = region.getSpec().getAccess();
        if (access.getSsh() != null) {
            var ssh = access.getSsh();
            var target = new SshTarget(
                    ssh.getHost(),
                    ssh.getPort() == null ? 22 : ssh.getPort(),
                    ssh.getUser(),
                    ssh.getSudo() == null || ssh.getSudo());
            var credentials = new SshCredentials(
                    privateKey.orElseThrow(), knownHosts.orElseThrow().reveal());
            return TimedCommandRunner.wrap(
                    new SshCommandRunner(sshPool, target, credentials), metrics.regionCommands("ssh"));
        }
        var pod = access.getPod();
        // only ever into the MaasRegion's own namespace: the operator's ServiceAccount may exec there
        // because the admin allowed that namespace, and nowhere a namespace author could name
        return TimedCommandRunner.wrap(
                new PodExecCommandRunner(
                        client, region.getMetadata().getNamespace(), pod.getName(), pod.getContainer()),
                metrics.regionCommands("pod"));
    }

    @Override
    public MaasApi maasApi(String regionKey, URI url, Secret apiKey, String caPem) throws CertificateReadException {
        return maasClients.forRegion(regionKey, url, apiKey, caPem);
    }

    @Override
    public void forgetMaasApi(String regionKey) {
        maasClients.forget(regionKey);
    }

    @Override
    public SecretReader secrets() {
        return new SecretValues(client);
    }

    @Override
    public CertificateProbe certificateProbe() {
        return probe;
    }

    @Override
    public EventSink events() {
        return events;
    }

    @Override
    public void close() {
        sshPool.close();
    }
}
